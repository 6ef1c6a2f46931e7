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

/**
 * A class whose leading options may also be given positionally, in Python's order:
 * `static readonly positional = ['learningRate', 'beta1']` makes `new Adam(0.01, 0.8, {epsilon})`
 * the same as `new Adam({learningRate: 0.01, beta1: 0.8, epsilon})`.
 */
export interface PositionalClass {
  readonly name: string;
  readonly positional?: readonly string[];
}

/**
 * A constructor's arguments for `positional`: any leading run of the positional values, then the
 * options object without the keys given positionally (optional when none of its keys is required):
 * `[O?] | [O[K0], Omit<O, K0>?] | [O[K0], O[K1], Omit<O, K0 | K1>?] | ...`.
 */
export type PositionalArgs<O, K extends readonly (keyof O)[], Given extends unknown[] = [], Named extends keyof O = never> =
  | [...Given, ...OptionsTail<Omit<O, Named>>]
  | (K extends readonly [infer H extends keyof O, ...infer R extends readonly (keyof O)[]]
      ? PositionalArgs<O, R, [...Given, O[H]], Named | H>
      : never);

type OptionsTail<T> = object extends T ? [T?] : [T];

/** An object literal (not an array, a class instance or a typed array): what can be an options object. */
export function isOptionsObject(value: unknown): value is OptionsRecord {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Python's call `Cls(a, b, key=...)` as one options object: the leading `args` named by
 * `cls.positional`, merged with a trailing options object (an object literal). A positional value
 * and the same key in the options is a TypeError, as are more positional values than the class
 * names. Positional values that are undefined count as not given.
 */
export function positionalOptions<O extends object = OptionsRecord>(cls: PositionalClass, args: readonly unknown[]): O {
  const names = cls.positional ?? [];
  let count = args.length;
  while (count > 0 && args[count - 1] === undefined) count--;
  let options: OptionsRecord = {};
  if (count > 0 && isOptionsObject(args[count - 1])) options = args[--count] as OptionsRecord;
  const misplaced = args.slice(0, count).findIndex(isOptionsObject);
  if (misplaced >= 0) {
    throw new TypeError(
      `${cls.name}: the options object must be the last argument. Received it as argument ${misplaced + 1} of ${args.length}`,
    );
  }
  if (count > names.length) {
    const takes =
      names.length === 0
        ? 'no positional arguments'
        : `at most ${names.length} positional argument${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
    throw new TypeError(
      `${cls.name} takes ${takes} followed by an options object, but ${count} positional argument${count === 1 ? ' was' : 's were'} given: ${args.slice(0, count).map(describeArgument).join(', ')}`,
    );
  }
  if (count === 0) return options as O;
  const merged: OptionsRecord = { ...options };
  for (let i = 0; i < count; i++) {
    if (args[i] === undefined) continue;
    if (options[names[i]] !== undefined) throw new TypeError(`${cls.name} got multiple values for argument '${names[i]}'`);
    merged[names[i]] = args[i];
  }
  return merged as O;
}

/** A value in a message: a class instance by its class name (a schedule, an optimizer), the rest as describeValue. */
function describeArgument(value: unknown): string {
  if (typeof value === 'function') return value.name === '' ? 'a function' : `function ${value.name}`;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return `<${value.constructor?.name ?? 'object'}>`;
  return describeValue(value);
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
