// Shared by the saving tests: the Python-made fixtures under test/fixtures/saving/, Python itself
// (for the tests where Python loads what Node saved; they skip without it), and small models.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../lib';

export const SAVING_FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'saving');

export interface SavingCase {
  x: number[][];
  y: number[][];
  predictions: number[][];
  next_losses: number[];
}

export const savingFixture = JSON.parse(fs.readFileSync(path.join(SAVING_FIXTURES, 'saving.json'), 'utf8')) as {
  next_epochs: number;
  cases: Record<'sequential_mlp' | 'functional_mlp' | 'conv_bn', SavingCase>;
  /** Keras' optimizer.variables shapes for a [2, 3] and a [3] variable, by optimizer. */
  optimizer_variables: Record<string, number[][]>;
};

/** Kept under the saving tests' names. */
export { pythonTFMissing as pythonKerasMissing, runPythonJson } from './python_tf';

/** The same architectures as the Python fixtures, built and compiled in Node. */
export function makeModel(name: keyof typeof savingFixture.cases): tf.keras.Model {
  const { Dense, Conv2D, BatchNormalization, MaxPooling2D, Flatten } = tf.keras.layers;
  if (name === 'sequential_mlp') {
    const model = new tf.keras.Sequential([tf.keras.Input([4]), new Dense({ units: 8, activation: 'relu' }), new Dense({ units: 2 })]);
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
    return model;
  }
  if (name === 'functional_mlp') {
    const inputs = tf.keras.Input([4]);
    let h = new Dense({ units: 8, activation: 'tanh' }).apply(inputs);
    h = new Dense({ units: 6, activation: 'relu' }).apply(h);
    const model = new tf.keras.Model({ inputs, outputs: new Dense({ units: 2 }).apply(h) });
    const schedule = new tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 4, decayRate: 0.5 });
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: schedule, momentum: 0.9 }), loss: 'mse', metrics: ['mae'] });
    return model;
  }
  const model = new tf.keras.Sequential([
    tf.keras.Input([6, 6, 1]),
    new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu' }),
    new BatchNormalization(),
    new MaxPooling2D(),
    new Flatten(),
    new Dense({ units: 2 }),
  ]);
  model.compile({ optimizer: new tf.keras.optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5 }), loss: 'mse' });
  return model;
}

/** Largest |a - b| / max(|b|, 1e-6)... as an absolute-or-relative check: |a - b| <= atol + rtol * |b| everywhere. */
export function assertClose(actual: number[] | number[][], expected: number[] | number[][], rtol = 1e-5, atol = 1e-6): void {
  const a = (actual as unknown[]).flat(2) as number[];
  const e = (expected as unknown[]).flat(2) as number[];
  if (a.length !== e.length) throw new Error(`length ${a.length} != ${e.length}`);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= atol + rtol * Math.abs(e[i])))
      throw new Error(`element ${i}: ${v} != ${e[i]} (rtol ${rtol}, atol ${atol})`);
  });
}

/** Every weight and optimizer variable of a model, as host values, for comparisons. */
export function stateOf(model: tf.keras.Model): unknown[] {
  return [...model.weights, ...(model.compiled ? model.optimizer.variables : [])].map((v) => v.numpy());
}
