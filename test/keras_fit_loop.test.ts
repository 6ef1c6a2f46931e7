// fit's training loop: one session run per batch, the next batch prepared during the step, steps
// on the main thread or the pool, the event loop kept free, and which batch sizes get traced.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { Batch, DataSource } from '../lib/keras/training/data_adapter';
import { runBatches, StepPacer } from '../lib/keras/training/loop';
import { runtime } from '../lib/runtime';
import { fitFixture, modelFor, targets } from './helpers/keras_fit_fixture';
import { ProgbarLogger } from '../lib/keras/callbacks/progbar_logger';

const { Sequential, Input, layers, callbacks } = tf.keras;
const { Dense } = layers;

test('each training batch is one session run (plus a metric reset and a learning-rate read per epoch)', async () => {
  const c = fitFixture.cases[0];
  const model = modelFor(c);
  const options = { batchSize: 16, shuffle: false, verbose: 0 } as const;
  await model.fit(c.x, targets(c), { ...options, epochs: 1 });
  const before = tf.raw.sessionRunCount();
  await model.fit(c.x, targets(c), { ...options, epochs: 3 });
  assert.equal(tf.raw.sessionRunCount() - before, 3 * (4 + 2));
  const evaluateBefore = tf.raw.sessionRunCount();
  await model.evaluate(c.x, targets(c), { batchSize: 16, verbose: 0 });
  assert.equal(tf.raw.sessionRunCount() - evaluateBefore, 1 + 4);
});

test("the next batch is prepared before the step's end hooks (while the step runs, when it runs on the pool)", async () => {
  const events: string[] = [];
  const x = tf.ones([4, 3]);
  const y = tf.zeros([4, 1]);
  function* batches() {
    for (let i = 0; i < 4; ++i) {
      events.push(`prepare ${i}`);
      yield [x, y] as const;
    }
  }
  class Recorder extends callbacks.Callback {
    override onTrainBatchBegin(batch: number): void {
      events.push(`begin ${batch}`);
    }
    override onTrainBatchEnd(batch: number): void {
      events.push(`end ${batch}`);
    }
  }
  const model = new Sequential([Input([3]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.fit({ [Symbol.iterator]: batches }, { verbose: 0, callbacks: [new Recorder()] });
  assert.deepEqual(events, [
    'prepare 0',
    'begin 0',
    'prepare 1',
    'end 0',
    'begin 1',
    'prepare 2',
    'end 1',
    'begin 2',
    'prepare 3',
    'end 2',
    'begin 3',
    'end 3',
  ]);
});

test('a step runs on the main thread after a short step, on the pool after a long one; the loop yields every so often', async () => {
  let now = 0;
  const pacer = new StepPacer(() => now);
  assert.equal(pacer.inline, true, 'the first step runs where it is traced');
  pacer.record(StepPacer.inlineBelowMs);
  assert.equal(pacer.inline, false);
  pacer.record(StepPacer.inlineBelowMs - 1);
  assert.equal(pacer.inline, true);
  assert.equal(pacer.shouldYield(), false);
  now += StepPacer.yieldEveryMs;
  assert.equal(pacer.shouldYield(), true);
  assert.equal(pacer.shouldYield(), false, 'the clock restarts at each yield');

  // Step i "takes" durations[i] on the fake clock.
  const durations = [1, 50, 2, 3, 60, 70, 1];
  const source: DataSource = {
    steps: durations.length,
    *batches() {
      for (let i = 0; i < durations.length; ++i) yield { x: undefined as unknown as tf.Tensor, dispose: () => undefined } satisfies Batch;
    },
  };
  const where: string[] = [];
  let step = 0;
  const ran = await runBatches(
    source,
    false,
    {
      before: async () => undefined,
      run: () => {
        now += durations[step++];
        where.push('main');
      },
      launch: async () => {
        now += durations[step++];
        where.push('pool');
      },
      after: async () => true,
    },
    new StepPacer(() => now),
  );
  assert.equal(ran, durations.length);
  assert.deepEqual(where, ['main', 'main', 'pool', 'main', 'main', 'pool', 'pool']);
});

test('timers keep firing while fit runs many short steps on the main thread', async () => {
  const model = new Sequential([Input([4]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  let ticks = 0;
  const timer = setInterval(() => ++ticks, 1);
  const started = performance.now();
  try {
    await model.fit(tf.ones([8000, 4]), tf.zeros([8000, 1]), { batchSize: 2, epochs: 1, verbose: 0 });
  } finally {
    clearInterval(timer);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed > 4 * StepPacer.yieldEveryMs, `fit took ${elapsed} ms: too short to check`);
  assert.ok(ticks >= 2, `only ${ticks} timer ticks in ${elapsed.toFixed(0)} ms of fit`);
});

test('fit traces its first batch size with static shapes and any other size once, with a free batch dimension', async () => {
  const model = new Sequential([Input([3]), new Dense({ units: 1 })], { name: 'traced_sizes' });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const stepInputs = () =>
    runtime.graph
      .operations()
      .filter((op) => /^traced_sizes_train_step(_\d+)?\/arg0\/EnsureShape/.test(op.name))
      .map((op) => op.outputShape(0));
  await model.fit(tf.ones([10, 3]), tf.zeros([10, 1]), { batchSize: 4, epochs: 2, verbose: 0 });
  assert.deepEqual(
    stepInputs(),
    [
      [4, 3],
      [-1, 3],
    ],
    'batches of 4, 4 and 2: one static trace, one relaxed',
  );
  await model.fit(tf.ones([6, 3]), tf.zeros([6, 1]), { batchSize: 5, epochs: 1, verbose: 0 });
  assert.equal(stepInputs().length, 2, 'later sizes reuse the relaxed step');
});

test("steps whose logs nobody reads fetch nothing; logs read later are the values the step's own fetch gives", async () => {
  const c = fitFixture.cases[0];
  const options = { batchSize: 16, shuffle: false, verbose: 0, epochs: 2 } as const;
  // A callback that gets every batch's values: each step fetches its logs.
  const fetched: number[] = [];
  class Every extends callbacks.Callback {
    override onTrainBatchEnd(_batch: number, logs?: tf.keras.callbacks.Logs): void {
      fetched.push(logs?.loss as number);
    }
  }
  const a = modelFor(c);
  const historyA = await a.fit(c.x, targets(c), { ...options, callbacks: [new Every()] });
  // The progress bar reads lazily: these steps (all but each epoch's last) run for their effects
  // only, and reading a step's values is one run of the metrics' results.
  const deferred: number[] = [];
  class Lazy extends ProgbarLogger {
    override onTrainBatchEnd(_batch: number, logs?: tf.keras.callbacks.Logs): void {
      deferred.push(logs?.loss as number);
    }
  }
  const b = modelFor(c);
  const historyB = await b.fit(c.x, targets(c), { ...options, callbacks: [new Lazy()] });
  assert.deepEqual(deferred, fetched);
  assert.deepEqual(historyB.history, historyA.history);
  const runs = tf.raw.sessionRunCount();
  await b.fit(c.x, targets(c), { ...options, epochs: 1, callbacks: [new Lazy()] });
  // A metric reset, 4 steps, a learning-rate read, and a run of the metrics' results for each of the
  // 3 steps before the last that ran on the main thread (all, unless the machine stalled one for 10 ms).
  const extra = tf.raw.sessionRunCount() - runs - (1 + 4 + 1);
  assert.ok(extra >= 0 && extra <= 3, `${extra} runs of the results`);
  // Nothing reads the batches' values: the epoch's last step alone fetches them.
  const plain = modelFor(c);
  assert.deepEqual((await plain.fit(c.x, targets(c), options)).history, historyA.history);
  assert.deepEqual(
    plain.getWeights().map((w) => w.dataSync()),
    a.getWeights().map((w) => w.dataSync()),
  );
});

test("unshuffled batches are made once per fit and fed again each epoch; fit's end frees them", async () => {
  const c = fitFixture.cases[0];
  const model = modelFor(c);
  const options = { batchSize: 16, verbose: 0 } as const;
  await model.fit(c.x, targets(c), { ...options, epochs: 1, shuffle: false });
  const live: number[] = [];
  class Count extends callbacks.Callback {
    override onEpochBegin(): void {
      live.push(tf.raw.liveTensorCount());
    }
  }
  const before = tf.raw.liveTensorCount();
  await model.fit(c.x, targets(c), { ...options, epochs: 3, shuffle: false, callbacks: [new Count()] });
  // 4 batches of x and y kept after the first epoch, the same ones after the second.
  assert.deepEqual([live[1] - live[0], live[2] - live[1]], [8, 0]);
  assert.equal(tf.raw.liveTensorCount(), before);
  // Shuffled, each batch is new and freed after its step.
  live.length = 0;
  await model.fit(c.x, targets(c), { ...options, epochs: 3, shuffle: true, callbacks: [new Count()] });
  assert.deepEqual([live[1] - live[0], live[2] - live[1]], [0, 0]);
  assert.equal(tf.raw.liveTensorCount(), before);
});
