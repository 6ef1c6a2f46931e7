// Issue 13 items 3 and 4, against TensorFlow 2.21 (test/fixtures/porting_numbers.json, from
// test/fixtures/generators/porting_numbers_reference.py): JS numbers are float32 unless a dtype is
// given, integer op arguments take plain numbers, and a tf.Variable is accepted wherever a tensor is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

interface EncodedTensor {
  dtype: string;
  shape: number[];
  values: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'porting_numbers.json'), 'utf8')) as {
  numbers: Record<string, EncodedTensor> & { split: EncodedTensor[] };
  variables: { loss: number; dw: EncodedTensor; db: EncodedTensor; traced_dw: EncodedTensor; traced_db: EncodedTensor };
};

function assertTensor(actual: tf.Tensor, expected: EncodedTensor, what = ''): void {
  assert.equal(actual.dtype, expected.dtype, `${what} dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${what} shape`);
  const values = Array.from(actual.dataSync() as ArrayLike<number>, Number);
  values.forEach((v, i) =>
    assert.ok(Math.abs(v - expected.values[i]) <= 1e-6 * Math.max(1, Math.abs(v)), `${what}[${i}]: ${v} vs ${expected.values[i]}`),
  );
}

const n = fixture.numbers;

test('a JS number is float32 unless a dtype says otherwise (tfjs rule); TypedArrays, bigints, booleans, strings keep theirs', () => {
  assertTensor(tf.constant([1.0, 2.0]), n.constant, 'constant');
  assertTensor(tf.tensor(5), { dtype: 'float32', shape: [], values: [5] });
  assert.equal(tf.scalar(3).dtype, 'float32');
  assert.equal(tf.tensor([[1, 2]], undefined, 'int32').dtype, 'int32');
  assert.equal(tf.constant([1, 2], 'int32').dtype, 'int32');
  assert.equal(tf.tensor(new Int32Array([1, 2])).dtype, 'int32');
  assert.equal(tf.tensor([new Int32Array([1]), new Int32Array([2])]).dtype, 'int32');
  assert.equal(tf.tensor([3n, 4n]).dtype, 'int64');
  assert.equal(tf.tensor([true, false]).dtype, 'bool');
  assert.equal(tf.tensor(['a']).dtype, 'string');
  assertTensor(tf.fill([2], 5), n.fill, 'fill');
  assert.equal(tf.fill([2], 5, 'int32').dtype, 'int32');
  assert.equal(tf.zeros([2]).dtype, 'float32');
});

test('new tf.Variable(5.0) is float32 and the next multiply works', () => {
  const v = new tf.Variable(5.0);
  assertTensor(v.value(), fixture.numbers.variable, 'variable');
  assertTensor(tf.multiply(v, tf.constant([1.0, 2.0])), n.multiply_variable, 'multiply');
  assert.equal(new tf.Variable(5, { dtype: 'int32' }).dtype, 'int32');
});

test('host numbers take a tensor operand dtype (as in Python): int32 + 1 stays int32, float32 + 1 float32', () => {
  assertTensor(tf.add(tf.constant([1, 2], 'int32'), 1), n.add_int_tensor, 'int');
  assertTensor(tf.add(tf.constant([1.5, 2.5]), 1), n.add_float_tensor, 'float');
  assertTensor(tf.add(1, tf.constant([1, 2], 'int32')), n.add_int_tensor, 'int, host first');
  assert.equal(tf.add(1, 2).dtype, 'float32');
});

test('arguments TF requires to be integers take plain numbers: shape, perm, axis, indices, depth, segment ids, numSplit', () => {
  const x = tf.constant([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assertTensor(tf.reshape(x, [3, 2]), n.reshape, 'reshape');
  assertTensor(tf.transpose(x, [1, 0]), n.transpose, 'transpose');
  assertTensor(tf.gather(x, [2, 0], { axis: 1 }), n.gather, 'gather');
  assertTensor(tf.oneHot([0, 2, 1], 3), n.one_hot, 'oneHot');
  assertTensor(
    tf.rawOps.UnsortedSegmentSum({ data: tf.constant([1, 2, 3]), segmentIds: [0, 1, 0], numSegments: 2 }),
    n.segment_sum,
    'segment sum',
  );
  tf.split(x, 3, 1).forEach((t, i) => assertTensor(t, n.split[i], `split ${i}`));
  assertTensor(tf.reduceSum(x, [0, 1]), { dtype: 'float32', shape: [], values: [21] });
  // int64 where the attr is bound so by a sibling input.
  assert.deepEqual(tf.rawOps.Range({ start: tf.scalar(0n), limit: 3, delta: 1 }).arraySync(), [0n, 1n, 2n]);
});

test('tf.range keeps Python rule: whole numbers give int32 (indices), others float32', () => {
  assertTensor(tf.range(5), n.range, 'range(5)');
  assertTensor(tf.range(0, 1, 0.25), n.range_float, 'range float');
  assert.equal(tf.range(5, { dtype: 'float32' }).dtype, 'float32');
  assertTensor(tf.gather(tf.constant([10, 20, 30]), tf.range(2)), { dtype: 'float32', shape: [2], values: [10, 20] });
});

test('a float tensor where an int tensor is required is a TypeError naming the argument and the fix', () => {
  const x = tf.constant([1, 2, 3, 4]);
  assert.throws(
    () => tf.reshape(x, tf.constant([2, 2])),
    (e: Error) =>
      e instanceof TypeError &&
      e.message.startsWith("Reshape input 'shape' must be an integer tensor, got a float32 tensor") &&
      e.message.includes("dtype: 'int32'"),
  );
  assert.throws(
    () => tf.gather(x, tf.constant([0, 1])),
    (e: Error) =>
      e instanceof TypeError &&
      e.message.includes("GatherV2 input 'indices' must be an integer tensor") &&
      e.message.includes("dtype: 'int32'"),
  );
  assert.throws(
    () => tf.oneHot(tf.constant([0, 1]), 2),
    (e: Error) => e instanceof TypeError && e.message.includes("OneHot input 'indices' must be an integer tensor"),
  );
  assert.throws(
    () => tf.rawOps.Split({ splitDim: tf.constant(0), value: x, numSplit: 2 }),
    (e: Error) =>
      e instanceof TypeError &&
      e.message.startsWith("Split input 'split_dim' must be int32, got a float32 tensor") &&
      e.message.includes("dtype: 'int32'"),
  );
  assert.deepEqual(tf.reshape(x, tf.constant([2, 2], 'int32')).shape, [2, 2]);
});

test('ops take a tf.Variable wherever a tensor goes: tf.add(tf.multiply(w, x), b) without .value()', () => {
  const w = new tf.Variable([0.5, -1.0, 2.0]);
  const b = new tf.Variable(0.25);
  const x = tf.constant([1, 2, 3]);
  const direct = tf.add(tf.multiply(w, x), b);
  const spelled = tf.add(tf.multiply(w.value(), x), b.value());
  assert.deepEqual(direct.arraySync(), spelled.arraySync());
  assert.deepEqual(tf.reduceSum(w).arraySync(), 1.5);
  assert.deepEqual(tf.concat([w, w], 0).shape, [6]);
  const traced = tf.function(() => tf.add(tf.multiply(w, x), b));
  assert.deepEqual((traced() as tf.Tensor).arraySync(), spelled.arraySync());
  // A variable assigned from another.
  const copy = new tf.Variable([0, 0, 0]);
  copy.assign(w);
  assert.deepEqual(copy.numpy(), w.numpy());
});

test('gradients flow to a variable used as a tensor, eagerly and in tf.function, as the .value() spelling', () => {
  const v = fixture.variables;
  const w = new tf.Variable([0.5, -1.0, 2.0]);
  const b = new tf.Variable(0.25);
  const x = tf.constant([1, 2, 3]);
  const loss = (useValue: boolean) =>
    tf.reduceSum(tf.square(useValue ? tf.add(tf.multiply(w.value(), x), b.value()) : tf.add(tf.multiply(w, x), b)));
  for (const useValue of [false, true]) {
    const tape = new tf.GradientTape();
    const l = tape.record(() => loss(useValue));
    assert.ok(Math.abs((l.arraySync() as number) - v.loss) < 1e-5);
    const [dw, db] = tape.gradient(l, [w, b]) as tf.Tensor[];
    assertTensor(dw, v.dw, `eager dw (value: ${useValue})`);
    assertTensor(db, v.db, `eager db (value: ${useValue})`);
  }
  const traced = tf.function(() => {
    const tape = new tf.GradientTape();
    const l = tape.record(() => loss(false));
    return tape.gradient(l, [w, b]) as tf.Tensor[];
  });
  const [dw, db] = traced() as tf.Tensor[];
  assertTensor(dw, v.traced_dw, 'traced dw');
  assertTensor(db, v.traced_db, 'traced db');
});

test('valueOf: Number(lr) and lr * 0.5 on scalar tensors and variables; a TypeError for other shapes', () => {
  const lr = new tf.Variable(0.5);
  assert.equal(Number(lr), 0.5);
  assert.equal((lr as unknown as number) * 0.5, 0.25);
  assert.equal(Number(tf.scalar(3)), 3);
  assert.equal((tf.scalar(2) as unknown as number) + 1, 3);
  assert.equal(Number(tf.scalar(7n)), 7);
  assert.throws(
    () => Number(tf.constant([1, 2])),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === 'A tensor of shape (2,) has no single number value; use .arraySync(), .dataSync() or .numpy() to read it',
  );
  assert.throws(
    () => Number(new tf.Variable([1, 2], { name: 'vec' })),
    (e: Error) =>
      e instanceof TypeError && /^Variable 'vec(_\d+)?:0' of shape \(2,\) has no single number value; use \.arraySync\(\)/.test(e.message),
  );
  // Printing keeps its repr.
  assert.match(String(tf.scalar(1)), /^tf\.Tensor\(1, shape=\(\), dtype=float32\)$/);
});
