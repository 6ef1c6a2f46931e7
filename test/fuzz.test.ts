// A seeded property-based fuzzer over the public entry points: host tensors with random dtypes,
// shapes and data; raw graph ops with random attributes and inputs; session runs with random
// feeds; eager ops. Property: every call either works (and round-trips) or throws a TypeError,
// RangeError or tf.errors class, the process survives, and no native tensor is leaked.
// FUZZ_SEED and FUZZ_SECONDS (default 15) widen a run by hand: FUZZ_SECONDS=300 FUZZ_SEED=7 node --test dist/test/fuzz.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { binding, NativeOutput, NativeTensor } from '../lib/native';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 15);
// FUZZ_TRACE=1 prints each case before it runs, to find the one that takes the process down.
const TRACE = process.env.FUZZ_TRACE === '1';

/** mulberry32: small, seedable, good enough to pick cases. */
function rng(seed: number) {
  let a = seed >>> 0;
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

const DTYPES: tf.DType[] = [
  'float32',
  'float64',
  'int32',
  'int64',
  'uint8',
  'int8',
  'int16',
  'uint16',
  'bool',
  'string',
  'float16',
  'complex64',
];
const ODD_NUMBERS = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e-45, 3.4e38, 255, 256, -129];

function randomShape(r: Rng): number[] {
  const shape = Array.from({ length: r.int(0, 4) }, () => r.int(0, 4));
  if (r.chance(0.08)) shape[r.int(0, shape.length)] = r.pick([-1, 1.5, NaN, 2 ** 45]);
  return shape;
}

function randomScalar(r: Rng, dtype: tf.DType): unknown {
  if (r.chance(0.05)) return r.pick<unknown>(['x', null, undefined, {}, [], 1n, true, Symbol('s')]);
  switch (dtype) {
    case 'string':
      return r.chance(0.9) ? 'é'.repeat(r.int(0, 40)) : r.int(0, 9);
    case 'bool':
      return r.chance(0.9) ? r.chance(0.5) : r.int(0, 2);
    case 'int64':
      return r.chance(0.7) ? BigInt(r.int(-1000, 1000)) : r.pick(ODD_NUMBERS);
    default:
      return r.chance(0.7) ? r.int(-100, 100) / (r.chance(0.5) ? 1 : 8) : r.pick(ODD_NUMBERS);
  }
}

/** Values for `shape`, sometimes with the wrong count or a ragged nesting. */
function randomValues(r: Rng, dtype: tf.DType, shape: number[]): unknown {
  const size = shape.every((d) => Number.isInteger(d) && d >= 0 && d < 100) ? shape.reduce((a, b) => a * b, 1) : 3;
  const count = r.chance(0.1) ? size + r.pick([-1, 1]) : size;
  const flat = Array.from({ length: Math.max(0, count) }, () => randomScalar(r, dtype));
  if (r.chance(0.1)) return [flat, [flat[0]]];
  return flat;
}

const ALLOWED = [TypeError, RangeError, tf.errors.OpError];

/** Runs one fuzz case: success, or an allowed error; anything else is a finding. */
function guarded<T>(what: () => string, body: () => T): T | undefined {
  if (TRACE) process.stderr.write(`fuzz case: ${what()}\n`);
  try {
    return body();
  } catch (e) {
    if (ALLOWED.some((k) => e instanceof k)) return undefined;
    assert.fail(`${what()} threw ${String(e)}`);
  }
}

function fuzzTensor(r: Rng, stats: Stats): void {
  const dtype = r.chance(0.05) ? ('float33' as tf.DType) : r.pick(DTYPES);
  const shape = randomShape(r);
  const values = randomValues(r, dtype, shape);
  const t = guarded(
    () =>
      `tf.tensor(${JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'Symbol' : v))}, [${shape}], ${dtype})`,
    () => tf.tensor(values as never, r.chance(0.8) ? shape : undefined, dtype),
  );
  if (!t) return void stats.rejected++;
  stats.accepted++;
  assert.equal(t.dtype, dtype);
  const flat = t.dataSync();
  assert.equal(flat.length, (t.shape as number[]).reduce((a, b) => a * b, 1) * (dtype === 'complex64' ? 2 : 1));
  t.dispose();
}

const TYPED: [number, () => ArrayBufferView][] = [
  [1, () => new Float32Array(0)],
  [2, () => new Float64Array(0)],
  [3, () => new Int32Array(0)],
  [4, () => new Uint8Array(0)],
  [9, () => new BigInt64Array(0)],
  [10, () => new Uint8Array(0)],
  [19, () => new Uint16Array(0)],
  [8, () => new Float32Array(0)],
];

function fuzzRawTensor(r: Rng, stats: Stats): void {
  const dtype = r.chance(0.1) ? r.pick([0, 7, 20, 21, 999, -3, 1.5]) : r.pick(TYPED)[0];
  const shape = randomShape(r);
  const size = shape.every((d) => Number.isInteger(d) && d >= 0 && d < 100) ? shape.reduce((a, b) => a * b, 1) : 2;
  const make = r.pick(TYPED)[1]().constructor as new (n: number) => ArrayBufferView;
  const length = Math.max(0, size * (dtype === 8 ? 2 : 1) + (r.chance(0.15) ? r.pick([-1, 1]) : 0));
  const data = r.chance(0.05) ? r.pick<unknown>(['abc', [1, 2], null, {}]) : new make(length);
  const t = guarded(
    () => `new Tensor(${dtype}, [${shape}], ${data?.constructor?.name}(${length}))`,
    () => new tf.raw.Tensor(dtype, shape, data as never),
  );
  if (!t) return void stats.rejected++;
  stats.accepted++;
  assert.deepEqual(t.shape, shape);
  t.data();
  t.dispose();
}

// Ops with inputs and attrs that are easy to get wrong in many ways; TF validates each of them.
const GRAPH_OPS: { type: string; inputs: number; attrs: [string, string][] }[] = [
  {
    type: 'Placeholder',
    inputs: 0,
    attrs: [
      ['dtype', 'type'],
      ['shape', 'shape'],
    ],
  },
  {
    type: 'Const',
    inputs: 0,
    attrs: [
      ['value', 'tensor'],
      ['dtype', 'type'],
    ],
  },
  { type: 'Identity', inputs: 1, attrs: [['T', 'type']] },
  { type: 'AddV2', inputs: 2, attrs: [['T', 'type']] },
  {
    type: 'MatMul',
    inputs: 2,
    attrs: [
      ['transpose_a', 'bool'],
      ['T', 'type'],
    ],
  },
  { type: 'Reshape', inputs: 2, attrs: [['Tshape', 'type']] },
  {
    type: 'Cast',
    inputs: 1,
    attrs: [
      ['DstT', 'type'],
      ['Truncate', 'bool'],
    ],
  },
  {
    type: 'Sum',
    inputs: 2,
    attrs: [
      ['keep_dims', 'bool'],
      ['Tidx', 'type'],
    ],
  },
  { type: 'ConcatV2', inputs: -1, attrs: [['N', 'int']] },
  { type: 'Fill', inputs: 2, attrs: [['index_type', 'type']] },
  { type: 'Transpose', inputs: 2, attrs: [['Tperm', 'type']] },
  { type: 'Square', inputs: 1, attrs: [] },
  { type: 'NoSuchOp', inputs: 1, attrs: [['x', 'int']] },
];
const ATTR_KINDS = ['int', 'float', 'bool', 'type', 'shape', 'string', 'tensor', 'list(int)', 'list(type)', 'weird'];

function randomAttrValue(r: Rng, kind: string, owned: NativeTensor[]): unknown {
  switch (kind) {
    case 'int':
      return r.pick<unknown>([r.int(-3, 5), 1.5, 'x', 2n ** 70n]);
    case 'float':
      return r.pick<unknown>([r.next(), NaN, 'x']);
    case 'bool':
      return r.pick<unknown>([true, false, 1]);
    case 'type':
      return r.pick<unknown>([1, 3, 7, 9, 10, 0, 2000, 'float32']);
    case 'shape':
      return r.pick<unknown>([null, [], [2], [-1, 3], [r.int(0, 3), r.int(0, 3)], [-5], 'x']);
    case 'string':
      return r.pick<unknown>(['', 'abc', new Uint8Array([0, 255]), 5]);
    case 'tensor': {
      const n = r.int(0, 3);
      const t = r.chance(0.5) ? new tf.raw.Tensor(1, [n], new Float32Array(n)) : new tf.raw.Tensor(3, [n], new Int32Array(n));
      owned.push(t);
      return r.chance(0.9) ? t : 'not a tensor';
    }
    case 'list(int)':
      return [r.int(0, 3), r.int(0, 3)];
    case 'list(type)':
      return [1, r.pick([3, 7])];
    default:
      return 1;
  }
}

function fuzzGraph(r: Rng, stats: Stats): void {
  const g = new tf.raw.Graph();
  const outputs: NativeOutput[] = [];
  const owned: NativeTensor[] = [];
  for (let i = 0; i < r.int(3, 14); ++i) {
    const spec = r.pick(GRAPH_OPS);
    const attrs = spec.attrs
      .filter(() => r.chance(0.85))
      .map(([name, kind]) => {
        const k = r.chance(0.12) ? r.pick(ATTR_KINDS) : kind;
        return [name, k, randomAttrValue(r, k, owned)] as const;
      });
    if (r.chance(0.1)) attrs.push(['unknown_attr', 'int', 1] as const);
    // A Const whose dtype attr differs from its value's dtype aborts the process in TF's shape
    // inference of ops that read it (see bad_input_corpus): keep the two in step.
    const value = attrs.find(([name, kind, v]) => spec.type === 'Const' && name === 'value' && kind === 'tensor' && typeof v === 'object');
    const dtype = attrs.findIndex(([name]) => spec.type === 'Const' && name === 'dtype');
    if (value && dtype >= 0) attrs[dtype] = ['dtype', 'type', (value[2] as NativeTensor).dtype] as const;
    const pickInput = (): NativeOutput | undefined => {
      const o = outputs.length > 0 ? r.pick(outputs) : undefined;
      return o && r.chance(0.05) ? { op: o.op, index: r.pick([1, 7, -1]) } : o;
    };
    const inputs =
      spec.inputs < 0
        ? [Array.from({ length: r.int(0, 3) }, pickInput).filter((o) => o !== undefined), pickInput()]
        : Array.from({ length: spec.inputs }, pickInput);
    if (inputs.some((input) => input === undefined)) continue;
    const op = guarded(
      () =>
        `addOperation(${spec.type}, attrs ${JSON.stringify(
          attrs.map(([n, k, v]) => [n, k, typeof v === 'object' && v !== null && !Array.isArray(v) ? String(v) : v]),
          (_, v) => (typeof v === 'bigint' ? `${v}n` : v),
        )})`,
      () => g.addOperation({ type: spec.type, name: `${spec.type}_${i}`, inputs: inputs as NativeOutput[], attrs }),
    );
    if (op) {
      stats.ops++;
      for (let k = 0; k < op.numOutputs; ++k) outputs.push({ op, index: k });
    } else {
      stats.rejectedOps++;
    }
  }
  for (const t of owned) t.dispose();
  fuzzRuns(r, g, outputs, stats);
}

function randomFeed(r: Rng): NativeTensor {
  const dtype = r.pick([1, 1, 3, 9]);
  const shape = Array.from({ length: r.int(0, 2) }, () => r.int(0, 3));
  const size = shape.reduce((a, b) => a * b, 1);
  const data =
    dtype === 1
      ? new Float32Array(size).fill(r.next())
      : dtype === 3
        ? new Int32Array(size).fill(r.int(-2, 2))
        : new BigInt64Array(size).fill(1n);
  return new tf.raw.Tensor(dtype, shape, data);
}

function fuzzRuns(r: Rng, g: tf.raw.Graph, outputs: NativeOutput[], stats: Stats): void {
  if (outputs.length === 0) return;
  const session = new tf.raw.Session(g);
  const placeholders = outputs.filter((o) => o.op.type === 'Placeholder');
  for (let k = 0; k < r.int(1, 4); ++k) {
    const feeds = placeholders.filter(() => r.chance(0.8)).map((p) => [p, randomFeed(r)] as const);
    const fetches = outputs.filter(() => r.chance(0.3));
    const results = guarded(
      () => `run fetching ${fetches.map((o) => `${o.op.name}:${o.index}`)}`,
      () => session.run({ feeds, fetches }),
    );
    if (results) {
      stats.runs++;
      for (const t of results) {
        if (t.dtype !== 21) t.data();
        t.dispose();
      }
    } else {
      stats.failedRuns++;
    }
    for (const [, t] of feeds) t.dispose();
  }
  session.close();
}

const EAGER_OPS: [string, number, string][] = [
  ['AddV2', 2, 'z'],
  ['MatMul', 2, 'product'],
  ['Neg', 1, 'y'],
  ['Reshape', 2, 'output'],
  ['Cast', 1, 'y'],
  ['Sum', 2, 'output'],
  ['Fill', 2, 'output'],
  ['Relu', 1, 'activations'],
  ['Pack', -1, 'output'],
];

function fuzzEager(r: Rng, stats: Stats): void {
  const [type, arity, output] = r.pick(EAGER_OPS);
  // Not 0 for a list: an empty list input crashes TF's eager attr inference (see bad_input_corpus).
  const feeds = Array.from({ length: arity < 0 ? r.int(1, 3) : arity }, () => randomFeed(r));
  const handles = feeds.map((t) => new binding.TensorHandle(t));
  for (const t of feeds) t.dispose();
  const attrs = r.chance(0.4)
    ? [[r.pick(['T', 'DstT', 'N', 'axis', 'keep_dims', 'nope']), r.pick(ATTR_KINDS.slice(0, 5)), randomAttrValue(r, 'type', [])] as const]
    : [];
  const result = guarded(
    () => `eager ${type}(${handles.map((h) => `${h.dtype}[${h.shape}]`)}) attrs ${JSON.stringify(attrs)}`,
    () => binding.eagerExecute({ type, inputs: arity < 0 ? [handles] : handles, attrs: attrs as never, outputs: [output] }),
  );
  if (result) {
    stats.eager++;
    for (const h of result.flat()) {
      const t = h.resolve();
      if (t.dtype !== 21) t.data();
      t.dispose();
      h.dispose();
    }
  } else {
    stats.failedEager++;
  }
  for (const h of handles) h.dispose();
}

interface Stats {
  executions: number;
  accepted: number;
  rejected: number;
  ops: number;
  rejectedOps: number;
  runs: number;
  failedRuns: number;
  eager: number;
  failedEager: number;
}

test(`fuzz the public entry points for ${SECONDS} s (seed ${SEED})`, { timeout: (SECONDS + 30) * 1000 }, () => {
  const r = rng(SEED);
  const stats: Stats = {
    executions: 0,
    accepted: 0,
    rejected: 0,
    ops: 0,
    rejectedOps: 0,
    runs: 0,
    failedRuns: 0,
    eager: 0,
    failedEager: 0,
  };
  const tensorsBefore = tf.raw.liveTensorCount();
  const handlesBefore = binding.liveHandleCount();
  const deadline = Date.now() + SECONDS * 1000;
  const targets = [fuzzTensor, fuzzTensor, fuzzRawTensor, fuzzRawTensor, fuzzGraph, fuzzEager, fuzzEager];
  while (Date.now() < deadline) {
    r.pick(targets)(r, stats);
    stats.executions++;
  }
  console.log(`fuzz: ${JSON.stringify(stats)}`);
  assert.ok(stats.accepted > 0 && stats.rejected > 0 && stats.ops > 0 && stats.runs > 0 && stats.eager > 0, JSON.stringify(stats));
  // Everything a case made was disposed: nothing native outlives it (tensors rejected mid-way included).
  assert.equal(tf.raw.liveTensorCount(), tensorsBefore);
  assert.equal(binding.liveHandleCount(), handlesBefore);
});
