// Shared by the keras fit tests: test/fixtures/fit.json (written by
// test/fixtures/generators/keras_fit_reference.py), the fixture's models, and the tolerances.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../../lib';

const { Sequential, Model, Input, layers, optimizers } = tf.keras;
const { Dense, Dropout, BatchNormalization, Activation, Conv2D, MaxPooling2D, Flatten } = layers;

// Compiled tests run from dist/test/; fixtures stay in the source tree.
const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** A file of test/fixtures, parsed. */
export function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

export interface FitCase {
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

export const fitFixture = readFixture<{ cases: FitCase[] }>('fit.json');

// rtol 1e-5, plus an absolute 1e-6: TF's fused Adam kernel forms (1 - beta) in float32 where Keras
// uses float64, which shows on values Adam has moved through zero.
export function close(actual: number, expected: number, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

export function closeAll(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => close(actual[i], e, `${what}[${i}]`));
}

/** The fixture's models, built as the Python script builds them. */
export const BUILDERS: Record<string, () => [tf.keras.Model, tf.keras.CompileOptions]> = {
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
      {
        optimizer: new optimizers.Adam({ learningRate: 0.005 }),
        loss: new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true }),
        metrics: ['categorical_accuracy', 'mse'],
      },
    ];
  },
};

export function targets(c: FitCase): tf.keras.layers.WeightValue {
  return c.y_dtype.startsWith('int') ? Int32Array.from(c.y as number[]) : c.y;
}

export function modelFor(c: FitCase): tf.keras.Model {
  const [model, compileOptions] = BUILDERS[c.name]();
  model.setWeights(c.initial_weights.map((w) => tf.tensor(Float32Array.from(w.values), w.shape, 'float32')));
  model.compile(compileOptions);
  return model;
}

export async function fitCase(c: FitCase, extra: tf.keras.FitOptions = {}): Promise<[tf.keras.Model, tf.keras.History]> {
  const model = modelFor(c);
  const options: tf.keras.FitOptions = { batchSize: c.fit.batch_size, epochs: c.fit.epochs, shuffle: false, verbose: 0, ...extra };
  if (c.fit.validation_split !== undefined) options.validationSplit = c.fit.validation_split;
  if (c.validation_data) options.validationData = [c.validation_data.x, c.validation_data.y];
  return [model, await model.fit(c.x, targets(c), options)];
}
