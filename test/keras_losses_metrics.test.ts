// Keras' loss classes and metrics against Keras 3's values (test/fixtures/keras_layers.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { close, readFixture } from './helpers/keras_fit_fixture';

const layersFixture = readFixture<{
  losses_and_metrics: { inputs: Record<string, number[][] | number[]>; losses: Record<string, number>; metrics: Record<string, number> };
}>('keras_layers.json');

test("loss classes and metrics match Keras (probabilities clipped to [1e-7, 1 - 1e-7], logits, a softmax's logits)", () => {
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
    categorical_crossentropy_label_smoothing: value(
      new L.CategoricalCrossentropy({ labelSmoothing: 0.1 }).apply(t('one_hot'), t('probabilities')),
    ),
    sparse_categorical_crossentropy: value(new L.SparseCategoricalCrossentropy().apply(t('labels'), t('probabilities'))),
    sparse_categorical_crossentropy_from_logits: value(
      new L.SparseCategoricalCrossentropy({ fromLogits: true }).apply(t('labels'), t('logits')),
    ),
    sparse_categorical_crossentropy_of_softmax: value(
      new L.SparseCategoricalCrossentropy().apply(t('labels'), tf.keras.activations.softmax(t('logits'))),
    ),
  };
  for (const [name, expected] of Object.entries(losses)) close(computed[name], expected, name);
  assert.equal(L.get('mse').name, 'mse');
  assert.ok(L.get('categorical_crossentropy') instanceof L.Loss);
  const M = tf.keras.metrics;
  const metric = (m: tf.keras.metrics.Metric, yTrue: string, yPred: string) => {
    m.updateState(t(yTrue), t(yPred));
    return value(m.result());
  };
  close(
    metric(new M.SparseCategoricalAccuracy(), 'labels', 'probabilities'),
    metrics.sparse_categorical_accuracy,
    'sparse_categorical_accuracy',
  );
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
