import { DType } from '../../dtypes';
import { Tensor } from '../../tensor';
import { optionsFromConfig } from '../saving/serialization_lib';
import { checkOptions, describeValue } from '../utils/argument_validation';

/** An initializer's `getConfig()` dict: Keras' snake_case keys and JSON values. */
export type InitializerConfig = Record<string, unknown>;

/**
 * Base of every initializer (Keras' `keras.initializers.Initializer`). JS objects are not callable,
 * so `call(shape, dtype)` stands for Python's `__call__`; dtype defaults to float32 (Keras' floatx).
 *
 * The inherited `fromConfig` camelCases the config's keys and passes them to the constructor as one
 * options object, which is how every built-in initializer is constructed.
 */
export abstract class Initializer {
  /** The options a subclass also takes positionally, in Keras' order (see positionalOptions). */
  static readonly positional: readonly string[] = [];
  /** Initializers with options check them in their own constructors; this rejects any given to one without (Zeros, Ones). */
  constructor(options: Record<string, never> = {}) {
    checkOptions(new.target.name, options, []);
  }

  abstract call(shape: readonly number[], dtype?: DType): Tensor;

  getConfig(): InitializerConfig {
    return {};
  }

  static fromConfig<T extends Initializer>(this: new (options: never) => T, config: InitializerConfig): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}

/** Keras' shape check: an array of non-negative integers. */
export function checkShape(owner: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${owner}: shape must be an array of non-negative integers. Received: shape=${describeValue(shape)}`);
  }
  return shape;
}
