// keras.io's "Customizing what happens in fit()": a Model subclass whose trainStep/testStep fit and
// evaluate run (still one session run per step), against Keras 3.15
// (test/fixtures/custom_train_step.json, from test/fixtures/generators/custom_train_step_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

interface Run {
  history: Record<string, number[]>;
  evaluate: Record<string, number>;
  kernel: number[];
  bias: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'custom_train_step.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  kernel: number[];
  bias: number[];
  custom: Run;
  lowLevel: Run;
};

const x = tf.tensor(fixture.x, undefined, 'float32');
const y = tf.tensor(fixture.y, undefined, 'float32');

/** The guide's first model: compute_loss, the compiled metrics and optimizer.apply in its own train step. */
class CustomModel extends tf.keras.Model {
  override trainStep([xs, ys]: tf.keras.StepData): Record<string, tf.Tensor> {
    const tape = new tf.GradientTape();
    const { yPred, loss } = tape.record(() => {
      const yPred = this.apply(xs, { training: true });
      return { yPred, loss: this.computeLoss({ x: xs, y: ys, yPred }) };
    });
    const trainableVars = this.trainableVariables;
    this.optimizer.apply(tape.gradient(loss, trainableVars), trainableVars);
    for (const metric of this.metrics) {
      if (metric.name === 'loss') metric.updateState(loss);
      else metric.updateState(ys, yPred);
    }
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

/** The guide's lower-level model: its own loss tracker and metrics, compiled without a loss. */
class LowLevelModel extends tf.keras.Model {
  readonly lossTracker = new tf.keras.metrics.Mean({ name: 'loss' });
  readonly maeMetric = new tf.keras.metrics.MeanAbsoluteError({ name: 'mae' });
  readonly lossFn = new tf.keras.losses.MeanSquaredError();

  override trainStep([xs, ys]: tf.keras.StepData): Record<string, tf.Tensor> {
    const tape = new tf.GradientTape();
    const { yPred, loss } = tape.record(() => {
      const yPred = this.apply(xs, { training: true });
      return { yPred, loss: this.lossFn.apply(ys, yPred) };
    });
    const trainableVars = this.trainableVariables;
    this.optimizer.apply(tape.gradient(loss, trainableVars), trainableVars);
    this.lossTracker.updateState(loss);
    this.maeMetric.updateState(ys, yPred);
    return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
  }

  override testStep([xs, ys]: tf.keras.StepData): Record<string, tf.Tensor> {
    const yPred = this.apply(xs, { training: false });
    this.lossTracker.updateState(this.lossFn.apply(ys, yPred));
    this.maeMetric.updateState(ys, yPred);
    return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
  }

  override get metrics(): tf.keras.metrics.Metric[] {
    return [this.lossTracker, this.maeMetric];
  }
}

function build<M extends tf.keras.Model>(Cls: new (options: tf.keras.ModelOptions) => M): M {
  const inputs = tf.keras.Input([4]);
  const outputs = new tf.keras.layers.Dense({ units: 1 }).apply(inputs);
  const model = new Cls({ inputs, outputs });
  model.setWeights([tf.tensor(fixture.kernel, [4, 1], 'float32'), tf.tensor(fixture.bias, [1], 'float32')]);
  return model;
}

function assertClose(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`),
  );
}

async function check(model: tf.keras.Model, expected: Run): Promise<void> {
  let runs = 0;
  const history = await model.fit(x, y, {
    batchSize: 16,
    epochs: 3,
    shuffle: false,
    verbose: 0,
    callbacks: [
      new (class extends tf.keras.callbacks.Callback {
        override onTrainBatchEnd(): void {
          runs += 1;
        }
      })(),
    ],
  });
  assert.equal(runs, 12);
  for (const key of Object.keys(expected.history)) assertClose(history.history[key], expected.history[key], key);
  assert.deepEqual(Object.keys(history.history).sort(), [...Object.keys(expected.history), 'learning_rate'].sort());
  const evaluated = (await model.evaluate(x, y, { batchSize: 16, verbose: 0, returnDict: true })) as Record<string, number>;
  for (const key of Object.keys(expected.evaluate)) assertClose([evaluated[key]], [expected.evaluate[key]], `evaluate ${key}`);
  const [kernel, bias] = model.getWeights();
  assertClose(Array.from(kernel.dataSync() as Float32Array), expected.kernel, 'kernel');
  assertClose(Array.from(bias.dataSync() as Float32Array), expected.bias, 'bias');
}

test('an overridden trainStep with computeLoss, the compiled metrics and optimizer.apply trains as in Keras', async () => {
  const model = build(CustomModel);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  await check(model, fixture.custom);
});

test('a model with its own trackers and steps, compiled without a loss, trains and evaluates as in Keras', async () => {
  const model = build(LowLevelModel);
  model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }) });
  await check(model, fixture.lowLevel);
});

test('the default steps need a compiled loss; optimizer.apply checks its arguments', async () => {
  const model = build(tf.keras.Model);
  model.compile({ optimizer: 'sgd' });
  await assert.rejects(model.fit(x, y, { verbose: 0 }), {
    name: 'TypeError',
    message: 'No loss to compute. Provide a `loss` argument in `compile()`.',
  });
  const optimizer = new tf.keras.optimizers.SGD();
  const v = new tf.Variable(tf.tensor([1, 2], undefined, 'float32'));
  assert.throws(() => optimizer.apply([tf.tensor([1, 1], undefined, 'float32')]), {
    name: 'TypeError',
    message: /needs the variables the first time/,
  });
  assert.throws(() => optimizer.apply([], [v]), { name: 'RangeError', message: 'apply() got 0 gradients for 1 variables' });
  optimizer.apply([tf.tensor([1, 1], undefined, 'float32')], [v]);
  optimizer.apply([tf.tensor([1, 1], undefined, 'float32')]);
  assert.deepEqual(v.numpy(), [1 - 2 * 0.01, 2 - 2 * 0.01].map(Math.fround));
});
