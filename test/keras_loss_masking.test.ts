// Losses and metrics under the mask a model's output carries (Keras' get_keras_mask in
// Loss.__call__ and MeanMetricWrapper.update_state): Embedding(maskZero) → LSTM(returnSequences) →
// Dense, against Keras 3 (test/fixtures/generators/loss_masking_reference.py): the loss called on
// the predictions with each reduction, the accuracy metric, and fit/evaluate with and without
// temporal sample weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

interface FitCase {
  name: string;
  initial_weights: number[][];
  weight_shapes: number[][];
  sample_weight: number[][] | null;
  loss: number[];
  accuracy: number[];
  evaluate: { loss: number; accuracy: number };
  final_weights: number[][];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'loss_masking.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  sample_weight: number[];
  direct: { initial_weights: number[][]; mask: number[]; losses: Record<string, number[]>; accuracy: number };
  fit_cases: FitCase[];
};

function close(actual: number, expected: number, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

function makeModel(weights: number[][]): tf.keras.Sequential {
  const { Sequential, Input, layers } = tf.keras;
  const model = new Sequential([
    Input([6], { dtype: 'int32' }),
    new layers.Embedding(9, 4, { maskZero: true }),
    new layers.LSTM(5, { returnSequences: true }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  const shapes = model.getWeights().map((w) => w.shape as number[]);
  model.setWeights(weights.map((w, i) => tf.tensor(w, shapes[i], 'float32')));
  return model;
}

const x = () => tf.tensor(fixture.x, undefined, 'int32');
const y = () => tf.tensor(fixture.y, undefined, 'int32');

test('a loss called on predictions that carry a mask averages over the unmasked steps only', () => {
  const model = makeModel(fixture.direct.initial_weights);
  const yPred = model.apply(x());
  const mask = tf.keras.layers.getKerasMask(yPred);
  assert.ok(mask !== null, 'the predictions carry the mask');
  assert.deepEqual((mask.numpy() as boolean[][]).flat().map(Number), fixture.direct.mask);
  const weights = tf.tensor(
    fixture.sample_weight.map((w) => [w]),
    undefined,
    'float32',
  );
  for (const reduction of ['sum_over_batch_size', 'sum', 'none'] as const) {
    const loss = new tf.keras.losses.SparseCategoricalCrossentropy({ reduction });
    for (const [key, sampleWeight] of [
      [reduction, undefined],
      [`${reduction}_weighted`, weights],
    ] as const) {
      const value = loss.apply(y(), yPred, sampleWeight);
      const flat = reduction === 'none' ? (value.numpy() as number[][]).flat() : [value.numpy() as number];
      assert.equal(flat.length, fixture.direct.losses[key].length, key);
      flat.forEach((v, i) => close(v, fixture.direct.losses[key][i], `${key}[${i}]`));
    }
  }
  const metric = new tf.keras.metrics.SparseCategoricalAccuracy();
  metric.updateState(y(), yPred);
  close(metric.result().numpy() as number, fixture.direct.accuracy, 'accuracy');
});

for (const c of fixture.fit_cases) {
  test(`fit and evaluate under the output's mask, against Keras: ${c.name}`, async () => {
    const model = makeModel(c.initial_weights);
    model.compile({ optimizer: new tf.keras.optimizers.SGD(0.5), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const sampleWeight = c.sample_weight === null ? undefined : tf.tensor(c.sample_weight, undefined, 'float32');
    const history = await model.fit(x(), y(), { sampleWeight, batchSize: 4, epochs: 3, shuffle: false, verbose: 0 });
    c.loss.forEach((v, i) => close(history.history.loss[i] as number, v, `${c.name} epoch ${i + 1} loss`));
    c.accuracy.forEach((v, i) => close(history.history.accuracy[i] as number, v, `${c.name} epoch ${i + 1} accuracy`));
    const evaluated = (await model.evaluate(x(), y(), { batchSize: 4, verbose: 0, returnDict: true })) as Record<string, number>;
    close(evaluated.loss, c.evaluate.loss, `${c.name} evaluate loss`);
    close(evaluated.accuracy, c.evaluate.accuracy, `${c.name} evaluate accuracy`);
    model.getWeights().forEach((w, i) => {
      const values = Array.from(w.dataSync() as Float32Array);
      values.forEach((v, j) => close(v, c.final_weights[i][j], `${c.name} weight ${i}[${j}]`, 1e-4, 1e-5));
    });
  });
}
