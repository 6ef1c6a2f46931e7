// Runs one op: eagerly through TFE, or into the graph of the tf.function being traced.
import { DType, dtypeToEnum, isDType, isFloating, isInteger } from '../dtypes';
import { context, Trace } from '../context';
import { InvalidArgumentError } from '../errors';
import { hasGradientFunction } from '../gradients/registry';
import { HostValue, inferDType } from '../host_data';
import { NativeOperation, NativeOutput, binding } from '../native';
import { ArgInfo, OpInfo, opInfo } from '../op_registry';
import { hostTensor } from '../raw/host_tensor';
import { checkEagerCall } from './eager_checks';
import { runtime } from '../runtime';
import { Tensor, TensorLike, isReadAsTensor } from '../tensor';

export type AttrKind =
  | 'int'
  | 'float'
  | 'bool'
  | 'type'
  | 'shape'
  | 'string'
  | 'tensor'
  | 'func'
  | 'list(int)'
  | 'list(float)'
  | 'list(bool)'
  | 'list(type)'
  | 'list(shape)'
  | 'list(string)'
  | 'list(tensor)'
  | 'list(func)';

export type OpAttr = readonly [name: string, kind: AttrKind, value: unknown];

export interface OpCall {
  /** The op's registered name, e.g. 'MatMul'. */
  type: string;
  /** One entry per input arg, in OpDef order; list args take arrays. */
  inputs: readonly (TensorLike | readonly TensorLike[])[];
  /** Only the attrs the caller gave; TF fills defaults and infers type/number attrs. */
  attrs: readonly OpAttr[];
  /** Output arg names in OpDef order. */
  outputs: readonly string[];
  name?: string;
}

export type NativeAttrTriple = readonly [string, string, unknown];

/** Attr values in the native layer's form: dtype names → enums, tensors → host tensors (free them with disposeAttrTensors). */
export function nativeAttrs(attrs: readonly OpAttr[]): NativeAttrTriple[] {
  return attrs.map(([name, kind, value]) => {
    switch (kind) {
      case 'type':
        return [name, kind, dtypeToEnum(value as DType)];
      case 'list(type)':
        return [name, kind, (value as DType[]).map(dtypeToEnum)];
      case 'tensor':
        return [name, kind, hostTensorOf(value as TensorLike)];
      case 'list(func)':
        throw new TypeError(`attribute '${name}': list(func) attributes are not supported`);
      default:
        return [name, kind, value];
    }
  });
}

function hostTensorOf(value: TensorLike) {
  return value instanceof Tensor ? value.toNative() : hostTensor(value as HostValue);
}

const INTEGER_DTYPES: readonly DType[] = ['int32', 'int64', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64'];

/** The integer dtype host numbers become for a type attr that allows only integers (Reshape's Tshape), else undefined. */
function integerOnly(info: OpInfo, attrName: string): DType | undefined {
  const allowed = info.attrs.get(attrName)?.allowed;
  if (allowed === undefined || ![...allowed].every((t) => INTEGER_DTYPES.includes(t as DType))) return undefined;
  return INTEGER_DTYPES.find((t) => allowed.has(t));
}

/**
 * The dtype an input arg needs: its fixed type, a type attr given explicitly, or a sibling tensor's
 * (`tf.add(intTensor, 1)` stays int32, as in Python); else, for host numbers, int32 where the attr
 * allows only integers (axes, shapes, indices), and float32 otherwise (host_data's inferDType).
 */
function argDType(arg: ArgInfo, call: OpCall, inputs: readonly unknown[], info: OpInfo): DType | undefined {
  if (arg.fixedType) return arg.fixedType;
  const attrName = arg.typeAttr;
  if (!attrName) return undefined;
  const given = call.attrs.find(([name]) => name === attrName);
  if (given && isDType(given[2])) return given[2];
  for (let i = 0; i < info.inputs.length; ++i) {
    if (info.inputs[i].typeAttr !== attrName) continue;
    const input = inputs[i];
    const first = Array.isArray(input) ? input.find((x) => x instanceof Tensor) : input;
    if (first instanceof Tensor) return first.dtype;
  }
  return undefined;
}

/** The hint a float tensor fed to an integer input gets: how to make the integer one. */
function integerHint(call: OpCall, arg: ArgInfo, dtype: DType, wanted: string): string {
  const hint = isFloating(dtype)
    ? `; JS numbers are float32, so make it with dtype: 'int32' (e.g. tf.tensor(values, undefined, 'int32')) or tf.cast it`
    : '';
  return `${call.type} input '${arg.name}' must be ${wanted}, got a ${dtype} tensor${hint}`;
}

/**
 * Variables are read (eagerly a recorded read, in a trace a ReadVariableOp), and host values become
 * tensors of the dtype their arg needs (Python's convert_to_tensor). `onRead` gets each eager read.
 */
function convertInputs(
  call: OpCall,
  toTensor: (value: HostValue, dtype: DType) => Tensor,
  onRead?: (value: Tensor) => void,
): (Tensor | Tensor[])[] {
  const info = opInfo(call.type);
  const args = info.inputs;
  if (call.inputs.length !== args.length) {
    throw new TypeError(`${call.type} takes ${args.length} inputs (${args.map((a) => a.name).join(', ')}), got ${call.inputs.length}`);
  }
  const read = (value: unknown): unknown => {
    if (!isReadAsTensor(value)) return value;
    const tensor = value.value();
    if (!tensor.isSymbolic) onRead?.(tensor);
    return tensor;
  };
  const inputs = call.inputs.map((input) => (Array.isArray(input) ? input.map(read) : read(input)));
  const convert = (value: TensorLike, arg: ArgInfo, dtype: DType | undefined, integer: DType | undefined): Tensor => {
    if (value instanceof Tensor) {
      if (dtype !== undefined && value.dtype !== dtype && !arg.typeListAttr) {
        throw new TypeError(
          isInteger(dtype)
            ? integerHint(call, arg, value.dtype, dtype)
            : `${call.type} input '${arg.name}' must be ${dtype}, got a ${value.dtype} tensor`,
        );
      }
      if (integer !== undefined && !isInteger(value.dtype)) throw new TypeError(integerHint(call, arg, value.dtype, 'an integer tensor'));
      return value;
    }
    try {
      const inferred = inferDType(value as HostValue);
      return toTensor(value as HostValue, dtype ?? (inferred === 'float32' && integer !== undefined ? integer : inferred));
    } catch (e) {
      // Name the op and the input: "Cannot convert {...}" alone does not say where.
      if (e instanceof TypeError) throw new TypeError(`${call.type} input '${arg.name}': ${e.message}`);
      throw e;
    }
  };
  return inputs.map((input, i) => {
    const arg = args[i];
    if (input === undefined || input === null) throw new TypeError(`${call.type} is missing its input '${arg.name}'`);
    const isList = arg.numberAttr !== undefined || arg.typeListAttr !== undefined;
    const dtype = argDType(arg, call, inputs, info);
    const integer = arg.typeAttr === undefined ? undefined : integerOnly(info, arg.typeAttr);
    if (isList) {
      if (!Array.isArray(input)) throw new TypeError(`${call.type} input '${arg.name}' takes a list of tensors`);
      // TF infers N from the list (and crashes eagerly on an empty one); graph mode rejects it too.
      // Only where the length attr's minimum is above 0 (CollectiveReduceV2's ordering_token may be empty).
      if (arg.numberAttr !== undefined && input.length === 0 && (info.attrs.get(arg.numberAttr)?.minimum ?? 1) > 0) {
        throw new InvalidArgumentError(
          `${call.type}: input list '${arg.name}' must not be empty (attr '${arg.numberAttr}' must be at least 1)`,
        );
      }
      return (input as TensorLike[]).map((x) => convert(x, arg, dtype, integer));
    }
    return convert(input as TensorLike, arg, dtype, integer);
  });
}

export function runOp(call: OpCall): Tensor[][] {
  const trace = context.trace;
  const outputs = trace ? addToTrace(trace, call) : executeEagerly(call);
  // Eager ops need the mark only where a tape will replay them.
  return hasGradientFunction(call.type) && (trace || context.tapes.size > 0) ? markForRegisteredGradient(outputs) : outputs;
}

/**
 * An op with a gradient in lib/gradients hands out its outputs through StopGradient, so that
 * TF_AddGradients never asks the C++ registry for it; lib/gradients/symbolic.ts recognises a
 * StopGradient fed straight by such an op and applies the registered gradient across it.
 */
function markForRegisteredGradient(outputs: Tensor[][]): Tensor[][] {
  return outputs.map((group) => group.map((t) => runOp({ type: 'StopGradient', inputs: [t], attrs: [], outputs: ['output'] })[0][0]));
}

function executeEagerly(call: OpCall): Tensor[][] {
  const { inferShapes, extraAttrs } = checkEagerCall(call, opInfo(call.type));
  const converted: Tensor[] = [];
  const inputs = convertInputs(
    call,
    (value, dtype) => {
      const tensor = Tensor.fromNative(hostTensor(value, undefined, dtype));
      converted.push(tensor);
      return tensor;
    },
    (read) => converted.push(read),
  );
  const attrs = nativeAttrs(extraAttrs ? [...call.attrs, ...extraAttrs] : call.attrs);
  try {
    const handles = binding.eagerExecute({
      type: call.type,
      inputs: inputs.map((x) => (Array.isArray(x) ? x.map((t) => t.handle) : x.handle)),
      attrs,
      outputs: call.outputs,
      device: context.device,
      inferShapes,
    });
    const outputs = handles.map((group) => group.map((h) => Tensor.fromHandle(h)));
    for (const tape of context.tapes) {
      tape.recordOp({ type: call.type, attrs: call.attrs, inputs, outputs, outputArgs: call.outputs, device: context.device });
    }
    return outputs;
  } finally {
    disposeAttrTensors(attrs);
    // Values converted for this op are freed now, unless a tape keeps them to replay the op.
    if (context.tapes.size === 0) for (const tensor of converted) tensor.dispose();
  }
}

export function disposeAttrTensors(attrs: NativeAttrTriple[]): void {
  for (const [, kind, value] of attrs) if (kind === 'tensor') (value as { dispose(): void }).dispose();
}

/** A graph output for `tensor` inside `trace`: its own output, or a placeholder fed with its value. */
export function symbolicOutput(trace: Trace, tensor: Tensor): NativeOutput {
  if (tensor.output) return tensor.output;
  let captured = trace.captures.get(tensor);
  if (!captured) {
    captured = runtime.placeholder(`${trace.scope}/capture`, tensor.dtype, tensor.shape, trace.graph);
    trace.captures.set(tensor, captured);
  }
  return captured;
}

/** The op the next stateful op of `trace` runs after (undefined before the first). */
export function lastStatefulOp(trace: Trace): NativeOperation | undefined {
  return trace.chainTail ?? trace.statefulOps[trace.statefulOps.length - 1];
}

/** Adds a graph op to the trace; stateful ops run in program order and always run (unless in a branch not taken). */
export function addTraceOperation(
  trace: Trace,
  spec: { type: string; name?: string; inputs: (NativeOutput | NativeOutput[])[]; attrs: readonly NativeAttrTriple[]; stateful: boolean },
): NativeOperation {
  const previous = lastStatefulOp(trace);
  const controlInputs = spec.stateful && previous ? [previous] : [];
  if (trace.pivot !== undefined) controlInputs.push(trace.pivot);
  const op = trace.graph.addOperation({
    type: spec.type,
    name: runtime.uniqueName(`${trace.scope}/${spec.name ?? spec.type}`, trace.graph),
    inputs: spec.inputs,
    attrs: spec.attrs,
    device: context.device,
    controlInputs,
  });
  if (spec.stateful) {
    trace.statefulOps.push(op);
    trace.chainTail = undefined;
  }
  return op;
}

function addToTrace(trace: Trace, call: OpCall): Tensor[][] {
  const inputs = convertInputs(call, (value, dtype) => constantInTrace(trace, value, dtype));
  const attrs = nativeAttrs(call.attrs);
  try {
    const op = addTraceOperation(trace, {
      type: call.type,
      name: call.name,
      inputs: inputs.map((x) => (Array.isArray(x) ? x.map((t) => symbolicOutput(trace, t)) : symbolicOutput(trace, x))),
      attrs,
      stateful: opInfo(call.type).isStateful || call.outputs.length === 0,
    });
    let index = 0;
    return call.outputs.map((arg) => {
      const info = opInfo(call.type).outputs.find((o) => o.name === arg);
      const count = info && (info.numberAttr || info.typeListAttr) ? op.outputListLength(arg) : 1;
      return Array.from({ length: count }, () => Tensor.symbolic({ op, index: index++ }));
    });
  } finally {
    disposeAttrTensors(attrs);
  }
}

/** A Const op holding `value`, inside the trace. */
function constantInTrace(trace: Trace, value: HostValue, dtype?: DType, shape?: readonly number[]): Tensor {
  const tensor = hostTensor(value, shape, dtype);
  try {
    const op = addTraceOperation(trace, {
      type: 'Const',
      inputs: [],
      attrs: [
        ['value', 'tensor', tensor],
        ['dtype', 'type', tensor.dtype],
      ],
      stateful: false,
    });
    return Tensor.symbolic({ op, index: 0 });
  } finally {
    tensor.dispose();
  }
}

/** Python's tf.constant: eager, or a Const op while tracing. */
export function constantTensor(value: HostValue, dtype?: DType, shape?: readonly number[]): Tensor {
  const trace = context.trace;
  return trace ? constantInTrace(trace, value, dtype, shape) : Tensor.fromNative(hostTensor(value, shape, dtype));
}
