import { DType } from '../../dtypes';
import { Tensor } from '../../tensor';
import { describeValue, snakeToCamel } from '../optimizers/schedules/options';

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
  abstract call(shape: readonly number[], dtype?: DType): Tensor;

  getConfig(): InitializerConfig {
    return {};
  }

  static fromConfig<T extends Initializer>(this: new (options: never) => T, config: InitializerConfig): T {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new TypeError(`${this.name}.fromConfig expects a config object. Received: ${describeValue(config)}`);
    }
    const options: InitializerConfig = {};
    for (const [key, value] of Object.entries(config)) options[snakeToCamel(key)] = value;
    return new this(options as never);
  }
}

/** Keras' shape check: an array of non-negative integers. */
export function checkShape(owner: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${owner}: shape must be an array of non-negative integers. Received: shape=${describeValue(shape)}`);
  }
  return shape;
}
