// Argument checking for every public constructor and compile/fit/evaluate/predict: Keras' message
// wording, JS error classes (TypeError for a wrong type or unknown option, RangeError for a value
// out of range).
import { snakeToCamel } from './naming';

export type OptionsRecord = Record<string, unknown>;

/** Renders a received value the way Keras' f-strings show Python values. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function isPlainObject(value: unknown): value is OptionsRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The allowed option `key` most likely meant: its camelCase form ('from_logits'), the same letters
 * in another case ('learningrate'), or a near miss ('fromLogit': up to one edit per four letters).
 */
export function closestOption(key: string, allowed: readonly string[]): string | undefined {
  const camel = snakeToCamel(key);
  if (allowed.includes(camel)) return camel;
  const wanted = camel.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of allowed) {
    const distance = editDistance(wanted, option.toLowerCase());
    if (distance <= Math.max(1, Math.floor(option.length / 4)) && distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}

/** Throws unless `options` is a plain object whose keys are all in `allowed`; `owner` names the callee in messages. */
export function checkOptions(owner: string, options: unknown, allowed: readonly string[]): OptionsRecord {
  if (!isPlainObject(options)) {
    throw new TypeError(`${owner} expects a single options object. Received: ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const closest = closestOption(key, allowed);
    const hint = closest === undefined ? '' : ` (did you mean '${closest}'?)`;
    const valid = allowed.length === 0 ? `${owner} takes no options.` : `Allowed options: ${allowed.join(', ')}.`;
    throw new TypeError(`${owner} got an unexpected option '${key}'${hint}. ${valid}`);
  }
  return options;
}

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
