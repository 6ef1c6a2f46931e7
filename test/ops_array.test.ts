import { assertEveryFunctionCovered, checkCases, fixture } from './helpers/ops_fixture';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import * as arrayModule from '../lib/ops/array';

type T = tf.Tensor;

// The TypeScript twin of each Python lambda in ARRAY of test/fixtures/generators/ops_reference.py.
checkCases(fixture.array, {
  reshape: (x: T) => tf.reshape(x, [3, 2]),
  'reshape:inferred': (cube: T) => tf.reshape(cube, [-1, 6]),
  transpose: (cube: T) => tf.transpose(cube),
  'transpose:perm': (cube: T) => tf.transpose(cube, [1, 0, 2]),
  concat: (x: T, y: T) => tf.concat([x, y], 0),
  'concat:negativeAxis': (x: T, col: T) => tf.concat([x, col], -1),
  'concat:single': (x: T) => tf.concat([x], 1),
  stack: (x: T, y: T) => tf.stack([x, y]),
  'stack:axis': (x: T, y: T) => tf.stack([x, y], 2),
  unstack: (x: T) => tf.unstack(x),
  'unstack:axis': (cube: T) => tf.unstack(cube, undefined, 1),
  split: (cube: T) => tf.split(cube, 2, 2),
  'split:sizes': (cube: T) => tf.split(cube, [1, -1], 1),
  expandDims: (x: T) => tf.expandDims(x, 0),
  'expandDims:negative': (x: T) => tf.expandDims(x, -1),
  squeeze: (col: T) => tf.squeeze(col),
  'squeeze:axis': (col: T) => tf.squeeze(tf.expandDims(col, 0), [0]),
  tile: (x: T) => tf.tile(x, [2, 1]),
  gather: (x: T) => tf.gather(x, [1, 0, 1]),
  'gather:axis': (x: T, idx: T) => tf.gather(x, idx, { axis: 1 }),
  'gather:batchDims': (cube: T, idx2: T) => tf.gather(cube, idx2, { axis: 2, batchDims: 1 }),
  slice: (cube: T) => tf.slice(cube, [0, 1, 1], [2, 2, -1]),
  oneHot: (idx: T) => tf.oneHot(idx, 3),
  // Python's on_value=5 is an int; a JS 5 is float32, so the int32 result asks for it.
  'oneHot:options': (idx: T) => tf.oneHot(idx, 3, { onValue: 5, offValue: -1, axis: 0, dtype: 'int32' }),
  'oneHot:dtype': (idx: T) => tf.oneHot(idx, 4, { dtype: 'float64' }),
  where: (p: T) => tf.where(p),
  'where:select': (p: T, x: T, y: T) => tf.where(p, x, y),
  'where:broadcast': (p: T, row: T) => tf.where(p, row, 0),
  zerosLike: (x: T) => tf.zerosLike(x),
  'zerosLike:dtype': (x: T) => tf.zerosLike(x, 'int32'),
  onesLike: (a: T) => tf.onesLike(a),
  'onesLike:dtype': (a: T) => tf.onesLike(a, 'bool'),
  identity: (x: T) => tf.identity(x),
  stopGradient: (x: T) => tf.stopGradient(x),
  shape: (cube: T) => tf.shape(cube),
  'shape:int64': (cube: T) => tf.shape(cube, 'int64'),
  size: (cube: T) => tf.size(cube),
  'size:int64': (cube: T) => tf.size(cube, 'int64'),
  rank: (cube: T) => tf.rank(cube),
  pad: (x: T) =>
    tf.pad(x, [
      [1, 0],
      [0, 2],
    ]),
  'pad:constantValues': (x: T) =>
    tf.pad(
      x,
      [
        [1, 1],
        [1, 0],
      ],
      'CONSTANT',
      9,
    ),
  'pad:reflect': (x: T) =>
    tf.pad(
      x,
      [
        [1, 1],
        [2, 2],
      ],
      'REFLECT',
    ),
  'pad:symmetric': (x: T) =>
    tf.pad(
      x,
      [
        [1, 1],
        [2, 3],
      ],
      'symmetric',
    ),
  reverse: (x: T) => tf.reverse(x, [1]),
  'reverse:bothAxes': (cube: T) => tf.reverse(cube, [0, -1]),
});

test('every array function has a fixture case', () => {
  assertEveryFunctionCovered(arrayModule, fixture.array);
});

test('dtype errors name both dtypes', () => {
  const f32 = tf.zeros([2]);
  const i32 = tf.zeros([2], 'int32');
  const bothDTypes = { name: 'TypeError', message: /(?=.*float32)(?=.*int32)/ };
  assert.throws(() => tf.concat([f32, i32], 0), bothDTypes);
  assert.throws(() => tf.stack([f32, i32]), bothDTypes);
  assert.throws(() => tf.where([true, false], f32, i32), bothDTypes);
  assert.throws(() => tf.oneHot([0], 2, { onValue: 1.5, offValue: tf.scalar(0, 'int32') }), {
    name: 'TypeError',
    message: 'dtype float32 of on_value does not match dtype int32 of off_value',
  });
  assert.throws(() => tf.oneHot([0], 2, { onValue: tf.scalar(1, 'int32'), dtype: 'float32' }), {
    name: 'TypeError',
    message: 'dtype int32 of on_value does not match dtype parameter float32',
  });
});

test('shape errors are InvalidArgumentError, eagerly and while tracing', () => {
  const x = tf.zeros([2, 3]);
  assert.throws(() => tf.reshape(x, [4, 2]), {
    name: 'InvalidArgumentError',
    message: /Input to reshape is a tensor with 6 values, but the requested shape has 8/,
  });
  assert.throws(() => tf.concat([x, tf.zeros([2, 4])], 0), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.stack([x, tf.zeros([3, 2])]), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.transpose(x, [0, 0]), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.split(x, 2, 1), tf.errors.InvalidArgumentError, '3 does not split in 2');
  assert.throws(() => tf.squeeze(x, 0), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.expandDims(x, 3), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.gather(x, [5]), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.where([true, false], x, x), tf.errors.InvalidArgumentError);
  const traced = tf.function((t: tf.Tensor) => tf.concat([t, tf.zeros([2, 4])], 0));
  assert.throws(() => traced(x), { name: 'InvalidArgumentError', message: /in both shapes must be equal, but are 3 and 4/ });
  const tracedReshape = tf.function((t: tf.Tensor) => tf.reshape(t, [4, 2]));
  assert.throws(() => tracedReshape(x), tf.errors.InvalidArgumentError);
});

test("argument errors use Python's wording", () => {
  const x = tf.zeros([2, 3]);
  assert.throws(() => tf.unstack(x, undefined, 2), { name: 'RangeError', message: 'Argument `axis` = 2 not in range [-2, 2)' });
  assert.throws(() => tf.unstack(x, undefined, -3), RangeError);
  assert.throws(
    () =>
      tf.pad(
        x,
        [
          [0, 0],
          [0, 0],
        ],
        'WRAP' as never,
      ),
    {
      name: 'RangeError',
      message: 'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". Received `mode` = WRAP',
    },
  );
  assert.throws(() => tf.where([true], x), { name: 'TypeError', message: 'x and y must both be non-None or both be None.' });
  assert.throws(() => tf.split(x, tf.scalar(1)), { name: 'TypeError', message: /Rank-0 tensors are not supported/ });
});

test('static shapes are answered by constants; unknown dims fall back to the ops', () => {
  const sig = { inputSignature: [new tf.TensorSpec([null, 3], 'float32')] };
  const dynamic = tf.function((t: tf.Tensor) => [tf.shape(t), tf.size(t), tf.rank(t), tf.unstack(t, 2)[1], tf.transpose(t)], sig);
  const [dims, count, rankValue, second, transposed] = dynamic(
    tf.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      undefined,
      'float32',
    ),
  ) as tf.Tensor[];
  assert.deepEqual(dims.numpy(), [2, 3]);
  assert.equal(count.numpy(), 6);
  assert.equal(rankValue.numpy(), 2);
  assert.deepEqual(second.numpy(), [4, 5, 6]);
  assert.deepEqual(transposed.numpy(), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
  assert.throws(() => tf.function((t: tf.Tensor) => tf.unstack(t), sig)(tf.zeros([2, 3])), {
    name: 'TypeError',
    message: 'Cannot infer argument `num` from shape (None, 3)',
  });
  assert.equal(tf.size(tf.zeros([0, 3])).numpy(), 0);
  const empty = tf.function((t: tf.Tensor) => tf.size(t), { inputSignature: [new tf.TensorSpec([null, 0], 'float32')] });
  assert.equal(empty(tf.zeros([4, 0])).numpy(), 0);
});

test("zerosLike/onesLike keep the input's dtype; concat of one value and pad with zero reuse Identity and Pad", () => {
  const x = tf.tensor([[1, 2]], undefined, 'int64');
  assert.equal(tf.zerosLike(x).dtype, 'int64');
  assert.equal(tf.onesLike(x, 'float64').dtype, 'float64');
  assert.deepEqual(tf.zerosLike([true, false], 'float32').numpy(), [0, 0]);
  assert.deepEqual(tf.concat([x], 0).numpy(), [[1n, 2n]]);
  assert.deepEqual(tf.pad([1.5], [[1, 1]]).numpy(), [0, 1.5, 0]);
  assert.deepEqual(tf.pad([1.5], [[1, 0]], 'CONSTANT', tf.scalar(2.5, 'float32')).numpy(), [2.5, 1.5]);
});

test('convertToTensor: tensors pass through, host values follow dtype, then the hint if they fit it', () => {
  const x = tf.zeros([2]);
  assert.equal(tf.convertToTensor(x), x);
  assert.equal(tf.convertToTensor(x, 'float32'), x);
  assert.throws(() => tf.convertToTensor(x, 'int32'), {
    name: 'TypeError',
    message: 'Tensor conversion requested dtype int32 for Tensor with dtype float32',
  });
  assert.equal(tf.convertToTensor([1, 2]).dtype, 'float32', 'JS numbers are float32');
  assert.equal(tf.convertToTensor([1, 2], 'float64').dtype, 'float64');
  assert.equal(tf.convertToTensor([1, 2], undefined, 'int64').dtype, 'int64');
  assert.equal(tf.convertToTensor([1.5], undefined, 'int32').dtype, 'float32', '1.5 does not fit the int32 hint');
  assert.throws(() => tf.convertToTensor([1.5], 'int32'), TypeError);
});
