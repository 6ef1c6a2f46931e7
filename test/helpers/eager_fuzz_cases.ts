// Cases for the eager rawOps fuzz (test/helpers/eager_fuzz.ts): case `index` of seed `seed` is one
// generated rawOp called with random inputs and attrs, made from its own seeded generator, so any
// case is rebuilt from (seed, index) alone: in the child that runs it, in the parent that reports
// its death, and as JSON for the Python replay (eager_fuzz_replay.py).
import * as tf from '../../lib';
import { DType } from '../../lib/dtypes';
import { AttrRule, opInfo } from '../../lib/op_registry';
import { OP_SIGNATURES } from '../../lib/ops/generated/op_signatures';

/** mulberry32, seeded by (seed, index). */
export function rng(seed: number, index: number) {
  let a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

/**
 * Ops the fuzz does not call, and why: each would stop or stall the harness by design, not by a
 * bug (a death or hang of any other op is a finding).
 */
export const NOT_FUZZED: Readonly<Record<string, string>> = {
  Abort: 'ends the process by design',
  Unstage: 'waits for an element another op stages',
  StagePeek: 'waits for an element another op stages',
  Stage: 'waits while its staging area (shared by every case) is full',
  MapStage: 'waits while its staging area (shared by every case) is full',
  OrderedMapStage: 'waits while its staging area (shared by every case) is full',
  MapUnstage: 'waits for an element another op stages',
  MapUnstageNoKey: 'waits for an element another op stages',
  MapPeek: 'waits for an element another op stages',
  OrderedMapUnstage: 'waits for an element another op stages',
  OrderedMapUnstageNoKey: 'waits for an element another op stages',
  OrderedMapPeek: 'waits for an element another op stages',
  UnbatchGrad: 'waits for the gradients of the rest of its batch',
  RandomPoisson: 'samples for as long as its rate asks: an infinite rate never ends (in Python TF too)',
  RandomPoissonV2: 'samples for as long as its rate asks: an infinite rate never ends (in Python TF too)',
  ThreadUnsafeUnigramCandidateSampler:
    'takes time and memory in proportion to range_max (2^31: minutes, or std::bad_alloc; in Python TF too)',
  RecordInput: 'reads every file its pattern matches in background threads, which hang on or crash (in Python TF too) after the case',
  CollectiveReduce: 'waits for the other members of its group',
  CollectiveReduceV2: 'waits for the other members of its group',
  CollectiveReduceV3: 'waits for the other members of its group',
  CollectiveReduceScatterV2: 'waits for the other members of its group',
  CollectiveGather: 'waits for the other members of its group',
  CollectiveGatherV2: 'waits for the other members of its group',
  CollectiveBcastSend: 'waits for the other members of its group',
  CollectiveBcastSendV2: 'waits for the other members of its group',
  CollectiveBcastRecv: 'waits for the other members of its group',
  CollectiveBcastRecvV2: 'waits for the other members of its group',
  CollectiveAllToAllV2: 'waits for the other members of its group',
  CollectiveAllToAllV3: 'waits for the other members of its group',
  CollectiveInitializeCommunicator: 'waits for the other members of its group',
  CollectiveAssignGroupV2: 'waits for the other members of its group',
};

export const FUZZED_OPS: readonly string[] = Object.keys(OP_SIGNATURES)
  .filter((op) => !Object.hasOwn(NOT_FUZZED, op))
  .sort();

/** A host tensor: flat values (complex: re, im pairs), as tf.tensor takes them. */
export interface TensorSpec {
  dtype: DType;
  shape: number[];
  values: (number | string | boolean)[];
}

/** A value only an op can make: an initialised or empty resource variable, or an empty tensor list. */
export interface HandleSpec {
  handle: 'variable' | 'uninitialized_variable' | 'tensor_list';
}

export type InputSpec = TensorSpec | HandleSpec;

export interface FuzzCase {
  seed: number;
  index: number;
  op: string;
  /** By the OpDef's input arg names; list args hold arrays. */
  inputs: Record<string, InputSpec | InputSpec[]>;
  /** By the OpDef's attr names; a 'tensor' attr holds { tensor: TensorSpec }. */
  attrs: Record<string, unknown>;
}

const VALUE_DTYPES: DType[] = [
  'float32',
  'float64',
  'int32',
  'int64',
  'uint8',
  'int8',
  'int16',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'string',
  'float16',
  'bfloat16',
  'complex64',
  'complex128',
];
const ALL_DTYPES: DType[] = [...VALUE_DTYPES, 'resource', 'variant', 'qint8', 'quint8', 'qint32'];
const COMMON_DTYPES: DType[] = ['float32', 'float32', 'float32', 'int32', 'int32', 'int64', 'float64', 'bool', 'string'];
const STRINGS = ['', 'a', 'abc', '0', '1.5', 'SAME', 'VALID', 'NHWC', 'é', 'x'.repeat(40), '/', '*'];

function randomInt(r: Rng, dtype: DType): number {
  if (r.chance(0.88)) return dtype.startsWith('uint') ? r.int(0, 6) : r.int(-2, 6);
  switch (dtype) {
    case 'int8':
      return r.pick([127, -128, -1]);
    case 'uint8':
      return 255;
    case 'int16':
      return r.pick([32767, -32768]);
    case 'uint16':
      return 65535;
    case 'uint32':
      return r.pick([2 ** 32 - 1, 2 ** 31]);
    case 'uint64':
      return r.pick([2 ** 53, 2 ** 40]);
    case 'int64':
      return r.pick([-1, 2 ** 40, -(2 ** 53), 2 ** 53, 2 ** 31, 1e9]);
    default:
      return r.pick([-1, 2 ** 31 - 1, -(2 ** 31), 1e9, 65536]);
  }
}

function randomValue(r: Rng, dtype: DType): number | string | boolean {
  if (dtype === 'string') return r.pick(STRINGS);
  if (dtype === 'bool') return r.chance(0.5);
  if (/int/.test(dtype)) return randomInt(r, dtype);
  if (r.chance(0.85)) return r.int(-8, 8) / r.pick([1, 2, 4]);
  return r.pick([NaN, Infinity, -Infinity, -0, 1e30, -1e30, 1e-40, 65504]);
}

function randomShape(r: Rng): number[] {
  const rank = r.chance(0.9) ? r.int(0, 3) : r.int(4, 5);
  return Array.from({ length: rank }, () => (r.chance(0.9) ? r.int(0, 3) : r.int(4, 8)));
}

function randomTensor(r: Rng, dtype: DType): TensorSpec {
  const shape = randomShape(r);
  const size = shape.reduce((a, b) => a * b, 1) * (dtype.startsWith('complex') ? 2 : 1);
  const lanes = dtype === 'complex64' ? 'float32' : dtype === 'complex128' ? 'float64' : dtype;
  return { dtype, shape, values: Array.from({ length: size }, () => randomValue(r, lanes)) };
}

function randomInput(r: Rng, dtype: DType | undefined): InputSpec {
  const d = dtype ?? r.pick(COMMON_DTYPES);
  if (d === 'resource') return { handle: r.chance(0.8) ? 'variable' : 'uninitialized_variable' };
  if (d === 'variant') return { handle: 'tensor_list' };
  if (!VALUE_DTYPES.includes(d)) return randomTensor(r, 'float32');
  return randomTensor(r, d);
}

function pickType(r: Rng, rule: AttrRule | undefined): DType {
  const allowed = rule?.allowed ? ([...rule.allowed] as DType[]) : undefined;
  if (allowed?.length && r.chance(0.9)) return r.pick(allowed);
  return r.chance(0.8) ? r.pick(COMMON_DTYPES) : r.pick(ALL_DTYPES);
}

function randomAttrItem(r: Rng, item: string, rule: AttrRule): unknown {
  switch (item) {
    case 'int':
      return rule.minimum !== undefined && !rule.isList && r.chance(0.8)
        ? rule.minimum + r.int(0, 3)
        : r.chance(0.85)
          ? r.int(-2, 6)
          : r.pick([-1, 2 ** 31 - 1, 1e9, 2 ** 40]);
    case 'float':
      return r.chance(0.8) ? r.int(-4, 8) / 4 : r.pick([NaN, Infinity, -Infinity, 1e30, 1e-40]);
    case 'bool':
      return r.chance(0.5);
    case 'type':
      return pickType(r, rule);
    case 'shape':
      if (r.chance(0.15)) return null;
      if (r.chance(0.03)) return [2 ** 40, 2 ** 40];
      return randomShape(r).map((d) => (r.chance(0.15) ? -1 : d));
    case 'string':
      return rule.allowed && r.chance(0.9) ? r.pick([...rule.allowed]) : r.pick(STRINGS);
    case 'func':
      return r.pick(['', 'no_such_function']);
    case 'tensor':
      return { tensor: randomTensor(r, r.pick(COMMON_DTYPES)) };
    default:
      return undefined;
  }
}

function randomAttr(r: Rng, rule: AttrRule): unknown {
  if (rule.kind === 'list(func)') return undefined;
  if (!rule.isList) return randomAttrItem(r, rule.item, rule);
  const length = rule.minimum !== undefined && r.chance(0.8) ? rule.minimum + r.int(0, 2) : r.int(0, 4);
  return Array.from({ length }, () => randomAttrItem(r, rule.item, rule));
}

/** Case `index` of `seed`: a deterministic op, inputs and attrs. */
export function makeCase(seed: number, index: number): FuzzCase {
  const r = rng(seed, index);
  const op = r.pick(FUZZED_OPS);
  const info = opInfo(op);
  const typeOf = new Map<string, DType>();
  const countOf = new Map<string, number>();
  const inputs: FuzzCase['inputs'] = {};
  for (const arg of info.inputs) {
    let dtype = arg.fixedType;
    if (arg.typeAttr) {
      if (!typeOf.has(arg.typeAttr)) typeOf.set(arg.typeAttr, pickType(r, info.attrs.get(arg.typeAttr)));
      dtype = typeOf.get(arg.typeAttr);
    }
    if (r.chance(0.05)) dtype = r.pick(ALL_DTYPES);
    if (arg.numberAttr) {
      if (!countOf.has(arg.numberAttr)) countOf.set(arg.numberAttr, r.chance(0.95) ? r.int(1, 3) : 0);
      inputs[arg.name] = Array.from({ length: countOf.get(arg.numberAttr) as number }, () => randomInput(r, dtype));
    } else if (arg.typeListAttr) {
      inputs[arg.name] = Array.from({ length: r.int(0, 3) }, () => randomInput(r, r.pick(COMMON_DTYPES)));
    } else {
      inputs[arg.name] = randomInput(r, dtype);
    }
  }
  const inferred = new Set(info.inputs.flatMap((a) => [a.typeAttr, a.numberAttr, a.typeListAttr]));
  const attrs: Record<string, unknown> = {};
  for (const rule of info.attrs.values()) {
    if (inferred.has(rule.name)) continue;
    if (!r.chance(rule.required ? 0.95 : 0.35)) continue;
    const value = randomAttr(r, rule);
    if (value !== undefined) attrs[rule.name] = value;
  }
  return { seed, index, op, inputs, attrs };
}

// ---- Running a case (in the child) ----

/** The wrappers' key rule (lib/ops/generated/call_op.ts). */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

let handles = 0;

function build(spec: InputSpec, made: tf.Tensor[]): tf.Tensor {
  let t: tf.Tensor;
  if ('handle' in spec) {
    if (spec.handle === 'tensor_list') {
      t = tf.rawOps.EmptyTensorList({ elementShape: tf.constant(-1, 'int32'), maxNumElements: 3, elementDtype: 'float32' });
    } else {
      t = tf.rawOps.VarHandleOp({ dtype: 'float32', shape: [2], sharedName: `fuzz_${handles++}` });
      if (spec.handle === 'variable') {
        // Disposed at once, as Python frees it: a value still referenced is copied on a sparse
        // update, whose copy CHECK-fails on a dtype mismatch (docs/RELIABILITY.md).
        const value = tf.constant([1, 2], 'float32');
        tf.rawOps.AssignVariableOp({ resource: t, value });
        value.dispose();
      }
    }
  } else {
    const values = spec.dtype === 'int64' || spec.dtype === 'uint64' ? spec.values.map((v) => BigInt(v as number)) : spec.values;
    t = tf.tensor(values as never, spec.shape, spec.dtype);
  }
  made.push(t);
  return t;
}

/** Each tensor of a wrapper's result (a tensor, a list, or an object of either). */
function visit(value: unknown, f: (t: tf.Tensor) => unknown): void {
  if (value instanceof tf.Tensor) f(value);
  else if (Array.isArray(value)) for (const v of value) visit(v, f);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v, f);
}

const ALLOWED_ERRORS = [TypeError, RangeError, tf.errors.OpError];

/** Runs a case: 'ok', the error class it threw, or 'unexpected <class>: <message>' for any other error. */
export function runCase(c: FuzzCase): string {
  const made: tf.Tensor[] = [];
  try {
    const args: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(c.inputs)) {
      args[camel(name)] = Array.isArray(spec) ? spec.map((s) => build(s, made)) : build(spec, made);
    }
    for (const [name, value] of Object.entries(c.attrs)) {
      const tensor = (value as { tensor?: TensorSpec } | null)?.tensor;
      args[camel(name)] = tensor ? build(tensor, made) : value;
    }
    const wrapper = (tf.rawOps as unknown as Record<string, (a: object) => unknown>)[c.op];
    const result = wrapper(args);
    visit(result, (t) => t.shape);
    visit(result, (t) => t.dispose());
    return 'ok';
  } catch (e) {
    if (ALLOWED_ERRORS.some((k) => e instanceof k)) return (e as Error).constructor.name;
    return `unexpected ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message ?? e).slice(0, 200)}`;
  } finally {
    for (const t of made) t.dispose();
  }
}
