// Hyperparameter checks shared by the optimizers: a TypeError for a value that is not a number (or
// boolean), a RangeError for one out of range, each naming the argument as the options object spells it.
import { checkClassOptions, describeValue, OptionsClass } from '../utils/argument_validation';

/**
 * The options object checked for unknown keys, as the base constructor checks it: subclasses call
 * this before `super()` so that their own hyperparameters are checked before any variable is made.
 */
export function checkOptionKeys<T extends object>(cls: OptionsClass, options: T): T {
  checkClassOptions(cls, options);
  return options;
}

export interface Interval {
  min?: number;
  max?: number;
  /** The bounds themselves excluded: (min, ...] and [..., max). */
  minOpen?: boolean;
  maxOpen?: boolean;
}

function intervalText({ min, max, minOpen = false, maxOpen = false }: Interval): string {
  if (max === undefined) return minOpen ? `> ${min}` : `>= ${min}`;
  if (min === undefined) return maxOpen ? `< ${max}` : `<= ${max}`;
  return `in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
}

/**
 * `value` as a finite number within `interval`, compared as the float32 the update ops use (a
 * beta of 0.99999999999 is 1 in float32, and 1 - beta would be 0).
 */
export function checkNumber(what: string, value: unknown, interval: Interval = {}): number {
  if (typeof value !== 'number') {
    throw new TypeError(`Argument \`${what}\` must be a number. Received: ${what}=${describeValue(value)}`);
  }
  const { min, max, minOpen = false, maxOpen = false } = interval;
  const f = Math.fround(value);
  const below = min !== undefined && (minOpen ? !(f > min) : !(f >= min));
  const above = max !== undefined && (maxOpen ? !(f < max) : !(f <= max));
  if (!Number.isFinite(f) || below || above) {
    const range = min === undefined && max === undefined ? 'finite' : `finite and ${intervalText(interval)}`;
    throw new RangeError(`Argument \`${what}\` must be ${range}. Received: ${what}=${describeValue(value)}`);
  }
  return value;
}

export function checkBoolean(what: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`Argument \`${what}\` must be a boolean. Received: ${what}=${describeValue(value)}`);
  }
  return value;
}

/** [0, 1): a decay rate whose complement must not vanish (beta_1, beta_2, rho). */
export const UNIT_OPEN: Interval = { min: 0, max: 1, maxOpen: true };
/** [0, 1]. */
export const UNIT: Interval = { min: 0, max: 1 };
/** >= 0. */
export const NON_NEGATIVE: Interval = { min: 0 };

/** A hyperparameter as a constant of `variable`'s dtype holds it (Keras' `ops.cast(beta, variable.dtype)`), for host arithmetic on it. */
export function inDtype(value: number, variable: { readonly dtype: string }): number {
  return variable.dtype === 'float32' ? Math.fround(value) : value;
}

/** Adam-family hyperparameters (Keras' defaults 0.9, 0.999, 1e-7), checked before any variable is made. */
export function adamHyperparameters(
  cls: OptionsClass,
  options: { beta1?: number; beta2?: number; epsilon?: number },
): { beta1: number; beta2: number; epsilon: number } {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = checkOptionKeys(cls, options);
  return {
    beta1: checkNumber('beta1', beta1, UNIT_OPEN),
    beta2: checkNumber('beta2', beta2, UNIT_OPEN),
    epsilon: checkNumber('epsilon', epsilon, NON_NEGATIVE),
  };
}
