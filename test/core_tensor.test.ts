import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

test('tf.tensor, scalar, constant, zeros, ones, fill, range', () => {
  const t = tf.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  // JS numbers are float32 (tfjs' rule): JavaScript cannot tell 1 from 1.0.
  assert.equal(t.dtype, 'float32');
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.rank, 2);
  assert.equal(t.size, 6);
  assert.deepEqual(t.dataSync(), new Float32Array([1, 2, 3, 4, 5, 6]));
  assert.equal(tf.tensor([1, 2], undefined, 'int32').dtype, 'int32');
  assert.deepEqual(t.arraySync(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(tf.tensor([1, 2, 3, 4], [2, 2], 'float32').numpy(), [
    [1, 2],
    [3, 4],
  ]);
  assert.equal(tf.scalar(2.5).numpy(), 2.5);
  assert.equal(tf.scalar(3, 'int64').numpy(), 3n);
  assert.equal(tf.constant(true).dtype, 'bool');
  assert.deepEqual(tf.constant('abc').numpy(), 'abc');
  assert.deepEqual(tf.zeros([2, 2]).numpy(), [
    [0, 0],
    [0, 0],
  ]);
  assert.equal(tf.zeros([3]).dtype, 'float32');
  assert.deepEqual(tf.ones([2], 'int32').numpy(), [1, 1]);
  assert.deepEqual(tf.ones([2], 'bool').numpy(), [true, true]);
  assert.deepEqual(tf.fill([2, 1], 7).numpy(), [[7], [7]]);
  assert.deepEqual(tf.range(4).numpy(), [0, 1, 2, 3]);
  assert.deepEqual(tf.range(1, 2, 0.25).numpy(), [1, 1.25, 1.5, 1.75]);
  assert.equal(tf.range(1, 2, 0.25).dtype, 'float32');
  assert.equal(tf.range(4).dtype, 'int32');
  assert.match(t.toString(), /^tf\.Tensor\(\[\[1,2,3\],\[4,5,6\]\], shape=\(2, 3\), dtype=float32\)$/);
});

test('async reads and dispose', async () => {
  const t = tf.tensor([1.5, 2.5]);
  assert.deepEqual(await t.data(), new Float32Array([1.5, 2.5]));
  assert.deepEqual(await t.array(), [1.5, 2.5]);
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.numpy(), { name: 'FailedPreconditionError', message: 'Tensor is disposed' });
});

test('bad creation arguments are clear errors', () => {
  assert.throws(() => tf.tensor([1, 2, 3], [2, 2]), { name: 'RangeError', message: 'Shape [2, 2] needs 4 values, got 3' });
  assert.throws(() => tf.zeros([-1]), { name: 'RangeError', message: 'shape must be an array of non-negative integers, got [-1]' });
  assert.throws(() => tf.range(0, 5, 0), { name: 'RangeError', message: 'tf.range: delta must not be zero' });
  assert.throws(() => tf.tensor([1], undefined, 'float33' as tf.DType), { name: 'TypeError', message: "Unknown dtype 'float33'" });
  assert.throws(() => tf.scalar([1] as unknown as number), { name: 'TypeError', message: 'tf.scalar takes a single value' });
});

test('raw ops run eagerly and convert host values to the sibling dtype', () => {
  const x = tf.tensor([1.5, 2.5], undefined, 'float64');
  const y = tf.rawOps.AddV2({ x, y: 1 });
  assert.equal(y.dtype, 'float64');
  assert.deepEqual(y.numpy(), [2.5, 3.5]);
  const { y: values, idx } = tf.rawOps.Unique({ x: tf.tensor([3, 3, 1]) });
  assert.deepEqual(values.numpy(), [3, 1]);
  assert.deepEqual(idx.numpy(), [0, 0, 1]);
  const parts = tf.rawOps.Split({ splitDim: 0, value: tf.tensor([1, 2, 3, 4]), numSplit: 2 });
  assert.deepEqual(
    parts.map((p) => p.numpy()),
    [
      [1, 2],
      [3, 4],
    ],
  );
  assert.throws(() => tf.rawOps.AddV2({ x, y: tf.tensor([1, 2], undefined, 'int32') }), {
    name: 'TypeError',
    message: "AddV2 input 'y' must be float64, got a int32 tensor",
  });
  assert.throws(() => tf.rawOps.Sum({ input: x } as never), { name: 'TypeError', message: "Sum is missing its input 'reduction_indices'" });
  assert.throws(() => tf.rawOps.MatMul({ a: x, b: x }), { name: 'InvalidArgumentError', message: /ndims must be/ });
});
