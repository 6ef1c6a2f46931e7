// A broad sample of generated tf.rawOps wrappers, run eagerly against Python's tf.raw_ops.
import { assertMatches, fixture, inputTensor } from './helpers/ops_fixture';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

/** The generated wrappers' key rule (snake_case OpDef names → camelCase). */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A fixture kwarg: {tensor: name} → that input, {dtype: name} → the dtype name, else as written. */
function argument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(argument);
  if (value !== null && typeof value === 'object') {
    const ref = value as { tensor?: string; dtype?: string };
    if (ref.tensor !== undefined) return inputTensor(ref.tensor);
    if (ref.dtype !== undefined) return ref.dtype;
  }
  return value;
}

test('the sample spans at least 40 distinct ops', () => {
  assert.ok(new Set(fixture.raw.map((c) => c.op)).size >= 40);
});

/**
 * Python's raw Range converts host ints by Tidx's default (int32); a JS number is float32 (Tidx
 * allows floats), so the start is given as an int32 tensor and the other host numbers follow it.
 */
const INT32_HOST_ARGS: Record<string, string[]> = { Range: ['start'] };

for (const { op, kwargs, expected } of fixture.raw) {
  test(`rawOps.${op} matches Python`, () => {
    const wrapper = (tf.rawOps as unknown as Record<string, (args: object) => unknown>)[op];
    assert.equal(typeof wrapper, 'function', `tf.rawOps.${op} exists`);
    const intArgs = INT32_HOST_ARGS[op] ?? [];
    const result = wrapper(
      Object.fromEntries(
        Object.entries(kwargs).map(([key, value]) => [
          camel(key),
          intArgs.includes(key) ? tf.tensor(value as number, undefined, 'int32') : argument(value),
        ]),
      ),
    );
    // One output, a list output, or an object of named outputs in OpDef order.
    const outputs = result instanceof tf.Tensor ? [result] : Array.isArray(result) ? result : Object.values(result as object);
    assertMatches(outputs, expected, op);
  });
}
