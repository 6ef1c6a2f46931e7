// The structure of a model's inputs or outputs (Keras' `_inputs_struct`): one tensor, a list, or a
// dict (flattened in sorted key order, as Keras' tree.flatten does). Data, predictions and
// compile's per-output losses are read against it.
import { describeValue, isPlainObject } from '../utils/argument_validation';

export interface IOStructure {
  /** 'single': one tensor; 'list': an array; 'dict': an object by `keys`. */
  readonly kind: 'single' | 'list' | 'dict';
  /** The dict keys in flat order (sorted); empty otherwise. */
  readonly keys: readonly string[];
  /** The layer name of each flat entry (Keras' input_names / output_names). */
  readonly names: readonly string[];
}

/** A value in one tensor, a list, or a dict. */
export type Nest<T> = T | readonly T[] | { readonly [key: string]: T };

/** The entries of `value` (a single value, a list or a dict) in flat order, with the structure they make. */
export function flattenNest<T>(
  value: Nest<T>,
  isLeaf: (v: unknown) => v is T,
  nameOf: (v: T) => string,
): { flat: T[]; structure: IOStructure } {
  if (isLeaf(value)) return { flat: [value], structure: { kind: 'single', keys: [], names: [nameOf(value)] } };
  if (Array.isArray(value)) {
    const flat = value as T[];
    return { flat: [...flat], structure: { kind: 'list', keys: [], names: flat.map(nameOf) } };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    const flat = keys.map((k) => (value as Record<string, T>)[k]);
    return { flat, structure: { kind: 'dict', keys, names: flat.map(nameOf) } };
  }
  throw new TypeError(`Expected a tensor, a list or a dict. Received: ${describeValue(value)}`);
}

/** `flat` in the shape of `structure`. */
export function packNest<T>(flat: readonly T[], structure: IOStructure): Nest<T> {
  if (structure.kind === 'single') return flat[0];
  if (structure.kind === 'list') return [...flat];
  return Object.fromEntries(structure.keys.map((k, i) => [k, flat[i]]));
}

/**
 * Data given for `structure` (`what`: 'x', 'y'...) in flat order: a single entry for a single
 * input; a list of one entry per input (or, for several, a dict by input name); a dict by key (or by
 * layer name) for a dict model. `isList` tells a list of entries from one entry that is an array.
 */
export function flattenData<T>(value: unknown, structure: IOStructure, what: string, isList: (v: unknown) => boolean): T[] {
  const n = structure.names.length;
  if (structure.kind === 'single') return [value as T];
  if (isPlainObject(value) && !isList(value)) {
    const names = structure.kind === 'dict' ? structure.keys : structure.names;
    const byName = value as Record<string, T>;
    const unknown = Object.keys(byName).filter((k) => !names.includes(k) && !structure.names.includes(k));
    if (unknown.length > 0) {
      throw new RangeError(
        `\`${what}\` has keys ${JSON.stringify(unknown)} that the model does not have; expected ${JSON.stringify(names)}`,
      );
    }
    return names.map((name, i) => {
      const v = byName[name] ?? byName[structure.names[i]];
      if (v === undefined) throw new RangeError(`\`${what}\` lacks the entry '${name}'; the model expects ${JSON.stringify(names)}`);
      return v;
    });
  }
  if (Array.isArray(value) && isList(value)) {
    if (value.length !== n) {
      throw new RangeError(
        `\`${what}\` must hold ${n} arrays, one for each of the model's ${structure.kind === 'dict' ? 'entries' : 'inputs or outputs'} ${JSON.stringify(structure.names)}; got ${value.length}`,
      );
    }
    return [...value] as T[];
  }
  throw new TypeError(
    `\`${what}\` must be a list of ${n} arrays or a dict by name (${JSON.stringify(structure.kind === 'dict' ? structure.keys : structure.names)}). Received: ${describeValue(value)}`,
  );
}
