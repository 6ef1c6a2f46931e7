// keras.regularizers, keras.constraints, layer.addLoss/losses, and fit with all of them, against
// Keras 3.15 (test/fixtures/generators/keras_layers_more_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

const { regularizers, constraints, layers, Sequential, Input, optimizers } = tf.keras;

type Nested = number | Nested[];
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_layers_more.json'), 'utf8')) as {
  regularizers: { x: number[][]; values: Record<string, number>; configs: Record<string, Record<string, unknown>> };
  constraints: { w: number[][]; values: Record<string, number[][]>; configs: Record<string, Record<string, unknown>> };
  fit_regularized: {
    x: number[][];
    y: number[][];
    initial_weights: Nested[];
    losses_before: number[];
    evaluate_before: number;
    history_loss: number[];
    final_weights: Nested[];
    config_dense: Record<string, unknown>;
    config_layer_norm: Record<string, unknown>;
  };
  normalization_adapt: {
    data: number[][];
    x: number[][];
    data3: Nested;
    axis_last: { mean: number[]; variance: number[]; y: number[][]; config: Record<string, unknown> };
    axis_none: { mean: number; variance: number; y: number[][] };
    dataset_batch4: { mean: number[]; variance: number[] };
    axis_12: { mean: number[][]; variance: number[][]; y: Nested };
  };
  category_encoding: {
    x: number[][];
    multi_hot: { y: number[][]; config: Record<string, unknown> };
    count: { y: number[][]; config: Record<string, unknown> };
    one_hot: { x: number[]; y: number[][]; config: Record<string, unknown> };
  };
};

const flat = (v: Nested | Float32Array | number[]): number[] =>
  Array.isArray(v) ? v.flatMap((e) => flat(e as Nested)) : typeof v === 'number' ? [v] : Array.from(v);
let worst = 0;
function close(actual: tf.Tensor | number | number[], expected: Nested, what: string, rtol = 1e-5, atol = 1e-6): void {
  const got = actual instanceof tf.Tensor ? Array.from(actual.dataSync() as Float32Array) : flat(actual as Nested);
  const want = flat(expected);
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - want[i]));
    assert.ok(Math.abs(v - want[i]) <= atol + rtol * Math.abs(want[i]), `${what}[${i}]: ${v} vs ${want[i]}`);
  });
}

test("regularizers: Keras' penalties and serialized dicts; names 'l1', 'l2', 'l1l2' (and 'l1_l2')", () => {
  const r = fixture.regularizers;
  const x = tf.constant(r.x, 'float32');
  const made: Record<string, InstanceType<typeof regularizers.Regularizer>> = {
    l1: new regularizers.L1(0.03),
    l2: new regularizers.L2({ l2: 0.02 }),
    l1_l2: new regularizers.L1L2({ l1: 0.01, l2: 0.04 }),
    l2_default: regularizers.get('l2') as InstanceType<typeof regularizers.Regularizer>,
    l1_l2_default: regularizers.get('l1l2') as InstanceType<typeof regularizers.Regularizer>,
  };
  for (const [name, reg] of Object.entries(made)) {
    close(reg.call(x), r.values[name], `${name} value`);
    assert.deepEqual(regularizers.serialize(reg), r.configs[name], `${name} config`);
    const back = regularizers.deserialize(r.configs[name] as never);
    close(back.call(x), r.values[name], `${name} deserialized`);
  }
  assert.ok(regularizers.get('l1_l2') instanceof regularizers.L1L2);
  assert.ok(regularizers.get('L2') instanceof regularizers.L2);
  assert.equal(regularizers.get(null), null);
  assert.throws(() => regularizers.get('l3'), /Unknown regularizer: 'l3'/);
  assert.throws(() => new regularizers.L2(-1), /non-negative/);
  assert.throws(() => new regularizers.L2({ l3: 1 } as never), TypeError);
});

test("constraints: Keras' projections and serialized dicts", () => {
  const c = fixture.constraints;
  const w = tf.constant(c.w, 'float32');
  const made: Record<string, InstanceType<typeof constraints.Constraint>> = {
    max_norm: new constraints.MaxNorm({ maxValue: 2, axis: 0 }),
    max_norm_axes: new constraints.MaxNorm(1.5, [0, 1]),
    unit_norm: new constraints.UnitNorm(1),
    non_neg: constraints.get('non_neg') as InstanceType<typeof constraints.Constraint>,
  };
  for (const [name, con] of Object.entries(made)) {
    close(con.call(w), c.values[name], `${name} value`);
    assert.deepEqual(constraints.serialize(con), c.configs[name], `${name} config`);
    close(constraints.deserialize(c.configs[name] as never).call(w), c.values[name], `${name} deserialized`);
  }
  assert.throws(() => constraints.get('min_norm'), /Unknown constraint: 'min_norm'/);
  assert.throws(() => new constraints.UnitNorm({ axis: 0.5 }), /axis must be an integer/);
});

function regularizedModel(): tf.keras.Model {
  const f = fixture.fit_regularized;
  const model = new Sequential([
    Input([3]),
    new layers.Dense(4, 'tanh', {
      kernelRegularizer: new regularizers.L2(0.05),
      biasRegularizer: 'l1',
      activityRegularizer: new regularizers.L1L2(0.01, 0.02),
      kernelConstraint: new constraints.MaxNorm(0.6),
    }),
    new layers.LayerNormalization({ gammaRegularizer: new regularizers.L2(0.1), betaConstraint: new constraints.NonNeg() }),
    new layers.Dense(1, { kernelConstraint: new constraints.UnitNorm(), biasRegularizer: new regularizers.L1L2(0.03, 0) }),
  ]);
  model.setWeights(f.initial_weights as number[][]);
  return model;
}

test("fit with weight and activity regularizers and constraints reports Keras' losses and ends at Keras' weights", async () => {
  const f = fixture.fit_regularized;
  const model = regularizedModel();
  close(
    model.losses.map((l) => l.dataSync()[0] as number),
    f.losses_before,
    'model.losses before any call',
  );
  model.compile({ optimizer: new optimizers.SGD(0.1), loss: 'mse' });
  close(
    (await model.evaluate(f.x, f.y, { batchSize: 10, verbose: 0 })) as number,
    f.evaluate_before,
    'evaluate includes the regularization losses',
  );
  const history = await model.fit(f.x, f.y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0 });
  close(history.history.loss as number[], f.history_loss, 'per-epoch loss');
  model.getWeights().forEach((w, i) => close(w, f.final_weights[i], `final weight ${i}`));
  const [dense, layerNorm] = model.layers;
  const { name: _n, ...denseConfig } = dense.getConfig();
  const { name: _m, ...expectedDense } = f.config_dense;
  assert.deepEqual(denseConfig, expectedDense);
  const { name: _o, ...lnConfig } = layerNorm.getConfig();
  const { name: _p, ...expectedLn } = f.config_layer_norm;
  assert.deepEqual(lnConfig, expectedLn);
  // fromConfig rebuilds the regularizers and constraints.
  const copy = layers.Dense.fromConfig(f.config_dense);
  assert.ok(copy.kernelRegularizer instanceof regularizers.L2);
  assert.ok(copy.kernelConstraint instanceof constraints.MaxNorm);
  assert.ok(copy.activityRegularizer instanceof regularizers.L1L2);
  console.log(`regularized fit: max abs diff ${worst.toExponential(2)}`);
});

test('one session run per training step with regularizers and constraints', async () => {
  const f = fixture.fit_regularized;
  const model = regularizedModel();
  model.compile({ optimizer: new optimizers.SGD(0.1), loss: 'mse' });
  await model.fit(f.x, f.y, { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
  const before = tf.raw.sessionRunCount();
  await model.fit(f.x, f.y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 });
  // 3 batches per epoch, plus a metric reset and a learning-rate read per epoch (as without them).
  assert.equal(tf.raw.sessionRunCount() - before, 2 * (3 + 2));
});

test('addLoss: tensors added in call() join losses for that call; functions are evaluated at each read; fit adds them', async () => {
  class Penalized extends layers.Layer {
    override call(inputs: tf.Tensor): tf.Tensor {
      this.addLoss(tf.multiply(tf.reduceMean(tf.square(inputs)), 0.5));
      return inputs;
    }
  }
  const layer = new Penalized();
  assert.equal(layer.losses.length, 0);
  layer.apply(tf.constant([[1, 3]], 'float32'));
  assert.deepEqual(
    layer.losses.map((l) => l.dataSync()[0]),
    [2.5],
  );
  layer.apply(tf.constant([[2, 2]], 'float32'));
  assert.deepEqual(
    layer.losses.map((l) => l.dataSync()[0]),
    [2],
    'the previous call losses are cleared',
  );
  const dense = new layers.Dense(1, { kernelInitializer: 'ones', useBias: false });
  dense.build([null, 2]);
  dense.addLoss(() => tf.reduceSum(dense.kernel.value()));
  assert.deepEqual(
    dense.losses.map((l) => l.dataSync()[0]),
    [2],
  );
  assert.throws(() => dense.addLoss(3 as never), /add_loss\(\)/);

  // A model whose only loss is the added one: fit minimizes mean(x²)/2 + 0·mse through the layer.
  const model = new Sequential([Input([2]), new Penalized(), new layers.Dense(1, { kernelInitializer: 'zeros', useBias: false })]);
  model.compile({ optimizer: new optimizers.SGD(0.1), loss: 'mse' });
  const history = await model.fit([[1, 3]], [[0]], { epochs: 1, verbose: 0 });
  assert.ok(Math.abs((history.history.loss as number[])[0] - 2.5) < 1e-6, `loss ${history.history.loss}`);
});

test("Normalization.adapt: Keras' mean and variance from arrays, tensors and datasets; axis, invert", () => {
  const n = fixture.normalization_adapt;
  const layer = new layers.Normalization();
  layer.adapt(n.data);
  close((layer.adaptMean as tf.Variable).value(), n.axis_last.mean, 'mean');
  close((layer.adaptVariance as tf.Variable).value(), n.axis_last.variance, 'variance');
  close(layer.apply(n.x), n.axis_last.y, 'normalized');
  const { name: _a, ...config } = layer.getConfig();
  const { name: _b, ...expected } = n.axis_last.config;
  assert.deepEqual(config, expected);
  assert.deepEqual(
    layer.weights.map((w) => layer.weightPath(w).split('/')[1]),
    ['mean', 'variance', 'count'],
  );

  const scalar = new layers.Normalization({ axis: null });
  scalar.adapt(tf.constant(n.data, 'float32'));
  close((scalar.adaptMean as tf.Variable).value(), [n.axis_none.mean], 'scalar mean');
  close((scalar.adaptVariance as tf.Variable).value(), [n.axis_none.variance], 'scalar variance');
  close(scalar.apply(n.x), n.axis_none.y, 'scalar normalized');

  const batched = new layers.Normalization();
  batched.adapt(tf.data.Dataset.fromTensorSlices(tf.constant(n.data, 'float32')).batch(4));
  close((batched.adaptMean as tf.Variable).value(), n.dataset_batch4.mean, 'dataset mean');
  close((batched.adaptVariance as tf.Variable).value(), n.dataset_batch4.variance, 'dataset variance');

  const two = new layers.Normalization([1, 2]);
  two.adapt(n.data3);
  close((two.adaptMean as tf.Variable).value(), n.axis_12.mean, 'axis (1, 2) mean');
  close((two.adaptVariance as tf.Variable).value(), n.axis_12.variance, 'axis (1, 2) variance');
  close(two.apply((n.data3 as Nested[]).slice(0, 2) as number[][]), n.axis_12.y, 'axis (1, 2) normalized');

  assert.throws(() => new layers.Normalization({ mean: 1 }), /both `mean` and `variance` must be set/);
  assert.throws(
    () => new layers.Normalization({ mean: 1, variance: 1 }).adapt(n.data),
    /cannot be used when `mean` and `variance` were given/,
  );
  assert.throws(() => layer.adapt([[1, 2]]), /incompatible shape/);
});

test("CategoryEncoding: Keras' one_hot, multi_hot and count outputs and configs", () => {
  const c = fixture.category_encoding;
  const ids = tf.constant(c.x, 'int32');
  for (const mode of ['multi_hot', 'count'] as const) {
    const layer = new layers.CategoryEncoding(5, mode);
    assert.deepEqual(layer.apply(ids).arraySync(), c[mode].y);
    assert.deepEqual(layer.apply(c.x).arraySync(), c[mode].y, 'JS numbers are read as ids');
    const { name: _a, ...config } = layer.getConfig();
    const { name: _b, ...expected } = c[mode].config;
    assert.deepEqual(config, expected);
  }
  const oneHot = new layers.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' });
  assert.deepEqual(oneHot.apply(tf.constant(c.one_hot.x, 'int32')).arraySync(), c.one_hot.y);
  assert.deepEqual(oneHot.computeOutputShape([null, 1]), [null, 4]);
  assert.throws(() => new layers.CategoryEncoding(4, 'tf_idf' as never), /Unknown arg for output_mode/);
  assert.throws(() => new layers.CategoryEncoding(0), /num_tokens/);
});

test("Keras' leading positional arguments", () => {
  const conv = new layers.Conv1D(4, 3, { padding: 'same' });
  assert.deepEqual([conv.filters, conv.kernelSize, conv.padding], [4, [3], 'same']);
  assert.deepEqual(new layers.Conv2DTranspose(2, [3, 2], 2).strides, [2, 2]);
  assert.deepEqual(new layers.SeparableConv2D(8, 3).kernelSize, [3, 3]);
  assert.equal(new layers.DepthwiseConv2D(3, 1, 'same', 2).depthMultiplier, 2);
  assert.deepEqual(new layers.MaxPooling1D(3).poolSize, [3]);
  assert.deepEqual(new layers.AveragePooling1D(2, 1).strides, [1]);
  assert.deepEqual(new layers.AveragePooling2D([2, 3]).poolSize, [2, 3]);
  assert.equal(new layers.GlobalAveragePooling1D('channels_last', true).keepdims, true);
  assert.deepEqual(new layers.UpSampling2D(3).size, [3, 3]);
  assert.deepEqual(new layers.ZeroPadding2D([1, 2]).padding, [
    [1, 1],
    [2, 2],
  ]);
  assert.deepEqual(new layers.Cropping2D(1).cropping, [
    [1, 1],
    [1, 1],
  ]);
  assert.equal(new layers.Rescaling(1 / 255).scale, 1 / 255);
  assert.deepEqual(new layers.LayerNormalization([1, 2]).axis, [1, 2]);
  assert.throws(() => new (layers.Conv1D as unknown as new (...a: unknown[]) => unknown)(4, 3, 1, 'same', { padding: 'valid' }), TypeError);
});

test('bad arguments: clear errors', () => {
  assert.throws(() => new layers.Conv1D({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' as never }), /channels_last/);
  assert.throws(() => new layers.DepthwiseConv2D({ kernelSize: 3, dilationRate: 2 }), /dilationRate 1/);
  assert.throws(
    () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }),
    /greater than output padding/,
  );
  assert.throws(() => new layers.AveragePooling1D({} as never), /requires poolSize/);
  assert.throws(() => new layers.ZeroPadding2D([1, 2, 3] as never), /`padding` should be either an int/);
  assert.throws(() => new layers.Cropping2D(2).apply(tf.ones([1, 3, 3, 1])), /should be smaller than the corresponding spatial dimension/);
  assert.throws(() => new layers.UpSampling2D({ interpolation: 'bicubic' as never }), /'nearest' and 'bilinear'/);
  assert.throws(() => new layers.LayerNormalization({ axis: 3 }).apply(tf.ones([2, 3])), /out of bounds/);
  assert.throws(() => new layers.MaxPooling1D(2).apply(tf.ones([2, 3])), /expected ndim=3, found ndim=2/);
  assert.throws(() => new layers.Conv1D({ filters: 2, kernelSize: 5 }).computeOutputShape([null, 3, 1]), /negative/);
  assert.throws(() => new layers.Dense(2, { kernelRegularizer: 'l3' }), /Unknown regularizer/);
});
