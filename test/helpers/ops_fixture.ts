// Shared by the ops tests: test/fixtures/ops.json (test/fixtures/generators/ops_reference.py) and
// the checks that run each case eagerly and inside tf.function against Python's outputs.
// The fixture was made with oneDNN off (its kernels round differently); set before TF loads.
process.env.TF_ENABLE_ONEDNN_OPTS = '0';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../lib';
import { runtime } from '../../lib/runtime';

type Scalar = number | string | boolean;

export interface EncodedTensor {
  dtype: tf.DType;
  shape: number[];
  values: Scalar[];
}

export type Expected = EncodedTensor | Expected[];

export interface FixtureCase {
  args: string[];
  expected: Expected;
}

export interface RawCase {
  op: string;
  kwargs: Record<string, unknown>;
  expected: Expected[];
}

interface Fixture {
  inputs: Record<string, EncodedTensor>;
  math: Record<string, FixtureCase>;
  array: Record<string, FixtureCase>;
  nn: Record<string, FixtureCase>;
  raw: RawCase[];
}

export const fixture: Fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ops.json'), 'utf8'));

const FLOAT_DTYPES = new Set<tf.DType>(['float16', 'bfloat16', 'float32', 'float64']);
const RTOL = 1e-5;
const ATOL = 1e-7;

/** JSON cannot hold NaN or ±Infinity, so the generator writes them as strings. */
function decode(value: Scalar, dtype: tf.DType): Scalar {
  if (dtype === 'string' || typeof value !== 'string') return value;
  return Number(value);
}

export function inputTensor(name: string): tf.Tensor {
  const input = fixture.inputs[name];
  assert.ok(input, `no fixture input '${name}'`);
  return tf.tensor(input.values.map((v) => decode(v, input.dtype)) as number[], input.shape, input.dtype);
}

/** A tensor's values, flat, as numbers/booleans/strings (int64 as numbers). */
function flatValues(t: tf.Tensor): Scalar[] {
  return Array.from(t.dataSync() as ArrayLike<Scalar | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

export type Result = tf.Tensor | Result[];

/** Asserts `actual` has Python's dtype and shape, and values within rtol 1e-5 (exact for non-floats). */
export function assertMatches(actual: unknown, expected: Expected, label: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${label}: expected ${expected.length} tensors, got ${actual}`);
    assert.equal(actual.length, expected.length, `${label}: number of outputs`);
    expected.forEach((e, i) => assertMatches(actual[i], e, `${label}[${i}]`));
    return;
  }
  assert.ok(actual instanceof tf.Tensor, `${label}: expected a tensor, got ${actual}`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  const got = flatValues(actual);
  const want = expected.values.map((v) => decode(v, expected.dtype));
  if (!FLOAT_DTYPES.has(expected.dtype)) {
    assert.deepEqual(got, want, `${label}: values`);
    return;
  }
  got.forEach((g, i) => {
    const [a, e] = [g as number, want[i] as number];
    const close = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
    assert.ok(close, `${label}: element ${i} is ${a}, Python gives ${e}`);
  });
}

function valuesOf(result: unknown): unknown {
  return Array.isArray(result) ? result.map(valuesOf) : flatValues(result as tf.Tensor);
}

export type CaseFunction = (...args: tf.Tensor[]) => Result;

/**
 * One test per fixture case: the TypeScript call matches Python eagerly and inside tf.function,
 * where a second call reuses the trace and returns identical values.
 */
export function checkCases(section: Record<string, FixtureCase>, calls: Record<string, CaseFunction>): void {
  for (const [key, { args, expected }] of Object.entries(section)) {
    test(`${key} matches Python eagerly and in tf.function`, () => {
      const call = calls[key];
      assert.ok(call, `no TypeScript call for fixture case '${key}'`);
      const inputs = args.map(inputTensor);
      assertMatches(call(...inputs), expected, key);
      const traced = tf.function((...symbolic: tf.Tensor[]) => call(...symbolic));
      const first = traced(...inputs);
      assertMatches(first, expected, `${key} in tf.function`);
      assert.deepEqual(valuesOf(traced(...inputs)), valuesOf(first), `${key}: second call of the traced function`);
      assert.equal(traced.tracingCount, 1);
    });
  }
  test('every TypeScript call has a fixture case (rerun test/fixtures/generators/ops_reference.py after adding one)', () => {
    assert.deepEqual(
      Object.keys(calls).filter((key) => !(key in section)),
      [],
    );
  });
}

/** Asserts each function a module exports is the subject of some case ('name' or 'name:variant'). */
export function assertEveryFunctionCovered(
  module: object,
  section: Record<string, FixtureCase>,
  testedElsewhere: readonly string[] = [],
): void {
  const exports = module as Record<string, unknown>;
  const covered = new Set(Object.keys(section).map((key) => exports[key.split(':')[0]]));
  const missing = Object.entries(exports)
    .filter(([name, value]) => typeof value === 'function' && !covered.has(value) && !testedElsewhere.includes(name))
    .map(([name]) => name);
  assert.deepEqual(missing, []);
}

/** The sorted types of the graph ops one trace of `fn` adds (placeholders included). */
export function tracedOpTypes(fn: (...args: tf.Tensor[]) => tf.Tensor, ...args: tf.Tensor[]): string[] {
  let scope = '';
  const traced = tf.function((...symbolic: tf.Tensor[]) => {
    const out = fn(...symbolic);
    scope = String(out.name).split('/')[0];
    return out;
  });
  traced(...args);
  // Each argument's EnsureShape is tf.function's (it states the signature to grappler), not the op's.
  return runtime.graph
    .operations()
    .filter((op) => op.name.startsWith(`${scope}/`) && op.type !== 'EnsureShape')
    .map((op) => op.type)
    .sort();
}
