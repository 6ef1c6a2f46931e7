// Callbacks as fit, evaluate and predict drive them: Keras' hook order and log keys
// (test/fixtures/keras_layers.json), the callback protocol, History, ReduceLROnPlateau on val_loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { readFixture } from './helpers/keras_fit_fixture';

const { Sequential, Input, layers, optimizers, callbacks } = tf.keras;
const { Dense } = layers;

type HookCall = [string, ...(number | string[])[]];

const layersFixture = readFixture<{
  callback_order: Record<'fit' | 'evaluate' | 'predict', { calls: HookCall[] }>;
}>('keras_layers.json');

test("callbacks get Keras' hooks in Keras' order, with its log keys (fit, evaluate, predict)", async () => {
  const calls: HookCall[] = [];
  class Recorder extends callbacks.Callback {}
  const hooks = [
    'onTrainBegin',
    'onTrainEnd',
    'onEpochBegin',
    'onEpochEnd',
    'onTrainBatchBegin',
    'onTrainBatchEnd',
    'onTestBegin',
    'onTestEnd',
    'onTestBatchBegin',
    'onTestBatchEnd',
    'onPredictBegin',
    'onPredictEnd',
    'onPredictBatchBegin',
    'onPredictBatchEnd',
  ] as const;
  for (const hook of hooks) {
    const pythonName = hook.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    (Recorder.prototype as unknown as Record<string, (...args: unknown[]) => void>)[hook] = (...args: unknown[]) => {
      const entry: HookCall = [pythonName];
      for (const arg of args) {
        if (typeof arg === 'number') entry.push(arg);
        else if (arg && Object.keys(arg).length)
          entry.push(
            Object.keys(arg)
              .filter((k) => k !== 'learning_rate')
              .sort(),
          );
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
  const history = await model.fit(tf.zeros([6, 2]), tf.zeros([6, 1]), {
    batchSize: 2,
    epochs: 5,
    verbose: 0,
    callbacks: [new StopAfterTwoBatches()],
  });
  assert.deepEqual(seen, ['batch 0 loss number', 'batch 1 loss number', 'epoch 0']);
  assert.deepEqual(history.epoch, [0]);
  assert.equal(model.history, history);
  assert.deepEqual(history.params, { verbose: 0, epochs: 5, steps: 3 });
  // A later fit starts again (Keras resets stop_training).
  assert.deepEqual((await model.fit(tf.zeros([6, 2]), tf.zeros([6, 1]), { epochs: 2, verbose: 0 })).epoch, [0, 1]);
});

test("ReduceLROnPlateau lowers the rate from fit's val_loss; initialEpoch; shuffle still trains", async () => {
  const model = new Sequential([Input([1]), new Dense({ units: 1, kernelInitializer: 'zeros' })]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const reduce = new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 0, minDelta: 100 });
  const history = await model.fit([[1], [2], [3], [4]], [[2], [4], [6], [8]], {
    epochs: 4,
    initialEpoch: 1,
    validationData: [[[5]], [[10]]],
    verbose: 0,
    callbacks: [reduce],
  });
  assert.deepEqual(history.epoch, [1, 2, 3]);
  // Logged before each reduction: the rate the epoch trained with.
  assert.deepEqual(history.history.learning_rate, [0.1, 0.1, 0.05].map(Math.fround));
  const shuffled = await model.fit([[1], [2], [3], [4]], [[2], [4], [6], [8]], { batchSize: 1, epochs: 3, verbose: 0 });
  assert.equal(shuffled.history.loss.length, 3);
});
