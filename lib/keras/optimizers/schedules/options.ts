// Argument checking shared by the schedules and callbacks: Keras' message wording, JS error classes
// (TypeError for a wrong type or unknown option, RangeError for a value out of range).

export type OptionsRecord = Record<string, unknown>;

/** `decay_steps` -> `decaySteps`: Keras config keys to the options our constructors take. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Renders a received value the way Keras' f-strings show Python values. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Throws unless `options` is a plain object whose keys are all in `allowed`. */
export function checkOptions(owner: string, options: unknown, allowed: readonly string[]): OptionsRecord {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner} expects a single options object. Received: ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    // Config dicts use snake_case; the likeliest mistake is passing one as constructor options.
    const camel = snakeToCamel(key);
    const hint = camel !== key && allowed.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new TypeError(`${owner} got an unexpected option '${key}'${hint}. Allowed options: ${allowed.join(', ')}.`);
  }
  return options as OptionsRecord;
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
