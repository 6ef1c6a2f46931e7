// What runOp needs to know of each op (input dtypes to convert to, list args, statefulness), from
// the table generated with the wrappers, so nothing decodes the whole registry at run time.
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

export interface OpInfo {
  name: string;
  inputs: ArgInfo[];
  outputs: ArgInfo[];
  isStateful: boolean;
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

const parsed = new Map<string, OpInfo>();

/** The op's signature; a TypeError for an op type with no generated wrapper. */
export function opInfo(type: string): OpInfo {
  let info = parsed.get(type);
  if (!info) {
    const signature = Object.hasOwn(OP_SIGNATURES, type) ? OP_SIGNATURES[type] : undefined;
    if (!signature) throw new TypeError(`Op type not registered '${type}' in this libtensorflow`);
    info = { name: type, inputs: parseArgs(signature[0]), outputs: parseArgs(signature[1]), isStateful: signature[2] === 1 };
    parsed.set(type, info);
  }
  return info;
}
