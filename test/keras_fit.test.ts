import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { Batch, DataSource } from '../lib/keras/training/data_adapter';
import { runBatches, StepPacer } from '../lib/keras/training/loop';
import { Progbar } from '../lib/keras/training/progbar';
import { runtime } from '../lib/runtime';
import { opLibraryStatus } from '../lib/op_library';

const { Sequential, Model, Input, layers, optimizers, callbacks } = tf.keras;
const { Dense, Dropout, BatchNormalization, Activation, Conv2D, MaxPooling2D, Flatten } = layers;

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');

interface FitCase {
  name: string;
  x: number[][];
  y: number[] | number[][];
  y_dtype: string;
  initial_weights: { shape: number[]; values: number[] }[];
  fit: { batch_size: number; epochs: number; validation_split?: number };
  validation_data?: { x: number[][]; y: number[][] };
  history: Record<string, number[]>;
  learning_rate: number[];
  final_weights: { path: string; shape: number[]; values: number[] }[];
  evaluate: number[];
  predict_first_5: number[][];
}

type HookCall = [string, ...(number | string[])[]];

const fitFixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fit.json'), 'utf8')) as { cases: FitCase[] };
const layersFixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keras_layers.json'), 'utf8')) as {
  callback_order: Record<'fit' | 'evaluate' | 'predict', { calls: HookCall[] }>;
  losses_and_metrics: { inputs: Record<string, number[][] | number[]>; losses: Record<string, number>; metrics: Record<string, number> };
};
const callbacksFixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'callbacks.json'), 'utf8')) as {
  fit_with_learning_rate_scheduler: {
    x: number[][];
    y: number[][];
    initial_kernel: number[][];
    initial_bias: number[];
    batch_size: number;
    epochs: number;
    history: { loss: number[]; learning_rate: number[] };
    final_kernel: number[];
    final_bias: number[];
  };
};

// rtol 1e-5, plus an absolute 1e-6: TF's fused Adam kernel forms (1 - beta) in float32 where Keras
// uses float64, which shows on values Adam has moved through zero.
function close(actual: number, expected: number, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

function closeAll(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => close(actual[i], e, `${what}[${i}]`));
}

/** The fixture's models, built as the Python script builds them. */
const BUILDERS: Record<string, () => [tf.keras.Model, tf.keras.CompileOptions]> = {
  adam_sparse_softmax: () => [
    new Sequential([Input([5]), new Dense({ units: 4, activation: 'relu' }), new Dense({ units: 3, activation: 'softmax' })]),
    { optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  ],
  sgd_momentum_mse: () => [
    new Sequential([Input([3]), new Dense({ units: 8, activation: 'tanh' }), new Dense({ units: 1 })]),
    { optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'mse', metrics: ['mae'] },
  ],
  adamw_binary_batchnorm_dropout: () => [
    new Sequential([
      Input([4]),
      new Dense({ units: 6, useBias: false }),
      new BatchNormalization(),
      new Activation('relu'),
      new Dropout({ rate: 0.3, seed: 7 }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ]),
    { optimizer: new optimizers.AdamW({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] },
  ],
  sgd_conv_categorical: () => [
    new Sequential([
      Input([6, 6, 1]),
      new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: 2, activation: 'softmax' }),
    ]),
    { optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] },
  ],
  functional_logits_gelu: () => {
    const inputs = Input([5]);
    const hidden = new Dense({ units: 6, activation: 'gelu' }).apply(inputs);
    return [
      new Model({ inputs, outputs: new Dense({ units: 3 }).apply(hidden) }),
      { optimizer: new optimizers.Adam({ learningRate: 0.005 }), loss: new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true }), metrics: ['categorical_accuracy', 'mse'] },
    ];
  },
};

function targets(c: FitCase): tf.keras.layers.WeightValue {
  return c.y_dtype.startsWith('int') ? Int32Array.from(c.y as number[]) : c.y;
}

function modelFor(c: FitCase): tf.keras.Model {
  const [model, compileOptions] = BUILDERS[c.name]();
  model.setWeights(c.initial_weights.map((w) => tf.tensor(Float32Array.from(w.values), w.shape, 'float32')));
  model.compile(compileOptions);
  return model;
}

async function fitCase(c: FitCase, extra: tf.keras.FitOptions = {}): Promise<[tf.keras.Model, tf.keras.History]> {
  const model = modelFor(c);
  const options: tf.keras.FitOptions = { batchSize: c.fit.batch_size, epochs: c.fit.epochs, shuffle: false, verbose: 0, ...extra };
  if (c.fit.validation_split !== undefined) options.validationSplit = c.fit.validation_split;
  if (c.validation_data) options.validationData = [c.validation_data.x, c.validation_data.y];
  return [model, await model.fit(c.x, targets(c), options)];
}

/** Runs `body` with Adam's default set by TF_NAPI_FUSED_ADAM ('1' fused op, '0' TF's per-variable kernels). */
async function withFusedAdam<T>(setting: '0' | '1' | undefined, body: () => Promise<T>): Promise<T> {
  const before = process.env.TF_NAPI_FUSED_ADAM;
  if (setting === undefined) delete process.env.TF_NAPI_FUSED_ADAM;
  else process.env.TF_NAPI_FUSED_ADAM = setting;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.TF_NAPI_FUSED_ADAM;
    else process.env.TF_NAPI_FUSED_ADAM = before;
  }
}

const usesAdam = (c: FitCase) => BUILDERS[c.name]()[1].optimizer instanceof optimizers.Adam;
const opLibrary = opLibraryStatus();

for (const c of fitFixture.cases) {
  // Adam cases run on tf-napi's fused op (the default where the op library is built) and on TF's
  // per-variable kernels; both must match Keras, and each other bit for bit.
  const adam = usesAdam(c);
  for (const setting of adam ? [undefined, '0' as const] : [undefined]) {
    const how = setting === '0' ? ", TF's per-variable Adam kernels" : '';
    test(`fit matches Keras: ${c.name} (history, learning rate, weights, evaluate, predict${how})`, async () => {
      const [model, history] = await withFusedAdam(setting, () => fitCase(c));
      assert.deepEqual(Object.keys(history.history), [...Object.keys(c.history), 'learning_rate']);
      for (const [key, values] of Object.entries(c.history)) closeAll(history.history[key], values, key);
      closeAll(history.history.learning_rate, c.learning_rate, 'learning_rate');
      assert.deepEqual(history.epoch, [...Array(c.fit.epochs).keys()]);
      const weights = model.getWeights();
      c.final_weights.forEach((w, i) => {
        assert.deepEqual(weights[i].shape, w.shape, w.path);
        closeAll(weights[i].dataSync() as Float32Array, w.values, w.path);
      });
      const evaluation = await model.evaluate(c.x, targets(c), { batchSize: c.fit.batch_size, verbose: 0 });
      closeAll(([] as number[]).concat(evaluation as number | number[]), c.evaluate, 'evaluate');
      const prediction = await model.predict(c.x.slice(0, 5), { verbose: 0 });
      closeAll(prediction.dataSync() as Float32Array, c.predict_first_5.flat(), 'predict');
    });
  }
  if (adam) {
    test(`fit: the fused Adam op and TF's per-variable kernels give bit-identical weights: ${c.name}`, { skip: !opLibrary.loaded && `${opLibrary.reason}` }, async () => {
      const weights = async (setting: '0' | '1') => {
        const [model, history] = await withFusedAdam(setting, () => fitCase(c));
        return [history.history, model.getWeights().map((w) => Array.from(w.dataSync() as Float32Array))];
      };
      assert.deepEqual(await weights('1'), await weights('0'));
    });
  }
}

test('loss classes and metrics match Keras (probabilities clipped to [1e-7, 1 - 1e-7], logits, a softmax\'s logits)', () => {
  const { inputs, losses, metrics } = layersFixture.losses_and_metrics;
  const t = (name: string) => tf.constant(inputs[name] as number[][], name === 'labels' ? 'int32' : 'float32');
  const L = tf.keras.losses;
  const value = (x: tf.Tensor) => (x.dataSync() as Float32Array)[0];
  const computed: Record<string, number> = {
    mean_squared_error: value(new L.MeanSquaredError().apply(t('regression_true'), t('regression_pred'))),
    mean_absolute_error: value(new L.MeanAbsoluteError().apply(t('regression_true'), t('regression_pred'))),
    binary_crossentropy: value(new L.BinaryCrossentropy().apply(t('binary_true'), t('binary_probabilities'))),
    binary_crossentropy_from_logits: value(new L.BinaryCrossentropy({ fromLogits: true }).apply(t('binary_true'), t('binary_logits'))),
    categorical_crossentropy: value(new L.CategoricalCrossentropy().apply(t('one_hot'), t('probabilities'))),
    categorical_crossentropy_from_logits: value(new L.CategoricalCrossentropy({ fromLogits: true }).apply(t('one_hot'), t('logits'))),
    categorical_crossentropy_label_smoothing: value(new L.CategoricalCrossentropy({ labelSmoothing: 0.1 }).apply(t('one_hot'), t('probabilities'))),
    sparse_categorical_crossentropy: value(new L.SparseCategoricalCrossentropy().apply(t('labels'), t('probabilities'))),
    sparse_categorical_crossentropy_from_logits: value(new L.SparseCategoricalCrossentropy({ fromLogits: true }).apply(t('labels'), t('logits'))),
    sparse_categorical_crossentropy_of_softmax: value(new L.SparseCategoricalCrossentropy().apply(t('labels'), tf.keras.activations.softmax(t('logits')))),
  };
  for (const [name, expected] of Object.entries(losses)) close(computed[name], expected, name);
  assert.equal(L.get('mse').name, 'mse');
  assert.ok(L.get('categorical_crossentropy') instanceof L.Loss);
  const M = tf.keras.metrics;
  const metric = (m: tf.keras.metrics.Metric, yTrue: string, yPred: string) => {
    m.updateState(t(yTrue), t(yPred));
    return value(m.result());
  };
  close(metric(new M.SparseCategoricalAccuracy(), 'labels', 'probabilities'), metrics.sparse_categorical_accuracy, 'sparse_categorical_accuracy');
  close(metric(new M.CategoricalAccuracy(), 'one_hot', 'logits'), metrics.categorical_accuracy, 'categorical_accuracy');
  close(metric(new M.BinaryAccuracy(), 'binary_true', 'binary_probabilities'), metrics.binary_accuracy, 'binary_accuracy');
  close(metric(new M.MeanAbsoluteError(), 'regression_true', 'regression_pred'), metrics.mean_absolute_error, 'mean_absolute_error');
  const accuracy = new M.SparseCategoricalAccuracy();
  metric(accuracy, 'labels', 'probabilities');
  accuracy.resetState();
  assert.equal(value(accuracy.result()), 0);
  assert.equal(M.get('accuracy', [null], [null, 3]).constructor.name, 'SparseCategoricalAccuracy');
  assert.equal(M.get('accuracy', [null, 3], [null, 3]).constructor.name, 'CategoricalAccuracy');
  assert.equal(M.get('acc', [null, 1], [null, 1]).constructor.name, 'BinaryAccuracy');
  assert.equal(M.get('acc', [null, 1], [null, 1]).name, 'acc');
});

test('fit with LearningRateScheduler matches Keras (callbacks.json)', async () => {
  const f = callbacksFixture.fit_with_learning_rate_scheduler;
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.setWeights([f.initial_kernel, f.initial_bias]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const scheduler = new callbacks.LearningRateScheduler((epoch, lr) => (epoch < 3 ? lr : lr * 0.5));
  const history = await model.fit(f.x, f.y, { batchSize: f.batch_size, epochs: f.epochs, shuffle: false, verbose: 0, callbacks: [scheduler] });
  closeAll(history.history.loss, f.history.loss, 'loss');
  closeAll(history.history.learning_rate, f.history.learning_rate, 'learning_rate');
  const [kernel, bias] = model.getWeights();
  closeAll(kernel.dataSync() as Float32Array, f.final_kernel, 'kernel');
  closeAll(bias.dataSync() as Float32Array, f.final_bias, 'bias');
});

test('each training batch is one session run (plus a metric reset and a learning-rate read per epoch)', async () => {
  const c = fitFixture.cases[0];
  const model = modelFor(c);
  const options = { batchSize: 16, shuffle: false, verbose: 0 } as const;
  await model.fit(c.x, targets(c), { ...options, epochs: 1 });
  const before = tf.raw.sessionRunCount();
  await model.fit(c.x, targets(c), { ...options, epochs: 3 });
  assert.equal(tf.raw.sessionRunCount() - before, 3 * (4 + 2));
  const evaluateBefore = tf.raw.sessionRunCount();
  await model.evaluate(c.x, targets(c), { batchSize: 16, verbose: 0 });
  assert.equal(tf.raw.sessionRunCount() - evaluateBefore, 1 + 4);
});

test('the next batch is prepared before the step\'s end hooks (while the step runs, when it runs on the pool)', async () => {
  const events: string[] = [];
  const x = tf.ones([4, 3]);
  const y = tf.zeros([4, 1]);
  function* batches() {
    for (let i = 0; i < 4; ++i) {
      events.push(`prepare ${i}`);
      yield [x, y] as const;
    }
  }
  class Recorder extends callbacks.Callback {
    override onTrainBatchBegin(batch: number): void {
      events.push(`begin ${batch}`);
    }
    override onTrainBatchEnd(batch: number): void {
      events.push(`end ${batch}`);
    }
  }
  const model = new Sequential([Input([3]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.fit({ [Symbol.iterator]: batches }, { verbose: 0, callbacks: [new Recorder()] });
  assert.deepEqual(events, ['prepare 0', 'begin 0', 'prepare 1', 'end 0', 'begin 1', 'prepare 2', 'end 1', 'begin 2', 'prepare 3', 'end 2', 'begin 3', 'end 3']);
});

test('a step runs on the main thread after a short step, on the pool after a long one; the loop yields every so often', async () => {
  let now = 0;
  const pacer = new StepPacer(() => now);
  assert.equal(pacer.inline, true, 'the first step runs where it is traced');
  pacer.record(StepPacer.inlineBelowMs);
  assert.equal(pacer.inline, false);
  pacer.record(StepPacer.inlineBelowMs - 1);
  assert.equal(pacer.inline, true);
  assert.equal(pacer.shouldYield(), false);
  now += StepPacer.yieldEveryMs;
  assert.equal(pacer.shouldYield(), true);
  assert.equal(pacer.shouldYield(), false, 'the clock restarts at each yield');

  // Step i "takes" durations[i] on the fake clock.
  const durations = [1, 50, 2, 3, 60, 70, 1];
  const source: DataSource = {
    steps: durations.length,
    *batches() {
      for (let i = 0; i < durations.length; ++i) yield { x: undefined as unknown as tf.Tensor, dispose: () => undefined } satisfies Batch;
    },
  };
  const where: string[] = [];
  let step = 0;
  const ran = await runBatches(source, false, {
    before: async () => undefined,
    run: () => {
      now += durations[step++];
      where.push('main');
    },
    launch: async () => {
      now += durations[step++];
      where.push('pool');
    },
    after: async () => true,
  }, new StepPacer(() => now));
  assert.equal(ran, durations.length);
  assert.deepEqual(where, ['main', 'main', 'pool', 'main', 'main', 'pool', 'pool']);
});

test('timers keep firing while fit runs many short steps on the main thread', async () => {
  const model = new Sequential([Input([4]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  let ticks = 0;
  const timer = setInterval(() => ++ticks, 1);
  const started = performance.now();
  try {
    await model.fit(tf.ones([8000, 4]), tf.zeros([8000, 1]), { batchSize: 2, epochs: 1, verbose: 0 });
  } finally {
    clearInterval(timer);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed > 4 * StepPacer.yieldEveryMs, `fit took ${elapsed} ms: too short to check`);
  assert.ok(ticks >= 2, `only ${ticks} timer ticks in ${elapsed.toFixed(0)} ms of fit`);
});

test('fit traces its first batch size with static shapes and any other size once, with a free batch dimension', async () => {
  const model = new Sequential([Input([3]), new Dense({ units: 1 })], { name: 'traced_sizes' });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const stepInputs = () =>
    runtime.graph
      .operations()
      .filter((op) => /^traced_sizes_train_step(_\d+)?\/arg0\/EnsureShape/.test(op.name))
      .map((op) => op.outputShape(0));
  await model.fit(tf.ones([10, 3]), tf.zeros([10, 1]), { batchSize: 4, epochs: 2, verbose: 0 });
  assert.deepEqual(stepInputs(), [[4, 3], [-1, 3]], 'batches of 4, 4 and 2: one static trace, one relaxed');
  await model.fit(tf.ones([6, 3]), tf.zeros([6, 1]), { batchSize: 5, epochs: 1, verbose: 0 });
  assert.equal(stepInputs().length, 2, 'later sizes reuse the relaxed step');
});

test('fit on a tf.data.Dataset gives the same history as on the arrays', async () => {
  const c = fitFixture.cases[1];
  const [, fromArrays] = await fitCase({ ...c, validation_data: undefined });
  const model = modelFor(c);
  const dataset = tf.data.Dataset.fromTensorSlices([tf.constant(c.x, 'float32'), tf.constant(c.y as number[][], 'float32')]).batch(c.fit.batch_size);
  const steps: (number | null | undefined)[] = [];
  class Steps extends callbacks.Callback {
    override onEpochBegin(): void {
      steps.push(this.params.steps);
    }
  }
  const fromDataset = await model.fit(dataset, { epochs: c.fit.epochs, verbose: 0, callbacks: [new Steps()] });
  assert.deepEqual(fromDataset.history.loss, fromArrays.history.loss);
  assert.deepEqual(fromDataset.history.mae, fromArrays.history.mae);
  assert.deepEqual(steps, [5, 5, 5, 5], 'the dataset\'s cardinality gives the steps per epoch');
  const evaluation = await model.evaluate(dataset, { verbose: 0, returnDict: true });
  assert.deepEqual(Object.keys(evaluation), ['loss', 'mae']);
  assert.deepEqual((await model.predict(dataset, { verbose: 0 })).shape, [45, 1]);
  const inputsOnly = tf.data.Dataset.fromTensorSlices(tf.constant(c.x, 'float32')).batch(8);
  assert.deepEqual((await model.predict(inputsOnly, { verbose: 0 })).shape, [45, 1]);
  await assert.rejects(() => model.fit(dataset, { batchSize: 4 }), /`batchSize` must not be given with a dataset/);
});

test('callbacks get Keras\' hooks in Keras\' order, with its log keys (fit, evaluate, predict)', async () => {
  const calls: HookCall[] = [];
  class Recorder extends callbacks.Callback {}
  const hooks = [
    'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onTrainBatchBegin', 'onTrainBatchEnd', 'onTestBegin', 'onTestEnd',
    'onTestBatchBegin', 'onTestBatchEnd', 'onPredictBegin', 'onPredictEnd', 'onPredictBatchBegin', 'onPredictBatchEnd',
  ] as const;
  for (const hook of hooks) {
    const pythonName = hook.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    (Recorder.prototype as unknown as Record<string, (...args: unknown[]) => void>)[hook] = (...args: unknown[]) => {
      const entry: HookCall = [pythonName];
      for (const arg of args) {
        if (typeof arg === 'number') entry.push(arg);
        else if (arg && Object.keys(arg).length) entry.push(Object.keys(arg).filter((k) => k !== 'learning_rate').sort());
      }
      calls.push(entry);
    };
  }
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const x = tf.zeros([6, 2]);
  const y = tf.zeros([6, 1]);
  await model.fit(x, y, { batchSize: 2, epochs: 2, validationSplit: 1 / 3, verbose: 0, callbacks: [new Recorder()] });
  assert.deepEqual(calls, layersFixture.callback_order.fit.calls);
  calls.length = 0;
  await model.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: [new Recorder()] });
  assert.deepEqual(calls, layersFixture.callback_order.evaluate.calls);
  calls.length = 0;
  await model.predict(x, { batchSize: 4, verbose: 0, callbacks: [new Recorder()] });
  // Keras hands predict's batch-end hook {outputs}; here it gets no logs.
  const keras = layersFixture.callback_order.predict.calls.map((call) => call.filter((part) => !Array.isArray(part)));
  assert.deepEqual(calls, keras);
});

test('callbacks: setModel/setParams, stopTraining, async hooks, History is returned and set on the model', async () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const seen: string[] = [];
  class StopAfterTwoBatches extends callbacks.Callback {
    override onTrainBegin(): void {
      assert.equal(this.model, model);
      assert.deepEqual(this.params, { verbose: 0, epochs: 5, steps: 3 });
    }
    override async onTrainBatchEnd(batch: number, logs?: tf.keras.callbacks.Logs): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(`batch ${batch} loss ${typeof logs?.loss}`);
      if (batch === 1) (this.model as tf.keras.Model).stopTraining = true;
    }
    override onEpochEnd(epoch: number): void {
      seen.push(`epoch ${epoch}`);
    }
  }
  const asCallbackModel: tf.keras.callbacks.CallbackModel = model;
  assert.equal(asCallbackModel.stopTraining, false);
  const history = await model.fit(tf.zeros([6, 2]), tf.zeros([6, 1]), { batchSize: 2, epochs: 5, verbose: 0, callbacks: [new StopAfterTwoBatches()] });
  assert.deepEqual(seen, ['batch 0 loss number', 'batch 1 loss number', 'epoch 0']);
  assert.deepEqual(history.epoch, [0]);
  assert.equal(model.history, history);
  assert.deepEqual(history.params, { verbose: 0, epochs: 5, steps: 3 });
  // A later fit starts again (Keras resets stop_training).
  assert.deepEqual((await model.fit(tf.zeros([6, 2]), tf.zeros([6, 1]), { epochs: 2, verbose: 0 })).epoch, [0, 1]);
});

test('ReduceLROnPlateau lowers the rate from fit\'s val_loss; initialEpoch; shuffle still trains', async () => {
  const model = new Sequential([Input([1]), new Dense({ units: 1, kernelInitializer: 'zeros' })]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const reduce = new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 0, minDelta: 100 });
  const history = await model.fit([[1], [2], [3], [4]], [[2], [4], [6], [8]], { epochs: 4, initialEpoch: 1, validationData: [[[5]], [[10]]], verbose: 0, callbacks: [reduce] });
  assert.deepEqual(history.epoch, [1, 2, 3]);
  // Logged before each reduction: the rate the epoch trained with.
  assert.deepEqual(history.history.learning_rate, [0.1, 0.1, 0.05].map(Math.fround));
  const shuffled = await model.fit([[1], [2], [3], [4]], [[2], [4], [6], [8]], { batchSize: 1, epochs: 3, verbose: 0 });
  assert.equal(shuffled.history.loss.length, 3);
});

test('evaluate returns the loss alone, [loss, ...metrics] in compile order, or a dict', async () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1, kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = [[1, 2], [3, 4]];
  const y = [[3], [7]];
  assert.equal(await model.evaluate(x, y, { verbose: 0 }), 0);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse', 'mae'] });
  assert.deepEqual(await model.evaluate(x, [[4], [7]], { verbose: 0 }), [0.5, 0.5, 0.5]);
  assert.deepEqual(await model.evaluate(x, [[4], [7]], { verbose: 0, returnDict: true }), { loss: 0.5, mae: 0.5, mse: 0.5 });
  assert.deepEqual(model.metricsNames, ['loss', 'mse', 'mae']);
  const predictions = await model.predict(Float32Array.from({ length: 70 }, (_, i) => i % 3), { verbose: 0, batchSize: 8 }).catch((e: Error) => e);
  assert.ok(predictions instanceof Error, 'a flat array is one feature per sample, which this model does not take');
  const many = await model.predict({ data: Float32Array.from({ length: 70 }, (_, i) => i), shape: [35, 2] }, { verbose: 0, batchSize: 8 });
  assert.deepEqual(many.shape, [35, 1]);
  assert.equal((many.dataSync() as Float32Array)[34], 68 + 69);
});

test('bad input: x/y length mismatch, wrong input shape, fit before compile, unknown names', async () => {
  const model = new Sequential([Input([4]), new Dense({ units: 3, activation: 'softmax', name: 'probs' })]);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([8])), { message: 'You must call `compile()` before using the model.' });
  await assert.rejects(() => model.evaluate(tf.zeros([8, 4]), tf.zeros([8])), { message: 'You must call `compile()` before using the model.' });
  assert.throws(() => model.compile({ optimizer: 'foo', loss: 'mse' }), { message: 'Could not interpret optimizer identifier: foo' });
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'foo' }), { message: 'Could not interpret loss identifier: foo' });
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['foo'] }), { message: 'Could not interpret metric identifier: foo' });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await assert.rejects(
    () => model.fit(tf.zeros([8, 4]), tf.zeros([7]), { verbose: 0 }),
    { message: "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: 8\n'y' sizes: 7\n" },
  );
  // fit and predict trace their first step with the batch's static shape (Keras traces with a free batch dim, so it prints None there).
  await assert.rejects(
    () => model.fit(tf.zeros([8, 5]), tf.zeros([8]), { verbose: 0 }),
    { message: "Input 0 with name 'None' of layer 'probs' is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (8, 5)" },
  );
  await assert.rejects(() => model.predict(tf.zeros([8, 5]), { verbose: 0 }), /expected axis -1 of input shape to have value 4, but received input with shape \(8, 5\)/);
  await assert.rejects(() => model.fit(tf.zeros([3, 4]), tf.zeros([3]), { validationSplit: 0.7, verbose: 0 }), /Training data contains 3 samples, which is not sufficient to split it/);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([8]), { batchSize: 0, verbose: 0 }), /`batchSize` must be a positive integer/);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([8]), { verbose: 3 as never }), /`verbose` must be 0, 1 or 2/);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), undefined, { verbose: 0 }), /fit\(\) needs targets `y`/);
  await assert.rejects(() => model.fit([[1, 2, 3, 4], [1, 2]], [0, 1], { verbose: 0 }), /ragged/);
  // A failed trace leaves the model usable.
  const history = await model.fit(tf.zeros([8, 4]), tf.zeros([8]), { verbose: 0 });
  assert.deepEqual(Object.keys(history.history), ['accuracy', 'loss', 'learning_rate']);
});

/** What `run` prints; the test runner's own (binary) messages pass through to the real stdout. */
function captureStdout(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    typeof chunk === 'string' ? chunks.push(chunk) > 0 : (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest)) as typeof process.stdout.write;
  return run().then(
    () => {
      process.stdout.write = write;
      return chunks.join('');
    },
    (e: unknown) => {
      process.stdout.write = write;
      throw e;
    },
  );
}

test('progress output: verbose 2 prints Keras\' epoch lines, verbose 1 (not a terminal) the final bar, 0 nothing', async () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const x = tf.zeros([6, 2]);
  const y = tf.zeros([6, 1]);
  const isTTY = process.stdout.isTTY;
  process.stdout.isTTY = false;
  try {
    const two = await captureStdout(() => model.fit(x, y, { batchSize: 2, epochs: 2, verbose: 2, validationSplit: 1 / 3 }));
    const number = '\\d\\.\\d{4}(e[-+]\\d\\d)?';
    const line = `2/2 - \\d+s - \\d+(us|ms|s)/step - loss: ${number} - mae: ${number} - val_loss: ${number} - val_mae: ${number} - learning_rate: ${number}`;
    assert.match(two, new RegExp(`^Epoch 1/2\\n${line}\\nEpoch 2/2\\n${line}\\n$`));
    const one = await captureStdout(() => model.fit(x, y, { batchSize: 2, epochs: 1, verbose: 1 }));
    assert.match(one, new RegExp(`^3/3 ━{20} \\d+s \\d+(us|ms|s)/step - loss: ${number} - mae: ${number} - learning_rate: ${number}\\n$`));
    assert.equal(await captureStdout(() => model.fit(x, y, { epochs: 2, verbose: 0 })), '');
    const evaluation = await captureStdout(() => model.evaluate(x, y, { batchSize: 4 }));
    assert.match(evaluation, new RegExp(`^2/2 ━{20} \\d+s \\d+(us|ms|s)/step - loss: ${number} - mae: ${number}\\n$`));
    assert.match(await captureStdout(() => model.predict(x, { batchSize: 4 })), /^2\/2 ━{20} \d+s \d+(us|ms|s)\/step\n$/);
  } finally {
    process.stdout.isTTY = isTTY;
  }
});

test('on a terminal the bar is drawn in place through cli-progress, with Keras\' styling', async () => {
  const written: string[] = [];
  const stream = { isTTY: true, columns: 120, write: (s: string) => written.push(s) > 0, on: () => stream, removeListener: () => stream };
  const bar = new Progbar(3, 1, stream);
  bar.update(1, { loss: 0.5 });
  await new Promise((resolve) => setTimeout(resolve, 120));
  bar.update(2, { loss: 0.25 });
  bar.update(3, { loss: 0.125, val_loss: 0.0005 }, true);
  const output = written.join('');
  assert.match(output, /\x1b\[1m1\/3\x1b\[0m \x1b\[32m━{6}\x1b\[0m\x1b\[37m━{14}\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)\/step - loss: 0\.5000/);
  assert.match(output, /\x1b\[1m3\/3\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)\/step - loss: 0\.1250 - val_loss: 5\.0000e-04/);
  assert.ok(output.endsWith('\n'), 'the finished bar ends its line');
});
