// fit, evaluate and predict on a tf.data.Dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { fitCase, fitFixture, modelFor } from './helpers/keras_fit_fixture';

const { callbacks } = tf.keras;

test('fit on a tf.data.Dataset gives the same history as on the arrays', async () => {
  const c = fitFixture.cases[1];
  const [, fromArrays] = await fitCase({ ...c, validation_data: undefined });
  const model = modelFor(c);
  const dataset = tf.data.Dataset.fromTensorSlices([tf.constant(c.x, 'float32'), tf.constant(c.y as number[][], 'float32')]).batch(
    c.fit.batch_size,
  );
  const steps: (number | null | undefined)[] = [];
  class Steps extends callbacks.Callback {
    override onEpochBegin(): void {
      steps.push(this.params.steps);
    }
  }
  const fromDataset = await model.fit(dataset, { epochs: c.fit.epochs, verbose: 0, callbacks: [new Steps()] });
  assert.deepEqual(fromDataset.history.loss, fromArrays.history.loss);
  assert.deepEqual(fromDataset.history.mae, fromArrays.history.mae);
  assert.deepEqual(steps, [5, 5, 5, 5], "the dataset's cardinality gives the steps per epoch");
  const evaluation = await model.evaluate(dataset, { verbose: 0, returnDict: true });
  assert.deepEqual(Object.keys(evaluation), ['loss', 'mae']);
  assert.deepEqual((await model.predict(dataset, { verbose: 0 })).shape, [45, 1]);
  const inputsOnly = tf.data.Dataset.fromTensorSlices(tf.constant(c.x, 'float32')).batch(8);
  assert.deepEqual((await model.predict(inputsOnly, { verbose: 0 })).shape, [45, 1]);
  await assert.rejects(() => model.fit(dataset, { batchSize: 4 }), /`batchSize` must not be given with a dataset/);
});
