// What runOp needs to know of each op (input dtypes to convert to, list args, statefulness, the
// attr checks eager ops need), from the table generated with the wrappers, so nothing decodes the
// whole registry at run time.
import { DType, isDType } from './dtypes';
import { OP_SIGNATURES } from './ops/generated/op_signatures';

export interface ArgInfo {
  name: string;
  /** A fixed dtype ('int32' for Split's axis), if the arg has one. */
  fixedType?: DType;
  typeAttr?: string;
  numberAttr?: string;
  typeListAttr?: string;
}

/** One attr of the OpDef, with the checks graph mode runs on it (ValidateNodeDef). */
export interface AttrRule {
  name: string;
  /** The AttrDef's type: 'int', 'list(type)', ... (an OpAttr's kind when given right). */
  kind: string;
  /** The kind of one value: 'type' for 'list(type)'. */
  item: string;
  isList: boolean;
  /** No default, and not inferred from an input: the caller must give it. */
  required: boolean;
  /** has_minimum: an int's least value, or a list's least length. */
  minimum?: number;
  /** allowed_values: dtype names (type attrs) or strings. */
  allowed?: ReadonlySet<string>;
}

export interface OpInfo {
  name: string;
  inputs: ArgInfo[];
  outputs: ArgInfo[];
  isStateful: boolean;
  attrs: ReadonlyMap<string, AttrRule>;
  /** Names of the attrs with `required` set. */
  required: readonly string[];
}

/** Parses 'name=dtype', 'name:T', 'name:T*N', 'name+T' (see op_signatures.ts). */
function parseArgs(text: string): ArgInfo[] {
  if (text === '') return [];
  return text.split(' ').map((spec) => {
    const match = /^([^=:*+]+)(?:=([a-z0-9]+))?(?::([^*+]+))?(?:\*(.+))?(?:\+(.+))?$/.exec(spec);
    if (!match) throw new Error(`Malformed op signature '${spec}'`);
    const [, name, fixed, typeAttr, numberAttr, typeListAttr] = match;
    return { name, fixedType: isDType(fixed) ? fixed : undefined, typeAttr, numberAttr, typeListAttr };
  });
}

/** Parses 'name:kind', then '!' (required), '@min' and '=a|b' (see op_signatures.ts). */
function parseAttrs(text: string): Map<string, AttrRule> {
  const rules = new Map<string, AttrRule>();
  if (text === '') return rules;
  for (const spec of text.split(' ')) {
    const match = /^([^:]+):([a-z()]+)(!?)(?:@(-?\d+))?(?:=(.*))?$/.exec(spec);
    if (!match) throw new Error(`Malformed attr rule '${spec}'`);
    const [, name, kind, required, minimum, allowed] = match;
    const isList = kind.startsWith('list(');
    rules.set(name, {
      name,
      kind,
      item: isList ? kind.slice(5, -1) : kind,
      isList,
      required: required === '!',
      minimum: minimum === undefined ? undefined : Number(minimum),
      allowed: allowed === undefined ? undefined : new Set(allowed.split('|')),
    });
  }
  return rules;
}

const parsed = new Map<string, OpInfo>();

/** The op's signature; a TypeError for an op type with no generated wrapper. */
export function opInfo(type: string): OpInfo {
  let info = parsed.get(type);
  if (!info) {
    const signature = Object.hasOwn(OP_SIGNATURES, type) ? OP_SIGNATURES[type] : undefined;
    if (!signature) throw new TypeError(`Op type not registered '${type}' in this libtensorflow`);
    const attrs = parseAttrs(signature[3]);
    info = {
      name: type,
      inputs: parseArgs(signature[0]),
      outputs: parseArgs(signature[1]),
      isStateful: signature[2] === 1,
      attrs,
      required: [...attrs.values()].filter((a) => a.required).map((a) => a.name),
    };
    parsed.set(type, info);
  }
  return info;
}
