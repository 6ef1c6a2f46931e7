// fit's stepsPerEpoch, validationSteps and validationFreq, and evaluate/predict's steps, against
// Keras 3.15 (test/fixtures/fit_steps.json, from test/fixtures/generators/fit_steps_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

interface FitCase {
  name: string;
  options: Record<string, unknown>;
  history: Record<string, number[]>;
  events: string[];
  ranOutWarnings: number;
  kernel: number[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'fit_steps.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  validationX: number[][];
  validationY: number[][];
  cases: FitCase[];
  evaluate: Record<string, number>;
  predict: Record<string, number[]>;
};

const F = (values: number[][]) => tf.tensor(values, undefined, 'float32');

function model(): tf.keras.Sequential {
  const m = new tf.keras.Sequential([tf.keras.Input([2]), new tf.keras.layers.Dense({ units: 1, kernelInitializer: 'ones' })]);
  m.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

class BatchLog extends tf.keras.callbacks.Callback {
  readonly events: string[] = [];
  override onEpochBegin(epoch: number): void {
    this.events.push(`epoch ${epoch}`);
  }
  override onTrainBatchBegin(batch: number): void {
    this.events.push(`train ${batch}`);
  }
  override onTestBatchBegin(batch: number): void {
    this.events.push(`test ${batch}`);
  }
}

function assertClose(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`),
  );
}

/** Runs `body`, counting the ran-out-of-data warnings it emits. */
async function countRanOut(body: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = (warning: Error) => {
    if (warning.message.startsWith('Your input ran out of data')) count += 1;
  };
  process.on('warning', listener);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return count;
}

/** The fixture's snake_case options in fit's spelling. */
function fitOptions(options: Record<string, unknown>): tf.keras.FitOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) out[key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  return out as tf.keras.FitOptions;
}

for (const c of fixture.cases) {
  test(`fit matches Keras: ${c.name}`, async () => {
    const m = model();
    const log = new BatchLog();
    const options: tf.keras.FitOptions = { ...fitOptions(c.options), verbose: 0, callbacks: [log] };
    if ('validation_freq' in c.options || 'validation_steps' in c.options)
      options.validationData = [F(fixture.validationX), F(fixture.validationY)];
    let history!: tf.keras.History;
    const repeating = c.name.startsWith('a repeating dataset');
    const warnings = await countRanOut(async () => {
      if (repeating) {
        const dataset = tf.data.Dataset.fromTensorSlices([F(fixture.x), F(fixture.y)])
          .batch(4)
          .repeat();
        history = await m.fit(dataset, options);
      } else {
        history = await m.fit(F(fixture.x), F(fixture.y), options);
      }
    });
    assertClose(history.history.loss, c.history.loss, 'loss');
    if (c.history.val_loss) assertClose(history.history.val_loss, c.history.val_loss, 'val_loss');
    else assert.equal(history.history.val_loss, undefined);
    assert.deepEqual(log.events, c.events);
    assert.equal(warnings, c.ranOutWarnings);
    assertClose(Array.from(m.getWeights()[0].dataSync() as Float32Array), c.kernel, 'kernel');
  });
}

test('evaluate and predict with steps match Keras; each call starts from the beginning', async () => {
  const m = model();
  const x = F(fixture.x);
  const y = F(fixture.y);
  const dataset = () => tf.data.Dataset.fromTensorSlices([x, y]).batch(4).repeat();
  for (let i = 0; i < 2; ++i)
    assertClose(
      [(await m.evaluate(x, y, { batchSize: 4, steps: 2, verbose: 0 })) as number],
      [fixture.evaluate['steps=2']],
      'evaluate steps=2',
    );
  assertClose([(await m.evaluate(x, y, { batchSize: 4, verbose: 0 })) as number], [fixture.evaluate.all], 'evaluate');
  assertClose(
    [(await m.evaluate(dataset(), { steps: 3, verbose: 0 })) as number],
    [fixture.evaluate['dataset steps=3']],
    'evaluate dataset',
  );
  assertClose(
    Array.from((await m.predict(x, { batchSize: 4, steps: 2, verbose: 0 })).dataSync() as Float32Array),
    fixture.predict['steps=2'],
    'predict',
  );
  const xs = tf.data.Dataset.fromTensorSlices(x).batch(4).repeat();
  assertClose(
    Array.from((await m.predict(xs, { steps: 1, verbose: 0 })).dataSync() as Float32Array),
    fixture.predict['dataset steps=1'],
    'predict dataset',
  );
});

test('a dataset that repeats forever needs a step count: fit, validation, evaluate and predict say which', async () => {
  const m = model();
  const forever = () =>
    tf.data.Dataset.fromTensorSlices([F(fixture.x), F(fixture.y)])
      .batch(4)
      .repeat();
  const message = (option: string) => new RegExp(`^When passing an infinitely repeating dataset, please specify a \`${option}\` value`);
  await assert.rejects(m.fit(forever(), { verbose: 0 }), { name: 'TypeError', message: message('stepsPerEpoch') });
  await assert.rejects(m.fit(F(fixture.x), F(fixture.y), { validationData: forever(), verbose: 0 }), {
    name: 'TypeError',
    message: message('validationSteps'),
  });
  await assert.rejects(m.evaluate(forever(), { verbose: 0 }), { name: 'TypeError', message: message('steps') });
  await assert.rejects(m.predict(tf.data.Dataset.fromTensorSlices(F(fixture.x)).batch(4).repeat(), { verbose: 0 }), {
    name: 'TypeError',
    message: message('steps'),
  });
  await assert.rejects(m.fit(F(fixture.x), F(fixture.y), { stepsPerEpoch: 0, verbose: 0 }), {
    name: 'RangeError',
    message: /`stepsPerEpoch` must be a positive integer/,
  });
  await assert.rejects(m.fit(F(fixture.x), F(fixture.y), { validationFreq: 0, verbose: 0 }), {
    name: 'TypeError',
    message: /Expected `validationFreq` to be a positive integer or a list/,
  });
  const history = await m.fit(forever(), { stepsPerEpoch: 2, epochs: 2, validationData: forever(), validationSteps: 1, verbose: 0 });
  assert.equal(history.history.val_loss.length, 2);
});
