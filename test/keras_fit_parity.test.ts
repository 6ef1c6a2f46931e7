// fit, evaluate and predict against Keras 3's numbers (test/fixtures/fit.json, callbacks.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { closeAll, fitCase, fitFixture, readFixture, targets } from './helpers/keras_fit_fixture';

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

for (const c of fitFixture.cases) {
  test(`fit matches Keras: ${c.name} (history, learning rate, weights, evaluate, predict)`, async () => {
    const [model, history] = await fitCase(c);
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
