// fit, evaluate and predict against Keras 3's numbers (test/fixtures/fit.json, callbacks.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { opLibraryStatus } from '../lib/op_library';
import { BUILDERS, closeAll, type FitCase, fitCase, fitFixture, readFixture, targets } from './helpers/keras_fit_fixture';

const { Sequential, Input, layers, optimizers, callbacks } = tf.keras;
const { Dense } = layers;

const callbacksFixture = readFixture<{
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
}>('callbacks.json');

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
    test(`fit: the fused Adam op and TF's per-variable kernels give bit-identical weights: ${c.name}`, {
      skip: !opLibrary.loaded && `${opLibrary.reason}`,
    }, async () => {
      const weights = async (setting: '0' | '1') => {
        const [model, history] = await withFusedAdam(setting, () => fitCase(c));
        return [history.history, model.getWeights().map((w) => Array.from(w.dataSync() as Float32Array))];
      };
      assert.deepEqual(await weights('1'), await weights('0'));
    });
  }
}

test('fit with LearningRateScheduler matches Keras (callbacks.json)', async () => {
  const f = callbacksFixture.fit_with_learning_rate_scheduler;
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.setWeights([f.initial_kernel, f.initial_bias]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const scheduler = new callbacks.LearningRateScheduler((epoch, lr) => (epoch < 3 ? lr : lr * 0.5));
  const history = await model.fit(f.x, f.y, {
    batchSize: f.batch_size,
    epochs: f.epochs,
    shuffle: false,
    verbose: 0,
    callbacks: [scheduler],
  });
  closeAll(history.history.loss, f.history.loss, 'loss');
  closeAll(history.history.learning_rate, f.history.learning_rate, 'learning_rate');
  const [kernel, bias] = model.getWeights();
  closeAll(kernel.dataSync() as Float32Array, f.final_kernel, 'kernel');
  closeAll(bias.dataSync() as Float32Array, f.final_bias, 'bias');
});
