// Comparing layer outputs and configs with Keras fixtures: values within rtol/atol (tracking the
// largest differences for the report) and configs whose numbers may differ by float32 rounding.
import assert from 'node:assert/strict';

import * as tf from '../../lib';

export type Nested = number | boolean | Nested[];

export const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);

/** assertClose with a default tolerance, keeping the largest absolute and relative (|ref| > 1e-3) differences seen. */
export function closeness(defaultAtol: number) {
  const worst = { abs: 0, rel: 0 };
  function assertClose(actual: tf.Tensor, expected: Nested, what: string, rtol = 1e-5, atol = defaultAtol): void {
    const got = Array.from(actual.dataSync() as Float32Array);
    const want = flat(expected);
    assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
    got.forEach((v, i) => {
      const diff = Math.abs(v - want[i]);
      worst.abs = Math.max(worst.abs, diff);
      if (Math.abs(want[i]) > 1e-3) worst.rel = Math.max(worst.rel, diff / Math.abs(want[i]));
      assert.ok(diff <= atol + rtol * Math.abs(want[i]), `${what}[${i}]: ${v} vs ${want[i]}`);
    });
  }
  return { worst, assertClose };
}

/** Config values compare as Keras' (numbers within float32 rounding of Python's doubles). */
export function assertConfigEqual(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - expected) <= 1e-7 * Math.abs(expected), `${where}: ${actual} vs ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertConfigEqual(actual[i], e, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const [k, v] of Object.entries(expected)) assertConfigEqual((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}
