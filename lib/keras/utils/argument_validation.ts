// Argument checking for every public constructor and compile/fit/evaluate/predict: Keras' message
// wording, JS error classes (TypeError for a wrong type or unknown option, RangeError for a value
// out of range).
import { checkOptions, describeValue, type OptionsRecord } from '../../utils/argument_validation';

// The generic part is core's (ops check their keyword arguments with it too).
export { checkOptions, closestOption, describeValue, isPlainObject, type OptionsRecord } from '../../utils/argument_validation';

/**
 * A class whose constructor takes one options object and whose base constructor checks it:
 * `optionKeys` lists every key it accepts, its bases' included. A subclass that passes options of
 * its own on to `super()` extends the list: `static optionKeys = [...Layer.optionKeys, 'units']`.
 */
export interface OptionsClass {
  readonly name: string;
  readonly optionKeys: readonly string[];
}

/** The check a base constructor runs for `new.target`, the class actually constructed. */
export function checkClassOptions(cls: OptionsClass, options: unknown): OptionsRecord {
  return checkOptions(cls.name, options, cls.optionKeys);
}

function received(name: string, value: unknown): string {
  return `Received: ${name}=${describeValue(value)}`;
}

export function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`Argument \`${name}\` must be a number. ${received(name, value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`Argument \`${name}\` must be finite. ${received(name, value)}`);
  return value;
}

export function positiveNumber(name: string, value: unknown): number {
  const checked = finiteNumber(name, value);
  // Keras' own wording for decay_steps <= 0.
  if (checked <= 0) throw new RangeError(`Argument \`${name}\` must be > 0. ${received(name, value)}`);
  return checked;
}

export function nonNegativeNumber(name: string, value: unknown): number {
  const checked = finiteNumber(name, value);
  if (checked < 0) throw new RangeError(`Argument \`${name}\` must be >= 0. ${received(name, value)}`);
  return checked;
}

export function nonNegativeInteger(name: string, value: unknown): number {
  const checked = nonNegativeNumber(name, value);
  if (!Number.isInteger(checked)) throw new RangeError(`Argument \`${name}\` must be an integer. ${received(name, value)}`);
  return checked;
}

export function booleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`Argument \`${name}\` must be a boolean. ${received(name, value)}`);
  return value;
}

export function stringOption(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`Argument \`${name}\` must be a string. ${received(name, value)}`);
  return value;
}

export function finiteNumberArray(name: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new TypeError(`Argument \`${name}\` must be an array of numbers. ${received(name, value)}`);
  return value.map((element: unknown, index) => finiteNumber(`${name}[${index}]`, element));
}
