// Ftrl, Lion, Lamb, Adafactor, and SGD with momentum under schedules, against Keras 3
// (test/fixtures/optimizers_more.json; the other optimizers' runs: keras_optimizers_more.test.ts);
// Keras' base options useEma/emaMomentum/emaOverwriteFrequency and lossScaleFactor, in a loop and in fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { CLASSES, close, fixture, parityTests } from './helpers/optimizer_parity';

parityTests(['Ftrl', 'Lion', 'Lamb', 'Adafactor', 'SGD']);

// The base options on Adam, SGD, RMSprop, Lion, Nadam, Adagrad.
parityTests(['Adam', 'SGD', 'RMSprop', 'Lion', 'Nadam', 'Adagrad'], fixture.base_option_cases);

for (const c of fixture.fit_cases) {
  test(`Keras parity in fit: ${c.name}`, async () => {
    const { Sequential, Input, layers } = tf.keras;
    const model = new Sequential([Input([3]), new layers.Dense({ units: 2 })]);
    model.setWeights([fixture.problem.initial_W, fixture.problem.initial_b]);
    const className = { sgd: 'SGD', rmsprop: 'RMSprop', adam: 'Adam' }[c.name.split('_')[0]] as string;
    const optimizer = CLASSES[className].fromConfig({ ...c.config, name: c.name });
    assert.deepEqual(optimizer.getConfig(), { ...c.config, name: c.name });
    model.compile({ optimizer, loss: 'mse' });
    const x = tf.tensor(fixture.problem.x, undefined, 'float32');
    const y = tf.tensor(fixture.problem.y, undefined, 'float32');
    const history = await model.fit(x, y, { batchSize: 2, epochs: 3, shuffle: false, verbose: 0 });
    history.history.loss.forEach((loss, i) => close(loss as number, c.loss[i], `${c.name} epoch ${i + 1} loss`));
    assert.equal(optimizer.iterations.numpy(), c.iterations);
    const [kernel, bias] = model.getWeights();
    (kernel.numpy() as number[][]).flat().forEach((w, j) => close(w, c.W[j], `${c.name} kernel[${j}]`));
    (bias.numpy() as number[]).forEach((v, j) => close(v, c.b[j], `${c.name} bias[${j}]`));
  });
}

test('base options: argument checks', () => {
  const { SGD, Lion } = tf.keras.optimizers;
  assert.throws(() => new SGD({ useEma: 1 as never }), { name: 'TypeError', message: /`useEma` must be a boolean/ });
  assert.throws(() => new SGD({ useEma: true, emaMomentum: 1.5 }), {
    name: 'RangeError',
    message: /`emaMomentum` must be in the range \[0, 1\]/,
  });
  assert.throws(() => new Lion({ useEma: true, emaOverwriteFrequency: 0.5 }), {
    name: 'RangeError',
    message: /`emaOverwriteFrequency` must be an integer >= 1 or null/,
  });
  assert.throws(() => new Lion({ lossScaleFactor: 0 }), {
    name: 'RangeError',
    message: /`lossScaleFactor` must be a finite positive number/,
  });
  for (const steps of [1, 2.5, -2, '2']) {
    assert.throws(() => new SGD({ gradientAccumulationSteps: steps as never }), {
      name: 'RangeError',
      message: new RegExp(`^\\\`gradientAccumulationSteps\\\` must be an integer >= 2\\. Received: gradientAccumulationSteps=${steps}$`),
    });
  }
  // Keras: a falsy value is no accumulation.
  assert.equal(new SGD({ gradientAccumulationSteps: 0 }).gradientAccumulationSteps, null);
  assert.equal(SGD.fromConfig({ gradient_accumulation_steps: 2 }).getConfig().gradient_accumulation_steps, 2);
  assert.equal(new SGD(0.1, { gradientAccumulationSteps: 3 } as never).getConfig().gradient_accumulation_steps, 3);
  const sgd = new SGD({ lossScaleFactor: 8 });
  assert.equal(sgd.scaleLoss(tf.scalar(2, 'float32')).numpy(), 16);
  assert.equal(new SGD().scaleLoss(tf.scalar(2, 'float32')).numpy(), 2);
});
