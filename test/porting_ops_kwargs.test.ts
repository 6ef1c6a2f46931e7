// Issue 13 item 5: ops take Python's keyword arguments as a trailing options object beside the
// positional form, against TensorFlow 2.21 (test/fixtures/porting_numbers.json, from
// test/fixtures/generators/porting_numbers_reference.py); bad keys are TypeErrors naming op and key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { keywordArgs } from '../lib/utils/argument_validation';

interface EncodedTensor {
  dtype: string;
  shape: number[];
  values: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'porting_numbers.json'), 'utf8')) as {
  kwargs: Record<string, EncodedTensor> & { split: EncodedTensor[] };
};
const k = fixture.kwargs;

function assertTensor(actual: tf.Tensor, expected: EncodedTensor, what: string): void {
  assert.equal(actual.dtype, expected.dtype, `${what} dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${what} shape`);
  const values = Array.from(actual.dataSync() as ArrayLike<number>, Number);
  values.forEach((v, i) =>
    assert.ok(Math.abs(v - expected.values[i]) <= 1e-6 * Math.max(1, Math.abs(v)), `${what}[${i}]: ${v} vs ${expected.values[i]}`),
  );
}

const X = tf.constant([
  [1, 2, 3],
  [4, 5, 6],
]);
const A = tf.constant([
  [1, 2],
  [3, 4],
]);
const B = tf.constant([
  [5, 6],
  [7, 8],
]);

test('keyword objects give what Python gives, and the positional form the same', () => {
  assertTensor(tf.reduceMean(X, { axis: 1, keepdims: true }), k.reduce_mean, 'reduceMean kw');
  assertTensor(tf.reduceMean(X, 1, true), k.reduce_mean, 'reduceMean positional');
  assertTensor(tf.reduceSum(X, 0, { keepdims: true }), k.reduce_sum_mixed, 'reduceSum mixed');
  assertTensor(tf.reduceMax(X, { axis: -1 }), k.reduce_max, 'reduceMax');
  assertTensor(tf.concat([A, B], { axis: -1 }), k.concat, 'concat kw');
  assertTensor(tf.concat([A, B], -1), k.concat, 'concat positional');
  assertTensor(tf.stack([A, B], { axis: 1 }), k.stack, 'stack');
  assertTensor(tf.matmul(A, B, { transposeB: true }), k.matmul, 'matmul');
  assertTensor(tf.expandDims(A, { axis: 0 }), k.expand_dims, 'expandDims');
  assertTensor(tf.squeeze(tf.ones([1, 2, 1]), { axis: [0] }), k.squeeze, 'squeeze');
  assertTensor(tf.argmax(X, { axis: 1, outputType: 'int32' }), k.argmax, 'argmax');
  assertTensor(tf.cumsum(X, { axis: 1, exclusive: true }), k.cumsum, 'cumsum');
  assertTensor(tf.nn.softmax(X, { axis: 0 }), k.softmax, 'softmax');
  assertTensor(tf.nn.leakyRelu(tf.constant([-1, 2]), { alpha: 0.5 }), k.leaky_relu, 'leakyRelu');
  assertTensor(tf.cast(X, { dtype: 'int32' }), k.cast, 'cast');
  assertTensor(tf.constant(3, { dtype: 'int32', shape: [2] }), k.constant, 'constant');
  tf.split(X, { numOrSizeSplits: [1, 2], axis: 1 }).forEach((t, i) => assertTensor(t, k.split[i], `split ${i}`));
  assertTensor(tf.math.l2Normalize(tf.constant([3, 4]), { axis: 0, epsilon: 1e-12 }), k.l2_normalize, 'l2Normalize');
  assert.equal(tf.add(A, B, { name: 'sum' }).dtype, 'float32');
  assert.equal(tf.range(3, { dtype: 'float32' }).dtype, 'float32');
  assert.equal(tf.zeros([2], { dtype: 'int32' }).dtype, 'int32');
});

test('keyword objects work inside tf.function too', () => {
  const f = tf.function((x: tf.Tensor) => tf.reduceMean(x, { axis: 1, keepdims: true }));
  assertTensor(f(X) as tf.Tensor, k.reduce_mean, 'traced reduceMean');
});

test('an unknown key is a TypeError naming the op, the key and the camelCase spelling', () => {
  assert.throws(() => tf.reduceMean(X, { axis: 1, keep_dims: true } as never), {
    name: 'TypeError',
    message: "tf.reduceMean got an unexpected option 'keep_dims' (did you mean 'keepdims'?). Allowed options: axis, keepdims, name.",
  });
  assert.throws(() => tf.matmul(A, B, { transpose_b: true } as never), {
    name: 'TypeError',
    message:
      "tf.matmul got an unexpected option 'transpose_b' (did you mean 'transposeB'?). Allowed options: transposeA, transposeB, adjointA, adjointB, outputType, name.",
  });
  assert.throws(() => tf.concat([A, B], { dim: 1 } as never), {
    name: 'TypeError',
    message: "tf.concat got an unexpected option 'dim'. Allowed options: axis, name.",
  });
  assert.throws(() => tf.gather(X, [0], { batch_dims: 0 } as never), {
    name: 'TypeError',
    message: "tf.gather got an unexpected option 'batch_dims' (did you mean 'batchDims'?). Allowed options: axis, batchDims, name.",
  });
  assert.throws(() => tf.nn.softmax(X, { dim: 0 } as never), {
    name: 'TypeError',
    message: /^tf\.nn\.softmax got an unexpected option 'dim'/,
  });
  assert.throws(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0], logits: [[1, 2]], from_logits: true } as never), {
    name: 'TypeError',
    message: "tf.nn.sparseSoftmaxCrossEntropyWithLogits got an unexpected option 'from_logits'. Allowed options: labels, logits, name.",
  });
});

test('a host value an op input cannot take names the op and the input', () => {
  assert.throws(() => tf.rawOps.Reshape({ tensor: X, shape: { axis: 1 } as never }), {
    name: 'TypeError',
    message: `Reshape input 'shape': Cannot convert {"axis":1} to a tensor of dtype int32`,
  });
  assert.throws(() => tf.add(X, 'a'), { name: 'TypeError', message: `AddV2 input 'y': Cannot convert "a" to a tensor of dtype float32` });
});

test('a value given positionally and by key is a TypeError; a missing required one too; never a conversion error', () => {
  assert.throws(() => tf.reduceSum(X, 1, { axis: 0 } as never), {
    name: 'TypeError',
    message: "tf.reduceSum got multiple values for argument 'axis' (positionally and in the options object)",
  });
  assert.throws(() => tf.concat([A, B], { name: 'c' }), { name: 'TypeError', message: "tf.concat missing required argument 'axis'" });
  assert.throws(() => tf.cast(X), { name: 'TypeError', message: "tf.cast missing required argument 'dtype'" });
  assert.throws(() => (tf.reduceMean as (...a: unknown[]) => unknown)(X, 1, true, 'n', 'extra'), {
    name: 'TypeError',
    message: 'tf.reduceMean takes at most 3 arguments after its tensors (axis, keepdims, name); got 4',
  });
});

test('keywordArgs: positions, keys and undefined holes merge as Python binds them', () => {
  type O = { a?: number; b?: number; c?: string };
  assert.deepEqual(keywordArgs<O>('f', ['a', 'b', 'c'], []), {});
  assert.deepEqual(keywordArgs<O>('f', ['a', 'b', 'c'], [1, undefined, undefined]), { a: 1 });
  assert.deepEqual(keywordArgs<O>('f', ['a', 'b', 'c'], [undefined, 2, { c: 'x' }]), { b: 2, c: 'x' });
  assert.deepEqual(keywordArgs<O>('f', ['a', 'b', 'c'], [{ a: 1, b: undefined }]), { a: 1 });
  // Tensors and arrays are values, never keyword objects.
  const t = tf.scalar(1);
  assert.equal(keywordArgs<{ a?: unknown }>('f', ['a'], [t]).a, t);
  assert.deepEqual(keywordArgs<{ a?: unknown }>('f', ['a'], [[1, 2]]).a, [1, 2]);
});
