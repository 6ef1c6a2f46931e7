// fit's sampleWeight, classWeight, [x, y, sampleWeight] datasets, weightedMetrics, initialEpoch with
// schedules, evaluate's sampleWeight and returnDict, and `optimizer.learningRate = x`, against Keras
// 3.15 (test/fixtures/fit_options.json, from test/fixtures/generators/fit_options_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

const { Sequential, Input, layers, optimizers, callbacks } = tf.keras;

interface Case {
  history: Record<string, number[]>;
  weights: number[][];
  epochs?: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'fit_options.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  sampleWeight: number[];
  validationX: number[][];
  validationY: number[][];
  validationSampleWeight: number[];
  classes: number[];
  kernel3: number[][];
  cases: Record<string, Case> & {
    learning_rate_setter: { first: Record<string, number[]>; rate: number; second: Record<string, number[]>; weights: number[][] };
  };
  evaluate: { dict: Record<string, number>; list: number[]; unweighted: Record<string, number> };
  lossInputs: { yTrue: number[][]; yPred: number[][]; sampleWeight: number[]; sampleWeightFull: number[][] };
  losses: { loss: string; reduction: string; sampleWeight: 'vector' | 'column'; shape: number[]; value: number[] }[];
  metrics: { sampleWeight: 'vector' | 'column' | 'full'; mean: number; mse?: number }[];
  errors: Record<string, { type: string; message: string }>;
};

function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  Array.from(actual).forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`),
  );
}

function assertHistory(actual: Record<string, number[]>, expected: Record<string, number[]>, what: string): void {
  for (const [key, values] of Object.entries(expected)) assertClose(actual[key] ?? [], values, `${what}: ${key}`);
}

function assertWeights(model: tf.keras.Model, expected: number[][], what: string): void {
  model.getWeights().forEach((w, i) => assertClose(w.dataSync() as Float32Array, expected[i], `${what}: weight ${i}`));
}

function regression(compile: Partial<tf.keras.CompileOptions> = {}): tf.keras.Sequential {
  const m = new Sequential([Input([2]), new layers.Dense(1, { kernelInitializer: 'ones' })]);
  m.compile({ optimizer: new optimizers.SGD(0.1), loss: 'mse', ...compile });
  return m;
}

const common = { batchSize: 4, shuffle: false, verbose: 0 } as const;

test('optimizer.learningRate = x assigns the variable, and the next fit trains with it (Keras)', async () => {
  const c = fixture.cases.learning_rate_setter;
  const m = regression();
  assertHistory((await m.fit(fixture.x, fixture.y, { epochs: 2, ...common })).history, c.first, 'first fit');
  const variable = m.optimizer.learningRate;
  m.optimizer.learningRate = 0.01;
  assert.equal(m.optimizer.learningRate, variable, 'the same variable, assigned');
  assert.equal(m.optimizer.learningRate.numpy(), c.rate);
  assertHistory((await m.fit(fixture.x, fixture.y, { epochs: 2, ...common })).history, c.second, 'second fit');
  assertWeights(m, c.weights, 'weights');
});

test('optimizer.learningRate = x: tensors, the checks every write gets, and schedules as Keras', () => {
  const sgd = new optimizers.SGD(0.1);
  sgd.learningRate = tf.scalar(0.5);
  assert.equal(sgd.learningRate.numpy(), 0.5);
  assert.throws(() => (sgd.learningRate = -1), RangeError);
  assert.throws(() => (sgd.learningRate = Number.NaN), RangeError);
  assert.equal(sgd.learningRate.numpy(), 0.5, 'a refused value changes nothing');
  // Keras' own TypeError for a float on an optimizer made with a schedule.
  const scheduled = new optimizers.Adam(new optimizers.schedules.ExponentialDecay(0.1, 10, 0.5));
  assert.throws(() => (scheduled.learningRate = 0.01), {
    name: 'TypeError',
    message:
      'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its ' +
      'learning rate is not settable. If you need the learning rate to be settable, you should instantiate the optimizer ' +
      'with a float `learning_rate` argument.',
  });
  // A schedule replaces the rate (Keras), before the first update is built.
  const adam = new optimizers.Adam(0.1);
  adam.learningRate = new optimizers.schedules.ExponentialDecay(0.2, 10, 0.5);
  assert.equal(adam.learningRate.numpy(), Math.fround(0.2));
  adam.learningRate = (step: number) => 0.3 / (step + 1);
  assert.equal(adam.learningRate.numpy(), Math.fround(0.3));
  assert.deepEqual(adam.getConfig().learning_rate, adam.learningRate.schedule);
});

test('optimizer.learningRate = schedule after an update is built is a TypeError (the update reads the variable)', async () => {
  const m = regression();
  await m.fit(fixture.x, fixture.y, { epochs: 1, ...common });
  assert.throws(() => (m.optimizer.learningRate = new optimizers.schedules.ExponentialDecay(0.2, 10, 0.5)), {
    name: 'TypeError',
    message: /can become a schedule only before its first update/,
  });
  assert.equal(m.optimizer.learningRate.schedule, undefined);
});

function classifier(loss: string, compile: Partial<tf.keras.CompileOptions> = {}): tf.keras.Sequential {
  const m = new Sequential([Input([2]), new layers.Dense(3, { activation: 'softmax' })]);
  m.layers[0].setWeights([tf.tensor(fixture.kernel3, undefined, 'float32'), tf.zeros([3])]);
  m.compile({ optimizer: new optimizers.SGD(0.5), loss, ...compile });
  return m;
}

test('fit with sampleWeight and [xVal, yVal, sampleWeightVal]: the loss and weightedMetrics are weighted, metrics are not (Keras)', async () => {
  const c = fixture.cases.sample_weight;
  const m = regression({ metrics: ['mae'], weightedMetrics: ['mae'] });
  const history = await m.fit(fixture.x, fixture.y, {
    sampleWeight: fixture.sampleWeight,
    epochs: 2,
    validationData: [fixture.validationX, fixture.validationY, fixture.validationSampleWeight],
    ...common,
  });
  assert.deepEqual(Object.keys(history.history).sort(), [...Object.keys(c.history), 'learning_rate'].sort());
  assertHistory(history.history, c.history, 'history');
  assertWeights(m, c.weights, 'weights');
});

test('fit with classWeight: sample weights from the class of each label, sparse or one-hot (Keras)', async () => {
  const sparse = fixture.cases.class_weight;
  let m = classifier('sparse_categorical_crossentropy', { metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
  let history = await m.fit(fixture.x, fixture.classes, { classWeight: { 0: 1.0, 1: 2.0, 2: 0.5 }, epochs: 2, ...common });
  assertHistory(history.history, sparse.history, 'sparse');
  assertWeights(m, sparse.weights, 'sparse weights');
  const oneHot = fixture.cases.class_weight_one_hot;
  const labels = fixture.classes.map((c) => [0, 1, 2].map((i) => (i === c ? 1 : 0)));
  m = classifier('categorical_crossentropy', { weightedMetrics: ['categorical_accuracy'] });
  history = await m.fit(fixture.x, labels, { classWeight: { 0: 2.0, 2: 3.0 }, epochs: 2, ...common });
  assertHistory(history.history, oneHot.history, 'one-hot');
  assertWeights(m, oneHot.weights, 'one-hot weights');
});

test('fit with sampleWeight of shape [n, 1] and validationSplit: the split takes the last weights too (Keras)', async () => {
  const c = fixture.cases.sample_weight_column_validation_split;
  const m = regression({ weightedMetrics: ['mae'] });
  const sampleWeight = fixture.sampleWeight.map((w) => [w]);
  const history = await m.fit(fixture.x, fixture.y, { sampleWeight, epochs: 2, validationSplit: 0.3, ...common });
  assertHistory(history.history, c.history, 'history');
  assertWeights(m, c.weights, 'weights');
});

test('fit on a dataset with classWeight (Keras)', async () => {
  const c = fixture.cases.dataset_class_weight;
  const m = classifier('sparse_categorical_crossentropy', { weightedMetrics: ['accuracy'] });
  const dataset = tf.data.Dataset.fromTensorSlices([
    tf.tensor(fixture.x, undefined, 'float32'),
    tf.tensor(fixture.classes, undefined, 'int32'),
  ]).batch(4);
  const history = await m.fit(dataset, { classWeight: { 0: 1.0, 1: 2.0, 2: 0.5 }, epochs: 2, verbose: 0 });
  assertHistory(history.history, c.history, 'history');
  assertWeights(m, c.weights, 'weights');
});

test('fit on a dataset of [x, y, sampleWeight] batches equals fit with sampleWeight (Keras)', async () => {
  const c = fixture.cases.dataset_sample_weight;
  const m = regression({ weightedMetrics: ['mae'] });
  const dataset = tf.data.Dataset.fromTensorSlices([
    tf.tensor(fixture.x, undefined, 'float32'),
    tf.tensor(fixture.y, undefined, 'float32'),
    tf.tensor(fixture.sampleWeight, undefined, 'float32'),
  ]).batch(4);
  const history = await m.fit(dataset, { epochs: 2, verbose: 0 });
  assertHistory(history.history, c.history, 'history');
  assertWeights(m, c.weights, 'weights');
});

test('initialEpoch: a schedule follows the optimizer steps, LearningRateScheduler sees epochs from initialEpoch (Keras)', async () => {
  const log = (epochs: number[]) => new callbacks.LambdaCallback({ onEpochBegin: (epoch: number) => void epochs.push(epoch) });
  let c = fixture.cases.initial_epoch_schedule;
  let epochs: number[] = [];
  let m = regression({ optimizer: new optimizers.SGD(new optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)) });
  let history = await m.fit(fixture.x, fixture.y, { epochs: 4, initialEpoch: 2, callbacks: [log(epochs)], ...common });
  assert.deepEqual([epochs, history.epoch], [c.epochs, c.epochs]);
  assertHistory(history.history, c.history, 'schedule');
  assertWeights(m, c.weights, 'schedule weights');
  c = fixture.cases.initial_epoch_scheduler;
  epochs = [];
  m = regression();
  const scheduler = new callbacks.LearningRateScheduler((epoch) => 0.1 / (epoch + 1));
  history = await m.fit(fixture.x, fixture.y, { epochs: 3, initialEpoch: 1, callbacks: [scheduler, log(epochs)], ...common });
  assert.deepEqual(epochs, c.epochs);
  assertHistory(history.history, c.history, 'scheduler');
  assertWeights(m, c.weights, 'scheduler weights');
});

test('evaluate with sampleWeight, returnDict or Keras’ flattened order (Keras)', async () => {
  const m = regression({ metrics: ['mse'], weightedMetrics: ['mae'] });
  const dict = (await m.evaluate(fixture.x, fixture.y, {
    sampleWeight: fixture.sampleWeight,
    batchSize: 4,
    verbose: 0,
    returnDict: true,
  })) as Record<string, number>;
  assert.deepEqual(Object.keys(dict).sort(), Object.keys(fixture.evaluate.dict).sort());
  for (const [key, value] of Object.entries(fixture.evaluate.dict)) assertClose([dict[key]], [value], key);
  const list = (await m.evaluate(fixture.x, fixture.y, { sampleWeight: fixture.sampleWeight, batchSize: 4, verbose: 0 })) as number[];
  assertClose(list, fixture.evaluate.list, 'list');
  const unweighted = (await m.evaluate(fixture.x, fixture.y, { batchSize: 4, verbose: 0, returnDict: true })) as Record<string, number>;
  for (const [key, value] of Object.entries(fixture.evaluate.unweighted)) assertClose([unweighted[key]], [value], `unweighted ${key}`);
});

test('bad sample and class weights are clear errors', async () => {
  const m = regression();
  const fit = (options: tf.keras.FitOptions) => m.fit(fixture.x, fixture.y, { ...common, ...options });
  await assert.rejects(fit({ sampleWeight: fixture.sampleWeight, classWeight: { 0: 1 } }), {
    name: 'TypeError',
    message: fixture.errors.class_and_sample_weight.message,
  });
  await assert.rejects(fit({ sampleWeight: [1, 2, 3] }), { name: 'RangeError', message: /'sample_weight' sizes: 3/ });
  await assert.rejects(fit({ classWeight: { a: 1 } as never }), {
    name: 'TypeError',
    message: /keys must be non-negative integer class indices/,
  });
  await assert.rejects(fit({ classWeight: { 0: -1 } }), { name: 'RangeError', message: /values must be finite non-negative numbers/ });
  await assert.rejects(fit({ classWeight: [1, 2] as never }), { name: 'TypeError', message: /must be an object \{classIndex: weight\}/ });
  const dataset = tf.data.Dataset.fromTensorSlices([
    tf.tensor(fixture.x, undefined, 'float32'),
    tf.tensor(fixture.y, undefined, 'float32'),
  ]).batch(4);
  await assert.rejects(m.fit(dataset, { sampleWeight: fixture.sampleWeight, verbose: 0 }), {
    name: 'TypeError',
    message: /should not be passed/,
  });
  const rank3 = fixture.y.map((row) => [row]);
  await assert.rejects(m.fit(fixture.x, rank3, { classWeight: { 0: 1 }, verbose: 0 }), {
    name: 'TypeError',
    message: '`classWeight` is only supported for targets of rank 1 or 2. Received targets of shape (10, 1, 1)',
  });
});

test('with sample weights each training batch is still one session run (the weights are one more fed input)', async () => {
  const m = regression({ weightedMetrics: ['mae'] });
  const options = { sampleWeight: fixture.sampleWeight, ...common };
  await m.fit(fixture.x, fixture.y, { ...options, epochs: 1 });
  const before = tf.raw.sessionRunCount();
  await m.fit(fixture.x, fixture.y, { ...options, epochs: 2 });
  // 3 batches per epoch, plus a metric reset and a learning-rate read per epoch.
  assert.equal(tf.raw.sessionRunCount() - before, 2 * (3 + 2));
});

test("loss.apply(yTrue, yPred, sampleWeight): Keras' weighted reductions, weights of shape [n] or [n, 1]", () => {
  const { yTrue, yPred, sampleWeight } = fixture.lossInputs;
  const F = (v: number[] | number[][]) => tf.tensor(v, undefined, 'float32');
  const weights = { vector: F(sampleWeight), column: F(sampleWeight.map((w) => [w])) };
  for (const c of fixture.losses) {
    const Loss = (tf.keras.losses as unknown as Record<string, new (options: object) => tf.keras.losses.Loss>)[c.loss];
    const labels = c.loss === 'SparseCategoricalCrossentropy' ? F(yTrue.map((row) => row.indexOf(1))) : F(yTrue);
    const value = new Loss({ reduction: c.reduction }).apply(labels, F(yPred), weights[c.sampleWeight]);
    const what = `${c.loss} ${c.reduction} ${c.sampleWeight}`;
    assert.deepEqual(value.shape, c.shape, what);
    assertClose(value.dataSync() as Float32Array, c.value, what);
  }
});

test("Mean and MeanMetricWrapper with per-sample weights: Keras' weighted means", () => {
  const { yTrue, yPred, sampleWeight, sampleWeightFull } = fixture.lossInputs;
  const F = (v: number[] | number[][]) => tf.tensor(v, undefined, 'float32');
  const weights = { vector: F(sampleWeight), column: F(sampleWeight.map((w) => [w])), full: F(sampleWeightFull) };
  for (const c of fixture.metrics) {
    assertClose(
      [new tf.keras.metrics.Mean().apply(F(yPred), weights[c.sampleWeight]).numpy() as number],
      [c.mean],
      `Mean ${c.sampleWeight}`,
    );
    if (c.mse === undefined) continue;
    const mse = new tf.keras.metrics.MeanSquaredError().apply(F(yTrue), F(yPred), weights[c.sampleWeight]);
    assertClose([mse.numpy() as number], [c.mse], `MeanSquaredError ${c.sampleWeight}`);
  }
});
