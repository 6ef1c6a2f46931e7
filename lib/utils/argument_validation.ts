// The one options validator (Keras' re-exports it from lib/keras/utils/argument_validation.ts) and
// Python's keyword arguments for ops: unknown keys are a TypeError with a camelCase hint.

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

/** Python's snake_case key in the camelCase every option uses. */
function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
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

/** An object literal (not a tensor, variable, array or TypedArray): only this is taken for keyword arguments. */
function isKeywordObject(value: unknown): value is OptionsRecord {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type Prefixes<P extends readonly unknown[]> = P extends readonly [...infer Head, unknown] ? P | Prefixes<Head> : [];
type ThenOptions<Q, O> = Q extends readonly unknown[] ? [...Q, O] : never;

/**
 * An op's arguments after its tensor inputs, as Python takes them: the positional parameters `P`
 * (a labelled tuple) up to any point, then optionally one object of keyword arguments `O`:
 * `tf.reduceMean(x, 1, true)`, `tf.reduceMean(x, {axis: 1, keepdims: true})`, `tf.reduceMean(x, 1, {keepdims: true})`.
 */
export type KeywordArgs<P extends readonly unknown[], O> = Prefixes<P> | ThenOptions<Prefixes<P>, O>;

/**
 * Merges an op's positional arguments `args` (named `names`, in order) with a trailing keyword
 * object: an unknown key, or a key also given positionally, is a TypeError naming `owner`.
 */
export function keywordArgs<O extends object>(owner: string, names: readonly (keyof O & string)[], args: readonly unknown[]): O {
  let last = args.length - 1;
  while (last >= 0 && args[last] === undefined) last--;
  const hasOptions = last >= 0 && isKeywordObject(args[last]);
  const positional = hasOptions ? last : last + 1;
  if (positional > names.length) {
    throw new TypeError(`${owner} takes at most ${names.length} arguments after its tensors (${names.join(', ')}); got ${positional}`);
  }
  const out: OptionsRecord = {};
  for (let i = 0; i < positional; i++) if (args[i] !== undefined) out[names[i]] = args[i];
  if (hasOptions) {
    const options = checkOptions(owner, args[last], names);
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (key in out) throw new TypeError(`${owner} got multiple values for argument '${key}' (positionally and in the options object)`);
      out[key] = value;
    }
  }
  return out as O;
}

/** The trailing `name` of an op with no other parameters after its tensors: `tf.add(x, y, 'sum')` or `tf.add(x, y, {name: 'sum'})`. */
export type NameArg = KeywordArgs<[name: string | undefined], { name?: string }>;

export function nameArg(owner: string, args: readonly unknown[]): string | undefined {
  return keywordArgs<{ name?: string }>(owner, ['name'], args).name;
}

/** A parameter Python requires (no default), given positionally or as a key. */
export function requiredArg<T>(owner: string, name: string, value: T | undefined): T {
  if (value === undefined) throw new TypeError(`${owner} missing required argument '${name}'`);
  return value;
}
