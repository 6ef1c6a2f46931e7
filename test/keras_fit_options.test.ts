// fit's sampleWeight, classWeight, [x, y, sampleWeight] datasets, weightedMetrics, initialEpoch with
// schedules, evaluate's sampleWeight and returnDict, and `optimizer.learningRate = x`, against Keras
// 3.15 (test/fixtures/fit_options.json, from test/fixtures/generators/fit_options_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

const { Sequential, Input, layers, optimizers } = tf.keras;

interface Case {
  history: Record<string, number[]>;
  weights: number[][];
  epochs?: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'fit_options.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  sampleWeight: number[];
  validationX: number[][];
  validationY: number[][];
  validationSampleWeight: number[];
  classes: number[];
  kernel3: number[][];
  cases: Record<string, Case> & {
    learning_rate_setter: { first: Record<string, number[]>; rate: number; second: Record<string, number[]>; weights: number[][] };
  };
  evaluate: { dict: Record<string, number>; list: number[]; unweighted: Record<string, number> };
  errors: Record<string, { type: string; message: string }>;
};

function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  Array.from(actual).forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`),
  );
}

function assertHistory(actual: Record<string, number[]>, expected: Record<string, number[]>, what: string): void {
  for (const [key, values] of Object.entries(expected)) assertClose(actual[key] ?? [], values, `${what}: ${key}`);
}

function assertWeights(model: tf.keras.Model, expected: number[][], what: string): void {
  model.getWeights().forEach((w, i) => assertClose(w.dataSync() as Float32Array, expected[i], `${what}: weight ${i}`));
}

function regression(compile: Partial<tf.keras.CompileOptions> = {}): tf.keras.Sequential {
  const m = new Sequential([Input([2]), new layers.Dense(1, { kernelInitializer: 'ones' })]);
  m.compile({ optimizer: new optimizers.SGD(0.1), loss: 'mse', ...compile });
  return m;
}

const common = { batchSize: 4, shuffle: false, verbose: 0 } as const;

test('optimizer.learningRate = x assigns the variable, and the next fit trains with it (Keras)', async () => {
  const c = fixture.cases.learning_rate_setter;
  const m = regression();
  assertHistory((await m.fit(fixture.x, fixture.y, { epochs: 2, ...common })).history, c.first, 'first fit');
  const variable = m.optimizer.learningRate;
  m.optimizer.learningRate = 0.01;
  assert.equal(m.optimizer.learningRate, variable, 'the same variable, assigned');
  assert.equal(m.optimizer.learningRate.numpy(), c.rate);
  assertHistory((await m.fit(fixture.x, fixture.y, { epochs: 2, ...common })).history, c.second, 'second fit');
  assertWeights(m, c.weights, 'weights');
});

test('optimizer.learningRate = x: tensors, the checks every write gets, and schedules as Keras', () => {
  const sgd = new optimizers.SGD(0.1);
  sgd.learningRate = tf.scalar(0.5);
  assert.equal(sgd.learningRate.numpy(), 0.5);
  assert.throws(() => (sgd.learningRate = -1), RangeError);
  assert.throws(() => (sgd.learningRate = Number.NaN), RangeError);
  assert.equal(sgd.learningRate.numpy(), 0.5, 'a refused value changes nothing');
  // Keras' own TypeError for a float on an optimizer made with a schedule.
  const scheduled = new optimizers.Adam(new optimizers.schedules.ExponentialDecay(0.1, 10, 0.5));
  assert.throws(() => (scheduled.learningRate = 0.01), {
    name: 'TypeError',
    message:
      'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its ' +
      'learning rate is not settable. If you need the learning rate to be settable, you should instantiate the optimizer ' +
      'with a float `learning_rate` argument.',
  });
  // A schedule replaces the rate (Keras), before the first update is built.
  const adam = new optimizers.Adam(0.1);
  adam.learningRate = new optimizers.schedules.ExponentialDecay(0.2, 10, 0.5);
  assert.equal(adam.learningRate.numpy(), Math.fround(0.2));
  adam.learningRate = (step: number) => 0.3 / (step + 1);
  assert.equal(adam.learningRate.numpy(), Math.fround(0.3));
  assert.deepEqual(adam.getConfig().learning_rate, adam.learningRate.schedule);
});

test('optimizer.learningRate = schedule after an update is built is a TypeError (the update reads the variable)', async () => {
  const m = regression();
  await m.fit(fixture.x, fixture.y, { epochs: 1, ...common });
  assert.throws(() => (m.optimizer.learningRate = new optimizers.schedules.ExponentialDecay(0.2, 10, 0.5)), {
    name: 'TypeError',
    message: /can become a schedule only before its first update/,
  });
  assert.equal(m.optimizer.learningRate.schedule, undefined);
});
