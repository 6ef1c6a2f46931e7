// What evaluate returns, and predict on host arrays.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';

const { Sequential, Input, layers } = tf.keras;
const { Dense } = layers;

test('evaluate returns the loss alone, [loss, ...metrics] in compile order, or a dict', async () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1, kernelInitializer: 'ones' })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = [
    [1, 2],
    [3, 4],
  ];
  const y = [[3], [7]];
  assert.equal(await model.evaluate(x, y, { verbose: 0 }), 0);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse', 'mae'] });
  assert.deepEqual(await model.evaluate(x, [[4], [7]], { verbose: 0 }), [0.5, 0.5, 0.5]);
  assert.deepEqual(await model.evaluate(x, [[4], [7]], { verbose: 0, returnDict: true }), { loss: 0.5, mae: 0.5, mse: 0.5 });
  assert.deepEqual(model.metricsNames, ['loss', 'mse', 'mae']);
  const predictions = await model
    .predict(
      Float32Array.from({ length: 70 }, (_, i) => i % 3),
      { verbose: 0, batchSize: 8 },
    )
    .catch((e: Error) => e);
  assert.ok(predictions instanceof Error, 'a flat array is one feature per sample, which this model does not take');
  const many = await model.predict({ data: Float32Array.from({ length: 70 }, (_, i) => i), shape: [35, 2] }, { verbose: 0, batchSize: 8 });
  assert.deepEqual(many.shape, [35, 1]);
  assert.equal((many.dataSync() as Float32Array)[34], 68 + 69);
});
