import { assertEveryFunctionCovered, checkCases, fixture, tracedOpTypes } from './helpers/ops_fixture';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import * as mathModule from '../lib/ops/math';

type T = tf.Tensor;

// The TypeScript twin of each Python lambda in MATH of test/fixtures/generators/ops_reference.py.
checkCases(fixture.math, {
  add: (x: T, y: T) => tf.add(x, y),
  'add:broadcast': (x: T, row: T) => tf.add(x, row),
  'add:hostNumber': (x: T) => tf.add(x, 2),
  'add:int': (a: T, b: T) => tf.add(a, b),
  'add:float64HostNumber': (x: T) => tf.add(x, 0.1),
  'add:strings': (s: T) => tf.add(s, 'z'),
  subtract: (x: T, col: T) => tf.subtract(x, col),
  multiply: (x: T, y: T) => tf.multiply(x, y),
  'multiply:hostNumber': (a: T) => tf.multiply(a, 3),
  divide: (x: T, y: T) => tf.divide(x, y),
  'divide:int32': (a: T, b: T) => tf.divide(a, b),
  'divide:int8': (a: T, b: T) => tf.divide(a, b),
  'divide:hostNumerator': (y: T) => tf.divide(1, y),
  floorDiv: (a: T, b: T) => tf.math.floorDiv(a, b),
  'floorDiv:float': (x: T, y: T) => tf.math.floorDiv(x, y),
  mod: (a: T, b: T) => tf.math.mod(a, b),
  'mod:float': (x: T, y: T) => tf.math.mod(x, y),
  pow: (pos: T, y: T) => tf.pow(pos, y),
  'pow:int': (a: T) => tf.pow(a, 2),
  maximum: (x: T, row: T) => tf.maximum(x, row),
  minimum: (x: T, row: T) => tf.minimum(x, row),
  squaredDifference: (x: T, y: T) => tf.math.squaredDifference(x, y),
  negative: (x: T) => tf.negative(x),
  abs: (x: T) => tf.abs(x),
  'abs:int': (a: T) => tf.abs(a),
  sign: (x: T) => tf.sign(x),
  square: (x: T) => tf.square(x),
  sqrt: (pos: T) => tf.sqrt(pos),
  rsqrt: (pos: T) => tf.math.rsqrt(pos),
  exp: (x: T) => tf.exp(x),
  log: (pos: T) => tf.math.log(pos),
  log1p: (unit: T) => tf.math.log1p(unit),
  sin: (x: T) => tf.sin(x),
  cos: (x: T) => tf.cos(x),
  tanh: (x: T) => tf.tanh(x),
  sigmoid: (x: T) => tf.sigmoid(x),
  round: (halves: T) => tf.round(halves),
  'round:int': (a: T) => tf.round(a),
  floor: (halves: T) => tf.floor(halves),
  ceil: (halves: T) => tf.math.ceil(halves),
  isNan: (special: T) => tf.math.isNan(special),
  isFinite: (special: T) => tf.math.isFinite(special),
  equal: (x: T, y: T) => tf.equal(x, tf.minimum(x, y)),
  'equal:hostNumber': (a: T) => tf.equal(a, 4),
  notEqual: (a: T, b: T) => tf.notEqual(a, tf.abs(b)),
  less: (x: T, y: T) => tf.less(x, y),
  lessEqual: (x: T, row: T) => tf.lessEqual(x, row),
  greater: (x: T, y: T) => tf.greater(x, y),
  greaterEqual: (x: T) => tf.greaterEqual(x, 1),
  logicalAnd: (p: T, q: T) => tf.logicalAnd(p, q),
  logicalOr: (p: T, q: T) => tf.logicalOr(p, q),
  logicalNot: (p: T) => tf.logicalNot(p),
  reduceSum: (x: T) => tf.reduceSum(x),
  'reduceSum:axis': (x: T) => tf.reduceSum(x, 1),
  'reduceSum:keepdims': (x: T) => tf.reduceSum(x, 0, true),
  'reduceSum:negativeAxis': (cube: T) => tf.reduceSum(cube, -1),
  'reduceSum:axes': (cube: T) => tf.reduceSum(cube, [0, 2]),
  'reduceSum:int': (a: T) => tf.reduceSum(a, 1),
  reduceMean: (x: T) => tf.reduceMean(x),
  'reduceMean:axis': (cube: T) => tf.reduceMean(cube, 1, true),
  'reduceMean:int': (a: T) => tf.reduceMean(a, 1),
  reduceMax: (x: T) => tf.reduceMax(x, 0),
  reduceMin: (x: T) => tf.reduceMin(x),
  reduceProd: (x: T) => tf.reduceProd(x, 1),
  reduceAll: (p: T) => tf.reduceAll(p, 1),
  reduceAny: (p: T) => tf.reduceAny(p, 0),
  reduceLogsumexp: (x: T) => tf.reduceLogsumexp(x, 1),
  'reduceLogsumexp:all': (cube: T) => tf.reduceLogsumexp(cube),
  'reduceLogsumexp:keepdims': (cube: T) => tf.reduceLogsumexp(cube, [0, 2], true),
  'reduceLogsumexp:infinite': (special: T) => tf.reduceLogsumexp(special),
  argmax: (x: T) => tf.argmax(x),
  'argmax:axis': (cube: T) => tf.argmax(cube, 2),
  'argmax:int32': (x: T) => tf.argmax(x, 1, 'int32'),
  argmin: (x: T) => tf.argmin(x, 1),
  cumsum: (x: T) => tf.cumsum(x),
  'cumsum:exclusiveReverse': (x: T) => tf.cumsum(x, 1, true, true),
  addN: (x: T, y: T, pos: T) => tf.addN([x, y, pos]),
  'addN:single': (x: T) => tf.addN([x]),
  matmul: (x: T, m32: T) => tf.matmul(x, m32),
  'matmul:transposeA': (x: T, y: T) => tf.matmul(x, y, { transposeA: true }),
  'matmul:transposeB': (x: T, y: T) => tf.matmul(x, y, { transposeB: true }),
  'matmul:batch': (a: T, b: T) => tf.matmul(a, b),
  'matmul:batchBroadcast': (a: T, m32: T) => tf.matmul(a, m32),
  'matmul:batchTranspose': (b: T) => tf.matmul(b, b, { transposeB: true }),
  'matmul:int8ToInt32': (a8: T) => tf.matmul(tf.reshape(a8, [3, 1]), tf.reshape(a8, [1, 3]), { outputType: 'int32' }),
  cast: (x: T) => tf.cast(x, 'int32'),
  'cast:bool': (x: T) => tf.cast(x, 'bool'),
  'cast:hostValue': () => tf.cast([1.75, -2.25], 'int32'),
  clipByValue: (x: T) => tf.clipByValue(x, -1, 1.5),
  'clipByValue:tensorBounds': (x: T, row: T) => tf.clipByValue(x, tf.negative(tf.abs(row)), tf.abs(row)),
  l2Normalize: (x: T) => tf.math.l2Normalize(x, 1),
  'l2Normalize:all': (x: T) => tf.math.l2Normalize(x),
});

test('every tf.math function has a fixture case', () => {
  assertEveryFunctionCovered(mathModule, fixture.math);
});

test('top-level names are the tf.math functions, as in Python', () => {
  assert.equal(tf.add, tf.math.add);
  assert.equal(tf.reduceMean, tf.math.reduceMean);
  assert.equal(tf.linalg.matmul, tf.matmul);
  assert.equal(tf.sub, tf.subtract);
  assert.equal(tf.mul, tf.multiply);
  assert.equal(tf.div, tf.divide);
  assert.equal(tf.neg, tf.negative);
});

test('broadcasting follows the ops: [2,1,3] + [4,1] is [2,4,3], also in tf.function', () => {
  const x = tf.tensor([[[1, 2, 3]], [[10, 20, 30]]], undefined, 'float32');
  const y = tf.tensor([[100], [200], [300], [400]], undefined, 'float32');
  const expected = [1, 10].map((base) => [100, 200, 300, 400].map((row) => [1, 2, 3].map((k) => row + base * k)));
  assert.deepEqual(tf.add(x, y).shape, [2, 4, 3]);
  assert.deepEqual(tf.add(x, y).numpy(), expected);
  const traced = tf.function((a: tf.Tensor, b: tf.Tensor) => {
    const sum = tf.add(a, b);
    assert.deepEqual(sum.shape, [2, 4, 3], 'the static shape is known while tracing');
    return sum;
  });
  assert.deepEqual(traced(x, y).numpy(), expected);
});

test("host numbers take the tensor operand's dtype; tensors of different dtypes are a TypeError naming both", () => {
  const f64 = tf.tensor([1.5], undefined, 'float64');
  const i64 = tf.tensor([4], undefined, 'int64');
  assert.equal(tf.multiply(2, f64).dtype, 'float64');
  assert.equal(tf.add(i64, 1).dtype, 'int64');
  const f32 = tf.tensor([1, 2], undefined, 'float32');
  const i32 = tf.tensor([1, 2], undefined, 'int32');
  const bothDTypes = { name: 'TypeError', message: /(?=.*float32)(?=.*int32)/ };
  for (const call of [
    () => tf.add(f32, i32),
    () => tf.maximum(i32, f32),
    () => tf.equal(f32, i32),
    () => tf.divide(f32, i32),
    () => tf.matmul([[1.5]], tf.tensor([[2]], undefined, 'int32')),
    () => tf.addN([f32, i32]),
  ]) {
    assert.throws(call, bothDTypes);
  }
  const traced = tf.function((a: tf.Tensor, b: tf.Tensor) => tf.subtract(a, b));
  assert.throws(() => traced(f32, i32), bothDTypes);
  assert.throws(
    () => tf.math.sqrt(tf.tensor([4], undefined, 'int32')),
    tf.errors.InvalidArgumentError,
    'Sqrt has no int32 kernel, as in Python',
  );
});

test('divide computes integers in float64 (32/64-bit) or float32 (8/16-bit), and rejects bool', () => {
  assert.equal(tf.divide(tf.tensor([1], undefined, 'int64'), 4).dtype, 'float64');
  assert.equal(tf.divide(tf.tensor([1], undefined, 'uint16'), 4).dtype, 'float32');
  assert.deepEqual(tf.divide(tf.tensor([7], undefined, 'int32'), 2).numpy(), [3.5]);
  assert.throws(() => tf.divide(tf.tensor([true]), tf.tensor([true])), { name: 'TypeError', message: /Invalid dtype bool in __truediv__/ });
});

test('incompatible shapes are InvalidArgumentError, eagerly and while tracing', () => {
  const a = tf.zeros([2, 3]);
  const b = tf.zeros([4]);
  assert.throws(() => tf.add(a, b), { name: 'InvalidArgumentError', message: /Incompatible shapes: \[2,3\] vs. \[4\]/ });
  assert.throws(() => tf.matmul(a, a), { name: 'InvalidArgumentError', message: /Matrix size-incompatible/ });
  assert.throws(() => tf.matmul(tf.zeros([2, 2, 3]), tf.zeros([3, 3, 2])), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.addN([a, tf.zeros([3, 2])]), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.reduceSum(a, 2), {
    name: 'InvalidArgumentError',
    message: /Invalid reduction dimension \(2 for input with 2 dimension\(s\)/,
  });
  assert.throws(() => tf.reduceSum(a, -3), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.clipByValue(tf.zeros([3]), tf.zeros([2, 3]), 1), {
    name: 'InvalidArgumentError',
    message: 'Shapes (3,) and (2, 3) are incompatible',
  });
  const traced = tf.function((x: tf.Tensor, y: tf.Tensor) => tf.multiply(x, y));
  assert.throws(() => traced(a, b), { name: 'InvalidArgumentError', message: /Dimensions must be equal, but are 3 and 4/ });
  const tracedMatmul = tf.function((x: tf.Tensor) => tf.matmul(x, x));
  assert.throws(() => tracedMatmul(a), tf.errors.InvalidArgumentError);
});

test('argument errors follow Python', () => {
  assert.throws(() => tf.matmul([[1]], [[1]], { transposeA: true, adjointA: true }), {
    name: 'RangeError',
    message: 'Only one of `transpose_a` and `adjoint_a` can be True. Received `transpose_a`=true, `adjoint_a`=true.',
  });
  assert.throws(() => tf.addN([]), TypeError);
  assert.throws(() => tf.reduceAll(tf.zeros([2])), { name: 'TypeError', message: /bool.*float32/ });
});

test('reductions over every axis use a constant axis list; unknown ranks fall back to Range(Rank)', () => {
  const x = tf.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    undefined,
    'float32',
  );
  assert.equal(tf.reduceSum(x).numpy(), 10);
  assert.equal(tf.reduceSum(tf.scalar(5, 'float32')).numpy(), 5, 'rank 0: an empty axis list');
  // Reshaping by a shape vector of unknown length leaves the rank unknown while tracing.
  const traced = tf.function((values: tf.Tensor, dims: tf.Tensor) => tf.reduceMean(tf.reshape(values, dims)), {
    inputSignature: [new tf.TensorSpec([4], 'float32'), new tf.TensorSpec([null], 'int32')],
  });
  assert.equal(traced(tf.tensor([1, 2, 3, 6], undefined, 'float32'), tf.tensor([2, 2], undefined, 'int32')).numpy(), 3);
});

test('matmul with complex adjoints conjugates', () => {
  // a = [[1+2i]]; adjoint(a)·a = |a|² = 5.
  const a = tf.tensor(new Float32Array([1, 2]), [1, 1], 'complex64');
  assert.deepEqual(tf.matmul(a, a, { adjointA: true }).numpy(), [[[5, 0]]]);
  assert.deepEqual(tf.matmul(a, a, { transposeA: true }).numpy(), [[[-3, 4]]]);
  const batch = tf.reshape(a, [1, 1, 1]);
  assert.deepEqual(tf.matmul(batch, batch, { adjointB: true }).numpy(), [[[[5, 0]]]]);
});

test('cast returns the same tensor for its own dtype and abs gives complex magnitudes', () => {
  const x = tf.tensor([1.5], undefined, 'float32');
  assert.equal(tf.cast(x, 'float32'), x);
  const ints = tf.tensor([3], undefined, 'int32');
  assert.equal(tf.round(ints), ints);
  const z = tf.tensor(new Float64Array([3, 4]), [1], 'complex128');
  const magnitude = tf.abs(z);
  assert.equal(magnitude.dtype, 'float64');
  assert.deepEqual(magnitude.numpy(), [5]);
  const unit = tf.math.l2Normalize(z);
  assert.equal(unit.dtype, 'complex128');
  const [re, im] = unit.dataSync() as Float64Array;
  assert.ok(Math.abs(re - 0.6) < 1e-12 && Math.abs(im - 0.8) < 1e-12, `${re}+${im}i`);
});

test('each call adds only the ops Python adds, and `name` names the final op', () => {
  const x = tf.zeros([2, 3]);
  const ints = tf.zeros([2, 3], 'int32');
  assert.deepEqual(
    tracedOpTypes((t) => tf.add(t, 1), x),
    ['AddV2', 'Const', 'Placeholder'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.reduceSum(t), x),
    ['Const', 'Placeholder', 'Sum'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.matmul(t, t, { transposeB: true }), x),
    ['MatMul', 'Placeholder'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.matmul(tf.reshape(t, [1, 2, 3]), t, { transposeB: true }), x),
    ['BatchMatMulV2', 'Const', 'Placeholder', 'Reshape'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.divide(t, 2), ints),
    ['Cast', 'Cast', 'Const', 'Placeholder', 'RealDiv'],
  );
  const traced = tf.function((a: tf.Tensor, b: tf.Tensor) => {
    const total = tf.add(a, b, 'total');
    assert.match(String(total.name), /\/total:0$/);
    return total;
  });
  traced(x, x);
});
