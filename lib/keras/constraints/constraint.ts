// keras.constraints.Constraint: a projection applied to a weight after each optimizer update.
import { Tensor } from '../../tensor';
import { optionsFromConfig } from '../saving/serialization_lib';

export abstract class Constraint {
  static readonly positional: readonly string[] = [];

  /** Python's `__call__(w)`: the projected weight. */
  abstract call(w: Tensor): Tensor;

  getConfig(): Record<string, unknown> {
    return {};
  }

  static fromConfig<T extends Constraint>(this: new (options: never) => T, config: Record<string, unknown>): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}

/** Keras' norm axis: an int or a list of ints. */
export function normAxis(axis: unknown): number | number[] {
  const ok = Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
  if (!ok) throw new TypeError(`axis must be an integer or a list of integers. Received: axis=${JSON.stringify(axis)}`);
  return Array.isArray(axis) ? [...axis] : (axis as number);
}
