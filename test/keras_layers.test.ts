import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

const { layers } = tf.keras;
const { Dense, Conv2D, MaxPooling2D, Flatten, Reshape, Activation, Dropout, BatchNormalization, Input, Layer } = layers;

interface LayersFixture {
  layers: {
    batch_normalization: {
      options: { momentum: number; epsilon: number };
      x: number[][];
      weights: number[][];
      inference: number[][];
      training: number[][];
      moving_mean_after: number[];
      moving_variance_after: number[];
    };
    dropout: { rate: number; seed: number; x: number[][]; training_call_1: number[][]; training_call_2: number[][]; inference: number[][] };
    activations: Record<string, number[][]>;
    configs: Record<string, Record<string, unknown>>;
    shapes: Record<string, { input: (number | null)[]; output: (number | null)[]; params: number }>;
  };
}

// Compiled tests run from dist/test/; fixtures stay in the source tree.
const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_layers.json'), 'utf8'),
) as LayersFixture;
const reference = fixture.layers;

function assertAllClose(actual: tf.Tensor, expected: number[][] | number[], what: string, rtol = 1e-5, atol = 1e-6): void {
  const got = Array.from(actual.dataSync() as Float32Array);
  const want = (expected as number[]).flat(Infinity as 1) as number[];
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= atol + rtol * Math.abs(want[i]), `${what}[${i}]: ${v} vs ${want[i]}`));
}

test('Dense: output shape, weights named like Keras, parameter count, glorot_uniform kernel and zero bias', () => {
  const dense = new Dense({ units: 200, activation: 'relu' });
  assert.match(dense.name, /^dense(_\d+)?$/);
  const y = dense.apply(tf.ones([2, 100]));
  assert.deepEqual(y.shape, [2, 200]);
  assert.equal(dense.countParams(), 100 * 200 + 200);
  assert.deepEqual(
    dense.weights.map((w) => w.shape),
    [[100, 200], [200]],
  );
  assert.deepEqual(
    dense.weights.map((w) => dense.weightPath(w)),
    [`${dense.name}/kernel`, `${dense.name}/bias`],
  );
  assert.ok(dense.kernel.name.startsWith(`${dense.name}/kernel`));
  const kernel = Array.from(dense.kernel.value().dataSync() as Float32Array);
  const limit = Math.sqrt(6 / (100 + 200));
  assert.ok(
    kernel.every((v) => Math.abs(v) <= limit),
    'glorot_uniform stays within ±sqrt(6 / (fan_in + fan_out))',
  );
  const mean = kernel.reduce((a, b) => a + b, 0) / kernel.length;
  const std = Math.sqrt(kernel.reduce((a, b) => a + (b - mean) ** 2, 0) / kernel.length);
  // 20000 samples: the mean's standard error is 0.0006, the std's about 0.3%.
  assert.ok(Math.abs(mean) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(std - limit / Math.sqrt(3)) < 0.02 * limit, `std ${std} vs ${limit / Math.sqrt(3)}`);
  assert.deepEqual(Array.from(dense.bias!.value().dataSync() as Float32Array), new Array(200).fill(0));
});

test('Dense: computes activation(x · kernel + bias) and names layers dense, dense_1, ...', () => {
  const first = new Dense({ units: 2 });
  const second = new Dense({ units: 2 });
  const [a, b] = [first.name, second.name].map((n) => (n === 'dense' ? 0 : Number(n.slice('dense_'.length))));
  assert.equal(b, a + 1, `${first.name} then ${second.name}`);
  const layer = new Dense({ units: 2, activation: 'relu', name: 'probe' });
  layer.build([null, 3]);
  assert.equal(layer.built, true);
  layer.setWeights([
    [
      [1, -1],
      [2, 0],
      [0, 1],
    ],
    [0.5, -4],
  ]);
  const y = layer.apply([
    [1, 2, 3],
    [-1, 0, 0],
  ]);
  assert.deepEqual(y.arraySync(), [
    [5.5, 0],
    [0, 0],
  ]);
  const noBias = new Dense({ units: 3, useBias: false, kernelInitializer: 'ones' });
  assert.deepEqual(noBias.apply([[1, 2]]).arraySync(), [[3, 3, 3]]);
  assert.equal(noBias.weights.length, 1);
});

test('Dense on rank-3 inputs multiplies over the last axis', () => {
  const layer = new Dense({ units: 7 });
  const y = layer.apply(tf.ones([2, 3, 4]));
  assert.deepEqual(y.shape, [2, 3, 7]);
  const s = reference.shapes.dense_rank3;
  assert.deepEqual(layer.computeOutputShape(s.input), s.output);
  assert.equal(layer.countParams(), s.params);
});

test('layer configs match Keras get_config()', () => {
  const made: Record<string, tf.keras.layers.Layer> = {
    Dense: new Dense({ units: 3, activation: 'relu', name: 'dense' }),
    Dropout: new Dropout({ rate: 0.5, seed: 3, name: 'dropout' }),
    Flatten: new Flatten({ name: 'flatten' }),
    Reshape: new Reshape({ targetShape: [2, 3], name: 'reshape' }),
    Activation: new Activation({ activation: 'gelu', name: 'activation' }),
    Conv2D: new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'conv2d' }),
    MaxPooling2D: new MaxPooling2D({ name: 'max_pooling2d' }),
    BatchNormalization: new BatchNormalization({ name: 'batch_normalization' }),
  };
  for (const [cls, expected] of Object.entries(reference.configs)) {
    assert.deepEqual(made[cls].getConfig(), expected, cls);
  }
});

test('Conv2D, MaxPooling2D, Flatten, Reshape: output shapes and parameter counts as in Keras', () => {
  const made: Record<string, tf.keras.layers.Layer> = {
    conv_valid: new Conv2D({ filters: 4, kernelSize: 3 }),
    conv_same_stride2: new Conv2D({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same' }),
    conv_dilated: new Conv2D({ filters: 2, kernelSize: 3, dilationRate: 2 }),
    pool_default: new MaxPooling2D(),
    pool_same_stride1: new MaxPooling2D({ poolSize: 3, strides: 1, padding: 'same' }),
    flatten: new Flatten(),
    reshape_minus1: new Reshape({ targetShape: [-1, 2] }),
  };
  for (const [name, layer] of Object.entries(made)) {
    const s = reference.shapes[name];
    layer.build(s.input);
    assert.deepEqual(layer.computeOutputShape(s.input), s.output, name);
    assert.equal(layer.countParams(), s.params, name);
    // The ops agree with the computed shape.
    const y = layer.apply(tf.ones(s.input.map((d) => d ?? 2)));
    assert.deepEqual(
      y.shape,
      s.output.map((d) => d ?? 2),
      `${name} (computed)`,
    );
  }
});

test('Conv2D and MaxPooling2D compute what tf.nn does (channels last)', () => {
  const conv = new Conv2D({ filters: 1, kernelSize: 2, kernelInitializer: 'ones', biasInitializer: 'ones' });
  const x = tf.tensor(
    Float32Array.from({ length: 9 }, (_, i) => i),
    [1, 3, 3, 1],
  );
  assert.deepEqual(conv.apply(x).arraySync(), [
    [
      [[9], [13]],
      [[21], [25]],
    ],
  ]);
  const pool = new MaxPooling2D({ poolSize: 2, strides: 1 });
  assert.deepEqual(pool.apply(x).arraySync(), [
    [
      [[4], [5]],
      [[7], [8]],
    ],
  ]);
  assert.throws(
    () => new Conv2D({ filters: 2, kernelSize: 5 }).computeOutputShape([null, 3, 3, 1]),
    /Computed output size would be negative/,
  );
  assert.throws(() => new Conv2D({ filters: 0, kernelSize: 3 }), /filters/);
});

test('Reshape: a -1 is inferred; sizes that do not divide are rejected', () => {
  const reshape = new Reshape({ targetShape: [3, -1] });
  assert.deepEqual(reshape.computeOutputShape([null, 2, 6]), [null, 3, 4]);
  assert.deepEqual(reshape.apply(tf.ones([5, 2, 6])).shape, [5, 3, 4]);
  assert.throws(() => new Reshape({ targetShape: [5, -1] }).computeOutputShape([null, 2, 6]), /total size of the tensor must be unchanged/);
  assert.throws(() => new Reshape({ targetShape: [-1, -1] }), /at most one -1/);
  assert.deepEqual(new Flatten().apply(tf.ones([2, 3, 4])).shape, [2, 12]);
});

test('activations by name match Keras; Activation takes a name or a function', () => {
  const x = tf.constant(reference.activations.x, 'float32');
  for (const name of ['relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'linear', 'elu', 'selu', 'softplus', 'silu']) {
    assertAllClose(new Activation(name).apply(x), reference.activations[name], name);
    assertAllClose(tf.keras.activations.get(name)(x), reference.activations[name], `activations.get('${name}')`);
  }
  const doubled = new Activation((t: tf.Tensor) => tf.multiply(t, 2));
  assert.deepEqual(doubled.apply([[1, -2]]).arraySync(), [[2, -4]]);
  assert.throws(() => new Activation('nope'), /Could not interpret activation function identifier: nope/);
});

test('gelu trains: its gradient is d/dx of 0.5·x·erfc(-x/√2)', () => {
  const v = new tf.Variable(tf.constant([-1.5, 0, 0.7], 'float32'));
  const grad = tf.function(() => {
    const tape = new tf.GradientTape();
    const y = tape.record(() => tf.reduceSum(tf.keras.activations.gelu(v.value())));
    return tape.gradient(y, [v])[0] as tf.Tensor;
  });
  const got = Array.from(grad().dataSync() as Float32Array);
  const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  [-1.5, 0, 0.7].forEach((x, i) => assert.ok(Math.abs(got[i] - (cdf(x) + x * phi(x))) < 1e-5, `gelu'(${x}) = ${got[i]}`));
});

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is not enough here; integrate the series instead.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; ++n) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

test("Dropout: seeded training masks are Keras' masks, call after call; inference passes inputs through", () => {
  const d = reference.dropout;
  const dropout = new Dropout({ rate: d.rate, seed: d.seed });
  const x = tf.constant(d.x, 'float32');
  assert.deepEqual(dropout.apply(x, { training: true }).arraySync(), d.training_call_1);
  assert.deepEqual(dropout.apply(x, { training: true }).arraySync(), d.training_call_2);
  assert.deepEqual(dropout.apply(x).arraySync(), d.inference);
  assert.deepEqual(dropout.apply(x, { training: false }).arraySync(), d.inference);
  assert.equal(dropout.weights.length, 0, 'the seed state is a variable but not a weight');
  assert.equal(dropout.variables.length, 1);
  assert.equal(dropout.nonTrainableVariables.length, 1);
});

test('Dropout inside tf.function draws a new mask on every call (the seed state advances in the graph)', () => {
  const d = reference.dropout;
  const dropout = new Dropout({ rate: d.rate, seed: d.seed });
  const step = tf.function((x: tf.Tensor) => dropout.apply(x, { training: true }));
  const x = tf.constant(d.x, 'float32');
  assert.deepEqual(step(x).arraySync(), d.training_call_1);
  assert.deepEqual(step(x).arraySync(), d.training_call_2);
  assert.equal(step.tracingCount, 1);
  const kept = Array.from(new Dropout({ rate: 0.25 }).apply(tf.ones([4000]), { training: true }).dataSync() as Float32Array);
  const fraction = kept.filter((v) => v !== 0).length / kept.length;
  assert.ok(Math.abs(fraction - 0.75) < 0.06, `kept ${fraction}`);
  assert.ok(
    kept.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6),
    'kept values are scaled by 1 / (1 - rate)',
  );
  assert.throws(() => new Dropout({ rate: 1.5 }), /Expected a float value between 0 and 1/);
});

test('BatchNormalization: inference uses the moving statistics, training the batch statistics and moves them (Keras numbers)', () => {
  const b = reference.batch_normalization;
  const bn = new BatchNormalization(b.options);
  bn.build([null, 3]);
  bn.setWeights(b.weights);
  assert.deepEqual(
    bn.weights.map((w) => bn.weightPath(w).split('/')[1]),
    ['gamma', 'beta', 'moving_mean', 'moving_variance'],
  );
  assert.equal(bn.trainableWeights.length, 2);
  assert.equal(bn.nonTrainableWeights.length, 2);
  const x = tf.constant(b.x, 'float32');
  assertAllClose(bn.apply(x, { training: false }), b.inference, 'inference');
  assertAllClose(bn.apply(x, { training: true }), b.training, 'training');
  assertAllClose(bn.movingMean.value(), b.moving_mean_after, 'moving_mean');
  assertAllClose(bn.movingVariance.value(), b.moving_variance_after, 'moving_variance');
});

test('BatchNormalization in a tf.function updates its moving statistics with the step', () => {
  const b = reference.batch_normalization;
  const bn = new BatchNormalization(b.options);
  bn.build([null, 3]);
  bn.setWeights(b.weights);
  const train = tf.function((x: tf.Tensor) => bn.apply(x, { training: true }));
  assertAllClose(train(tf.constant(b.x, 'float32')), b.training, 'training');
  assertAllClose(bn.movingMean.value(), b.moving_mean_after, 'moving_mean');
  const frozen = new BatchNormalization();
  frozen.build([null, 3]);
  frozen.trainable = false;
  frozen.apply(tf.constant(b.x, 'float32'), { training: true });
  assert.deepEqual(Array.from(frozen.movingMean.value().dataSync() as Float32Array), [0, 0, 0], 'a frozen layer runs in inference mode');
  assert.equal(frozen.trainableWeights.length, 0);
  assert.equal(frozen.nonTrainableWeights.length, 4);
});

test('Input returns a symbolic KerasTensor; layers applied to it record their output shapes', () => {
  const inputs = Input({ shape: [28, 28, 1], name: 'image' });
  assert.ok(inputs instanceof layers.KerasTensor);
  assert.deepEqual(inputs.shape, [null, 28, 28, 1]);
  assert.equal(inputs.dtype, 'float32');
  assert.equal(inputs.name, 'image');
  const conv = new Conv2D({ filters: 8, kernelSize: 3 }).apply(inputs);
  const flat = new Flatten().apply(new MaxPooling2D().apply(conv));
  assert.deepEqual(conv.shape, [null, 26, 26, 8]);
  assert.deepEqual(flat.shape, [null, 13 * 13 * 8]);
  assert.deepEqual(Input([4]).shape, [null, 4]);
  assert.deepEqual(Input({ shape: [3], batchSize: 8 }).shape, [8, 3]);
  assert.throws(() => Input({}), /exactly one of `shape` or `batchShape`/);
});

test("a built layer rejects inputs of the wrong shape with Keras' message", () => {
  const dense = new Dense({ units: 3, name: 'strict' });
  dense.build([null, 4]);
  assert.throws(() => dense.apply(tf.ones([2, 5])), {
    message:
      "Input 0 with name 'None' of layer 'strict' is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (2, 5)",
  });
  assert.throws(
    () => dense.apply(Input([5])),
    /expected axis -1 of input shape to have value 4, but received input with shape \(None, 5\)/,
  );
  assert.throws(() => new MaxPooling2D().apply(tf.ones([2, 3])), /expected ndim=4, found ndim=2/);
});

test('a custom Layer: weights from addWeight, output shape by tracing call(), trainable switch', () => {
  class Scale extends Layer {
    scale!: tf.Variable;
    override build(inputShape: tf.Shape): void {
      this.scale = this.addWeight({ name: 'scale', shape: [inputShape[inputShape.length - 1] as number], initializer: 'ones' });
    }
    override call(inputs: tf.Tensor): tf.Tensor {
      return tf.multiply(inputs, this.scale.value());
    }
  }
  const layer = new Scale({ name: 'scale_layer' });
  const out = layer.apply(Input([5]));
  assert.deepEqual(out.shape, [null, 5]);
  assert.deepEqual(
    layer.weights.map((w) => layer.weightPath(w)),
    ['scale_layer/scale'],
  );
  assert.deepEqual(layer.apply([[1, 2, 3, 4, 5]]).arraySync(), [[1, 2, 3, 4, 5]]);
  layer.trainable = false;
  assert.equal(layer.trainableWeights.length, 0);
  assert.equal(layer.nonTrainableWeights.length, 1);
  assert.deepEqual(layer.getConfig(), {
    name: 'scale_layer',
    trainable: false,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
  });
});
