// The checks graph mode runs on a node before TF sees it (ValidateNodeDef against the OpDef) and eager
// mode skips: there a required attr left out, an int attr below its minimum or an attr of the wrong
// kind reaches TFE_Execute, where kernels and TF's own op rewrites CHECK-fail or allocate
// std::vectors of a negative size (issue 12). Each eager op call runs them first, from the rules
// generated into op_signatures.ts (parsed once per op type by opInfo), with graph mode's messages
// and error class.
import { isDType } from '../dtypes';
import { InvalidArgumentError } from '../errors';
import { AttrRule, OpInfo } from '../op_registry';
import type { OpAttr, OpCall } from './run_op';

/**
 * The most tensors one output list of an eager op may hold. TF sizes its output vectors from the
 * attr (Split's num_split, DynamicPartition's num_partitions) before any kernel checks it, so 10^9
 * is a std::bad_alloc abort in eager mode (and in the shape function, which sizes its outputs the
 * same way). A million outputs is far past any real use and still cheap to refuse.
 */
export const MAX_EAGER_LIST_OUTPUTS = 1 << 20;

/**
 * Ops whose kernels kill the process (a CHECK failure, a segfault) on inputs that their shape
 * function rejects, found by the eager fuzz (test/helpers/eager_fuzz.ts, docs/RELIABILITY.md):
 * eagerly, they run the shape function first, as graph mode does. Not every op: shape functions
 * trust what graph mode validates before them, and some crash on an eager op's inputs instead.
 */
export const SHAPE_FUNCTION_FIRST: ReadonlySet<string> = new Set<string>([
  'AudioSpectrogram',
  'CalibrationStatisticsSaver',
  'Conv',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'Conv3D',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'DumpTensor',
  'FakeQuantWithMinMaxVarsPerChannel',
  'FakeQuantWithMinMaxVarsPerChannelGradient',
  'FixedUnigramCandidateSampler',
  'LSTMBlockCell',
  'LSTMBlockCellGrad',
  'LoadAndRemapMatrix',
  'QuantizeAndDequantizeV3',
  'RaggedGather',
  'RaggedTensorToVariantGradient',
  'ResourceScatterNdAdd',
  'ResourceScatterNdMax',
  'ResourceScatterNdMin',
  'ResourceScatterNdSub',
  'ResourceScatterNdUpdate',
  'RpcCall',
  'RpcCheckStatus',
  'RpcClient',
  'RpcGetValue',
  'RpcServer',
  'RpcServerRegister',
  'XlaDynamicSlice',
  'XlaLaunchV2',
]);

function fail(call: OpCall, sentence: string): never {
  throw new InvalidArgumentError(`${sentence}\n\t; NodeDef: {{node ${call.type}}}; Op<name=${call.type}>`);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return undefined;
}

function checkAllowed(call: OpCall, rule: AttrRule, allowed: ReadonlySet<string>, value: unknown): void {
  if (rule.item === 'type') {
    // Not a dtype name: nativeAttrs throws its TypeError.
    if (isDType(value) && !allowed.has(value)) {
      fail(call, `Value for attr '${rule.name}' of ${value} is not in the list of allowed values: ${[...allowed].join(', ')}`);
    }
    return;
  }
  const s = text(value);
  if (s !== undefined && !allowed.has(s)) {
    const list = [...allowed].map((v) => `"${v}"`).join(', ');
    fail(call, `Value for attr '${rule.name}' of "${s}" is not in the list of allowed values: ${list}`);
  }
}

function checkGiven(call: OpCall, rule: AttrRule, kind: string, value: unknown): void {
  // A serialized AttrValue is checked by TF itself.
  if (kind === 'proto') return;
  if (kind !== rule.kind) fail(call, `AttrValue had value with type '${kind}' when '${rule.kind}' expected\n\t for attr '${rule.name}'`);
  if (rule.minimum !== undefined) {
    if (rule.isList && Array.isArray(value) && value.length < rule.minimum) {
      fail(call, `Length for attr '${rule.name}' of ${value.length} must be at least minimum ${rule.minimum}`);
    }
    if (kind === 'int' && (typeof value === 'number' || typeof value === 'bigint') && value < rule.minimum) {
      fail(call, `Value for attr '${rule.name}' of ${value} must be at least minimum ${rule.minimum}`);
    }
  }
  if (rule.allowed !== undefined) {
    if (!rule.isList) checkAllowed(call, rule, rule.allowed, value);
    else if (Array.isArray(value)) for (const v of value) checkAllowed(call, rule, rule.allowed, v);
  }
}

/** What checkEagerCall needs of one op type beyond its OpInfo, worked out on its first call. */
interface Plan {
  /** List inputs whose number or type-list attr has a minimum (TF infers the attr from the list). */
  listMinimums: { index: number; rule: AttrRule; what: 'Value' | 'Length' }[];
  /** Pairs of list inputs sized by one number attr: [attr, first input, other input]. */
  sharedCounts: [string, number, number][];
  /** List inputs whose type-list attr TF infers from the list: [attr, input]. */
  typeLists: [string, number][];
  /** Output lists sized by an attr the caller gives: [attr, output arg]. */
  outputCounts: [string, string][];
  shapeFunctionFirst: boolean;
}

const plans = new Map<string, Plan>();

function planOf(info: OpInfo): Plan {
  let plan = plans.get(info.name);
  if (plan) return plan;
  const inferred = new Set(info.inputs.map((a) => a.numberAttr));
  plan = {
    listMinimums: info.inputs.flatMap((arg, index) => {
      const attr = arg.numberAttr ?? arg.typeListAttr;
      const rule = attr === undefined ? undefined : info.attrs.get(attr);
      return rule?.minimum === undefined ? [] : [{ index, rule, what: arg.numberAttr ? ('Value' as const) : ('Length' as const) }];
    }),
    sharedCounts: info.inputs.flatMap((arg, index) => {
      const first = info.inputs.findIndex((a) => a.numberAttr !== undefined && a.numberAttr === arg.numberAttr);
      return arg.numberAttr !== undefined && first < index ? [[arg.numberAttr, first, index] as [string, number, number]] : [];
    }),
    typeLists: info.inputs.flatMap((arg, index) => (arg.typeListAttr ? [[arg.typeListAttr, index] as [string, number]] : [])),
    outputCounts: info.outputs.flatMap((arg) =>
      arg.numberAttr !== undefined && !inferred.has(arg.numberAttr) ? [[arg.numberAttr, arg.name] as [string, string]] : [],
    ),
    shapeFunctionFirst: SHAPE_FUNCTION_FIRST.has(info.name),
  };
  plans.set(info.name, plan);
  return plan;
}

/**
 * Checks an eager call's attrs against its OpDef: kinds, minimums and allowed values of those given,
 * required ones present, list inputs at least their number attr's minimum long (and as long as the
 * other lists sized by the same attr), and output lists no longer than MAX_EAGER_LIST_OUTPUTS.
 */
export function checkEagerCall(call: OpCall, info: OpInfo): EagerPlan {
  for (const [name, kind, value] of call.attrs) {
    // TF accepts (and ignores) attrs its OpDef lacks, and '_' attrs are TF's own.
    const rule = info.attrs.get(name);
    if (rule !== undefined) checkGiven(call, rule, kind, value);
  }
  for (const name of info.required) {
    if (!call.attrs.some(([given]) => given === name)) {
      throw new InvalidArgumentError(`NodeDef missing attr '${name}' from Op<name=${call.type}>; NodeDef: {{node ${call.type}}}`);
    }
  }
  const plan = planOf(info);
  for (const { index, rule, what } of plan.listMinimums) {
    const input = call.inputs[index];
    if (Array.isArray(input) && input.length < (rule.minimum as number)) {
      fail(call, `${what} for attr '${rule.name}' of ${input.length} must be at least minimum ${rule.minimum}`);
    }
  }
  for (const [attr, first, other] of plan.sharedCounts) {
    const a = call.inputs[first];
    const b = call.inputs[other];
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
      fail(call, `Inconsistent values for attr '${attr}' ${a.length} vs. ${b.length}`);
    }
  }
  for (const [attr, arg] of plan.outputCounts) {
    const given = call.attrs.find(([name]) => name === attr);
    const count = given === undefined ? 0 : Number(given[2]);
    if (count > MAX_EAGER_LIST_OUTPUTS) {
      fail(call, `Attr '${attr}' of ${count} asks for ${count} '${arg}' outputs; an eager op returns at most ${MAX_EAGER_LIST_OUTPUTS}`);
    }
  }
  // TF infers a type-list attr from its list, except from an empty one, which leaves the attr
  // unset for the kernel to trip on (XlaLaunchV2 segfaults): Python's wrappers always set it.
  let emptyTypeLists: OpAttr[] | undefined;
  for (const [attr, index] of plan.typeLists) {
    const input = call.inputs[index];
    if (Array.isArray(input) && input.length === 0 && !call.attrs.some(([name]) => name === attr)) {
      (emptyTypeLists ??= []).push([attr, 'list(type)', []]);
    }
  }
  return { inferShapes: plan.shapeFunctionFirst, extraAttrs: emptyTypeLists };
}

/** What checkEagerCall adds to a call it passes: whether the shape function runs first, and attrs TF leaves unset. */
export interface EagerPlan {
  inferShapes: boolean;
  extraAttrs?: readonly OpAttr[];
}
