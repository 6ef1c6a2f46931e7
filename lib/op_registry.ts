// What TF's op registry says about each op, for dtype conversion of inputs and for statefulness.
import { DType } from './dtypes';
import { binding } from './native';
import { decodeOpList } from './proto';

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

/** TF's DT_* enum names → our dtype names. */
const DT_NAMES: Record<string, DType> = {
  DT_FLOAT: 'float32',
  DT_DOUBLE: 'float64',
  DT_INT32: 'int32',
  DT_UINT8: 'uint8',
  DT_INT16: 'int16',
  DT_INT8: 'int8',
  DT_STRING: 'string',
  DT_COMPLEX64: 'complex64',
  DT_INT64: 'int64',
  DT_BOOL: 'bool',
  DT_QINT8: 'qint8',
  DT_QUINT8: 'quint8',
  DT_QINT32: 'qint32',
  DT_BFLOAT16: 'bfloat16',
  DT_QINT16: 'qint16',
  DT_QUINT16: 'quint16',
  DT_UINT16: 'uint16',
  DT_COMPLEX128: 'complex128',
  DT_HALF: 'float16',
  DT_RESOURCE: 'resource',
  DT_VARIANT: 'variant',
  DT_UINT32: 'uint32',
  DT_UINT64: 'uint64',
};

interface RawArg {
  name: string;
  type: string;
  typeAttr: string;
  numberAttr: string;
  typeListAttr: string;
}

function argInfo(arg: RawArg): ArgInfo {
  return {
    name: arg.name,
    fixedType: DT_NAMES[arg.type],
    typeAttr: arg.typeAttr || undefined,
    numberAttr: arg.numberAttr || undefined,
    typeListAttr: arg.typeListAttr || undefined,
  };
}

let registry: Map<string, OpInfo> | undefined;

function load(): Map<string, OpInfo> {
  const ops = decodeOpList(binding.opList()).op as { name: string; inputArg: RawArg[]; outputArg: RawArg[]; isStateful: boolean }[];
  return new Map(
    ops.map((op) => [op.name, { name: op.name, inputs: op.inputArg.map(argInfo), outputs: op.outputArg.map(argInfo), isStateful: op.isStateful }]),
  );
}

/** The op's registry entry; a NotFound-style error for a type TF does not know. */
export function opInfo(type: string): OpInfo {
  registry ??= load();
  const info = registry.get(type);
  if (!info) throw new TypeError(`Op type not registered '${type}' in this libtensorflow`);
  return info;
}
