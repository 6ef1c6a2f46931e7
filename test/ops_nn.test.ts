import { assertEveryFunctionCovered, checkCases, EncodedTensor, fixture, inputTensor, tracedOpTypes } from './helpers/ops_fixture';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import * as nnModule from '../lib/ops/nn';

type T = tf.Tensor;

// The TypeScript twin of each Python lambda in NN of test/fixtures/generators/ops_reference.py.
checkCases(fixture.nn, {
  relu: (x: T) => tf.nn.relu(x),
  relu6: (x: T) => tf.nn.relu6(tf.multiply(x, 3)),
  leakyRelu: (x: T) => tf.nn.leakyRelu(x),
  'leakyRelu:alpha': (x: T) => tf.nn.leakyRelu(x, 0.5),
  'leakyRelu:int': (a: T) => tf.nn.leakyRelu(a),
  elu: (x: T) => tf.nn.elu(x),
  selu: (x: T) => tf.nn.selu(x),
  softplus: (x: T) => tf.nn.softplus(x),
  gelu: (x: T) => tf.nn.gelu(x),
  'gelu:approximate': (x: T) => tf.nn.gelu(x, true),
  'gelu:float64': (xd: T) => tf.nn.gelu(xd),
  'gelu:float64Approximate': (xd: T) => tf.nn.gelu(xd, true),
  silu: (x: T) => tf.nn.silu(x),
  'silu:beta': (x: T) => tf.nn.silu(x, 2),
  swish: (cube: T) => tf.nn.swish(cube),
  sigmoid: (cube: T) => tf.nn.sigmoid(cube),
  tanh: (cube: T) => tf.nn.tanh(cube),
  l2Normalize: (cube: T) => tf.nn.l2Normalize(cube, [1, 2]),
  softmax: (x: T) => tf.nn.softmax(x),
  'softmax:axis0': (x: T) => tf.nn.softmax(x, 0),
  'softmax:middleAxis': (cube: T) => tf.nn.softmax(cube, 1),
  logSoftmax: (x: T) => tf.nn.logSoftmax(x),
  'logSoftmax:negativeAxis': (cube: T) => tf.nn.logSoftmax(cube, -2),
  biasAdd: (x: T, bias: T) => tf.nn.biasAdd(x, bias),
  'biasAdd:NCHW': (value: T, bias: T) => tf.nn.biasAdd(value, bias, 'NCHW'),
  conv2d: (image: T, filters: T) => tf.nn.conv2d(image, filters, 1, 'SAME'),
  'conv2d:validStrided': (image: T, filters: T) => tf.nn.conv2d(image, filters, [2, 1], 'VALID'),
  'conv2d:dilated': (image: T, filters: T) => tf.nn.conv2d(image, filters, 1, 'VALID', { dilations: 2 }),
  'conv2d:explicitPadding': (image: T, filters: T) =>
    tf.nn.conv2d(image, filters, 2, [
      [0, 0],
      [1, 1],
      [2, 0],
      [0, 0],
    ]),
  maxPool2d: (image: T) => tf.nn.maxPool2d(image, 2, 2, 'VALID'),
  'maxPool2d:same': (image: T) => tf.nn.maxPool2d(image, 3, [2, 1], 'SAME'),
  'maxPool2d:explicitPadding': (image: T) =>
    tf.nn.maxPool2d(image, 2, 2, [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]),
  maxPool: (image: T) => tf.nn.maxPool(image, 2, 2, 'SAME'),
  'maxPool:1d': (signal: T) => tf.nn.maxPool(signal, 2, 2, 'VALID'),
  'maxPool:3d': (volume: T) => tf.nn.maxPool(volume, 2, 2, 'VALID'),
  avgPool2d: (image: T) => tf.nn.avgPool2d(image, 2, 2, 'VALID'),
  'avgPool2d:same': (image: T) => tf.nn.avgPool2d(image, [3, 2], 2, 'SAME'),
  avgPool: (image: T) => tf.nn.avgPool(image, 3, 1, 'VALID'),
  'avgPool:1d': (signal: T) => tf.nn.avgPool(signal, 3, 2, 'SAME'),
  'avgPool:3d': (volume: T) => tf.nn.avgPool(volume, 2, 1, 'VALID'),
  softmaxCrossEntropyWithLogits: (labels: T, logits: T) => tf.nn.softmaxCrossEntropyWithLogits({ labels, logits }),
  'softmaxCrossEntropyWithLogits:axis0': (labels: T, logits: T) => tf.nn.softmaxCrossEntropyWithLogits({ labels, logits, axis: 0 }),
  'softmaxCrossEntropyWithLogits:rank3': (labels: T, logits: T) => tf.nn.softmaxCrossEntropyWithLogits({ labels, logits }),
  'softmaxCrossEntropyWithLogits:rank1': (labels: T, logits: T) =>
    tf.nn.softmaxCrossEntropyWithLogits({ labels: tf.gather(labels, 0), logits: tf.gather(logits, 0) }),
  sparseSoftmaxCrossEntropyWithLogits: (labels: T, logits: T) => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }),
  'sparseSoftmaxCrossEntropyWithLogits:rank3': (labels: T, logits: T) => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }),
  sigmoidCrossEntropyWithLogits: (labels: T, logits: T) => tf.nn.sigmoidCrossEntropyWithLogits({ labels, logits }),
  l2Loss: (x: T) => tf.nn.l2Loss(x),
  moments: (x: T) => tf.nn.moments(x, [0]),
  'moments:keepdims': (cube: T) => tf.nn.moments(cube, [0, 2], true),
  batchNormalization: (x: T, mean: T, variance: T, offset: T, scale: T) => tf.nn.batchNormalization(x, mean, variance, offset, scale, 1e-3),
  'batchNormalization:noOffsetScale': (x: T, mean: T, variance: T) => tf.nn.batchNormalization(x, mean, variance, null, null, 0.5),
});

test('every tf.nn function has a fixture case (dropout is random: checked below)', () => {
  assertEveryFunctionCovered(nnModule, fixture.nn, ['dropout']);
});

const KEEP_SCALE = Math.fround(1 / (1 - 0.25));

/** Fraction of zeros, after checking every other value is the kept value scaled by 1/(1-rate). */
function droppedFraction(result: tf.Tensor): number {
  const values = Array.from(result.dataSync() as Float32Array);
  assert.ok(
    values.every((v) => v === 0 || v === KEEP_SCALE),
    'kept values are x / (1 - rate)',
  );
  return values.filter((v) => v === 0).length / values.length;
}

test('dropout with a seed: scaled by 1/(1-rate), about `rate` dropped, reproducible, also in tf.function', () => {
  const x = tf.ones([100, 100]);
  const first = tf.nn.dropout(x, 0.25, { seed: 7 });
  assert.deepEqual(first.shape, [100, 100]);
  assert.equal(first.dtype, 'float32');
  const fraction = droppedFraction(first);
  assert.ok(Math.abs(fraction - 0.25) < 0.02, `dropped ${fraction}`);
  assert.deepEqual(tf.nn.dropout(x, 0.25, { seed: 7 }).dataSync(), first.dataSync(), 'the same seed, the same mask');
  assert.notDeepEqual(tf.nn.dropout(x, 0.25, { seed: 8 }).dataSync(), first.dataSync(), 'another seed, another mask');
  const traced = tf.function((t: tf.Tensor) => tf.nn.dropout(t, 0.25, { seed: 7 }));
  assert.deepEqual(traced(x).dataSync(), first.dataSync());
  assert.deepEqual(traced(x).dataSync(), first.dataSync());
});

test('dropout without a seed draws a new mask on every call, eagerly and in tf.function', () => {
  const x = tf.ones([50, 50]);
  assert.notDeepEqual(tf.nn.dropout(x, 0.25).dataSync(), tf.nn.dropout(x, 0.25).dataSync());
  const traced = tf.function((t: tf.Tensor) => tf.nn.dropout(t, 0.25));
  const [a, b] = [traced(x), traced(x)];
  assert.notDeepEqual(a.dataSync(), b.dataSync());
  assert.ok(Math.abs(droppedFraction(a) - 0.25) < 0.04);
});

test('dropout noiseShape drops whole rows; a tensor rate and rate 0 work as in Python', () => {
  const x = tf.ones([200, 4]);
  const rows = tf.nn.dropout(x, 0.25, { noiseShape: [null, 1], seed: 3 }).numpy() as number[][];
  assert.ok(
    rows.every((row) => row.every((v) => v === row[0])),
    'a row is dropped or kept as a whole',
  );
  assert.ok(rows.some((row) => row[0] === 0) && rows.some((row) => row[0] !== 0));
  const withTensorRate = tf.nn.dropout(x, tf.scalar(0.25, 'float64'), { seed: 3 });
  assert.equal(withTensorRate.dtype, 'float32');
  droppedFraction(withTensorRate);
  assert.equal(tf.nn.dropout(x, 0), x, 'rate 0 returns x itself');
  const doubles = tf.nn.dropout(tf.ones([10], 'float64'), 0.5, { seed: 1 });
  assert.ok(Array.from(doubles.dataSync() as Float64Array).every((v) => v === 0 || v === 2));
});

test('dropout argument errors', () => {
  assert.throws(() => tf.nn.dropout(tf.ones([2]), 1), {
    name: 'RangeError',
    message: '`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate=1',
  });
  assert.throws(() => tf.nn.dropout(tf.ones([2]), -0.1), RangeError);
  assert.throws(() => tf.nn.dropout(tf.ones([2], 'int32'), 0.5), { name: 'TypeError', message: /must be a floating point tensor.*int32/ });
  assert.throws(() => tf.nn.dropout(tf.ones([2]), tf.ones([2])), { name: 'InvalidArgumentError', message: 'Shape (2,) must have rank 0' });
  assert.throws(() => tf.nn.dropout(tf.ones([2]), 0.5, { seed: 0.5 }), TypeError);
});

test('dtype errors name both dtypes', () => {
  const image = tf.ones([1, 3, 3, 1]);
  const bothDTypes = { name: 'TypeError', message: /(?=.*float32)(?=.*float64)/ };
  assert.throws(() => tf.nn.conv2d(image, tf.ones([1, 1, 1, 1], 'float64'), 1, 'SAME'), bothDTypes);
  assert.throws(() => tf.nn.biasAdd(image, tf.ones([1], 'float64')), bothDTypes);
  assert.throws(() => tf.nn.sigmoidCrossEntropyWithLogits({ labels: tf.ones([2], 'float64'), logits: tf.ones([2]) }), bothDTypes);
  assert.throws(() => tf.nn.batchNormalization(tf.ones([2]), tf.ones([2], 'float64'), tf.ones([2]), null, null, 1e-3), bothDTypes);
  assert.throws(() => tf.nn.gelu(tf.ones([2], 'int32')), { name: 'TypeError', message: /must be a floating point tensor.*int32/ });
});

test('shape errors are InvalidArgumentError, eagerly and while tracing', () => {
  const image = tf.ones([1, 4, 4, 2]);
  assert.throws(() => tf.nn.conv2d(image, tf.ones([2, 2, 3, 1]), 1, 'SAME'), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.nn.conv2d(tf.ones([4, 4, 2]), tf.ones([2, 2, 2, 1]), 1, 'SAME'), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.nn.biasAdd(image, tf.ones([3])), tf.errors.InvalidArgumentError);
  assert.throws(() => tf.nn.softmax(tf.ones([2, 3]), 2), {
    name: 'InvalidArgumentError',
    message: '`dim` must be in the range [-2, 2) where 2 is the number of dimensions in the input. Received: dim=2',
  });
  assert.throws(
    () => tf.nn.softmaxCrossEntropyWithLogits({ labels: tf.ones([2, 4]), logits: tf.ones([2, 3]) }),
    tf.errors.InvalidArgumentError,
  );
  assert.throws(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0, 1, 1], logits: tf.ones([2, 3]) }), {
    name: 'InvalidArgumentError',
    message: '`labels.shape` must equal `logits.shape` except for the last dimension. Received: labels.shape=(3,) and logits.shape=(2, 3)',
  });
  assert.throws(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [[0]], logits: tf.ones([2, 3]) }), {
    name: 'InvalidArgumentError',
    message: /must equal `logits.shape.rank - 1`/,
  });
  assert.throws(() => tf.nn.sigmoidCrossEntropyWithLogits({ labels: tf.ones([3]), logits: tf.ones([2]) }), {
    name: 'InvalidArgumentError',
    message: '`logits` and `labels` must have the same shape, received ((2,) vs (3,)).',
  });
  const traced = tf.function((t: tf.Tensor) => tf.nn.conv2d(t, tf.ones([2, 2, 3, 1]), 1, 'SAME'));
  assert.throws(() => traced(image), tf.errors.InvalidArgumentError);
  const tracedSparse = tf.function((logits: tf.Tensor) => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0, 1, 1], logits }));
  assert.throws(() => tracedSparse(tf.ones([2, 3])), tf.errors.InvalidArgumentError);
});

test('argument errors follow Python', () => {
  const image = tf.ones([1, 4, 4, 1]);
  assert.throws(() => tf.nn.conv2d(image, tf.ones([1, 1, 1, 1]), [1, 1, 1], 'SAME'), {
    name: 'RangeError',
    message: 'strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] of length 3',
  });
  assert.throws(
    () =>
      tf.nn.conv2d(image, tf.ones([1, 1, 1, 1]), 1, [
        [0, 0],
        [1, 1],
      ]),
    {
      name: 'RangeError',
      message: 'When padding is a list, it must be of size 4. Received: padding=[[0,0],[1,1]] of size 2',
    },
  );
  assert.throws(() => tf.nn.maxPool2d(image, 2, 2, 'EXPLICIT' as never), RangeError);
  assert.throws(() => tf.nn.maxPool(tf.ones([2, 2]), 1, 1, 'VALID'), {
    name: 'RangeError',
    message: '`input.shape.rank` must be 3, 4 or 5. Received: input.shape=(2, 2) of rank 2.',
  });
  assert.throws(
    () =>
      tf.nn.maxPool(tf.ones([1, 2, 2, 2, 1]), 1, 1, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
    RangeError,
  );
  assert.throws(() => tf.nn.biasAdd(image, [1], 'HWCN'), { name: 'RangeError', message: /must be of the form `N...C` or `NC...`/ });
});

test('dynamic batch dims: losses and softmax reshape through the Shape op only when needed', () => {
  const sig = { inputSignature: [new tf.TensorSpec([null, null, 4], 'float32'), new tf.TensorSpec([null, null], 'int32')] };
  const losses = tf.function(
    (logits: tf.Tensor, labels: tf.Tensor) => [
      tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits }),
      tf.nn.softmaxCrossEntropyWithLogits({ labels: tf.oneHot(labels, 4), logits }),
      tf.nn.softmax(logits, 1),
    ],
    sig,
  );
  const logits = tf.tensor(
    Array.from({ length: 24 }, (_, i) => Math.sin(i)),
    [2, 3, 4],
    'float32',
  );
  const labels = tf.tensor(
    [
      [0, 3, 1],
      [2, 2, 0],
    ],
    undefined,
    'int32',
  );
  const [sparse, dense, soft] = losses(logits, labels) as tf.Tensor[];
  const eagerSparse = tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits });
  assert.deepEqual(sparse.shape, [2, 3]);
  assert.deepEqual(sparse.dataSync(), eagerSparse.dataSync());
  const denseValues = Array.from(dense.dataSync() as Float32Array);
  Array.from(eagerSparse.dataSync() as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - denseValues[i]) < 1e-6));
  assert.deepEqual(soft.dataSync(), tf.nn.softmax(logits, 1).dataSync());
});

test('float16 losses and moments are computed in float32 and returned as float16', () => {
  const logits = tf.tensor([[1, 2, 3]], undefined, 'float16');
  const loss = tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [2], logits });
  assert.equal(loss.dtype, 'float16');
  assert.ok(Math.abs((loss.dataSync()[0] as number) - 0.4076) < 1e-3);
  const [mean, variance] = tf.nn.moments(logits, [1]);
  assert.equal(mean.dtype, 'float16');
  assert.equal(mean.dataSync()[0], 2);
  assert.ok(Math.abs((variance.dataSync()[0] as number) - 2 / 3) < 1e-3);
});

test('float64 gelu is bit-identical to Python, which rounds its constants to float32 first', () => {
  const xd = inputTensor('xd');
  for (const [key, approximate] of [
    ['gelu:float64', false],
    ['gelu:float64Approximate', true],
  ] as const) {
    const expected = fixture.nn[key].expected as EncodedTensor;
    assert.deepEqual(Array.from(tf.nn.gelu(xd, approximate).dataSync() as Float64Array), expected.values, key);
  }
});

test('the common cases add a single op, as in Python; `name` names the final op', () => {
  const logits = tf.zeros([2, 3]);
  assert.deepEqual(
    tracedOpTypes((t) => tf.nn.softmax(t), logits),
    ['Placeholder', 'Softmax'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.nn.relu(t), logits),
    ['Placeholder', 'Relu'],
  );
  // Its outputs pass through StopGradient, the mark lib/gradients' registered gradient needs
  // (grappler prunes it before running).
  assert.deepEqual(
    tracedOpTypes((t, labels) => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits: t }), logits, tf.zeros([2], 'int32')),
    ['Placeholder', 'Placeholder', 'SparseSoftmaxCrossEntropyWithLogits', 'StopGradient', 'StopGradient'],
  );
  assert.deepEqual(
    tracedOpTypes((t) => tf.nn.silu(t), logits),
    ['Mul', 'Placeholder', 'Sigmoid'],
  );
  const traced = tf.function((t: tf.Tensor) => {
    const loss = tf.nn.softmaxCrossEntropyWithLogits({ labels: t, logits: t, name: 'xent' });
    assert.match(String(loss.name), /\/xent:0$/);
    return loss;
  });
  traced(logits);
});
