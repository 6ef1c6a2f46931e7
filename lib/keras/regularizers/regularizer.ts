// keras.regularizers.Regularizer: a penalty on a weight (or an activation) that fit adds to the loss.
import { Tensor } from '../../tensor';
import { optionsFromConfig } from '../saving/serialization_lib';

export abstract class Regularizer {
  static readonly positional: readonly string[] = [];

  /** Python's `__call__(x)`: the scalar penalty for `x`. */
  abstract call(x: Tensor): Tensor;

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig<T extends Regularizer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}

/** Keras' validate_float_arg: a finite number ≥ 0. */
export function penaltyFactor(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid value for argument ${name}: expected a non-negative float.Received: ${name}=${String(value)}`);
  }
  return value;
}
