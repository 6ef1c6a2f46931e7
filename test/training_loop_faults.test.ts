// Faults in the data feeding fit: a data source that fails while a step runs on the thread pool
// rejects fit (the caller's try/catch sees it) and never becomes an unhandled rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import type { Batch, DataSource } from '../lib/keras/training/data_adapter';
import { runBatches, StepPacer } from '../lib/keras/training/loop';

const { Sequential, Input } = tf.keras;
const { Dense } = tf.keras.layers;

/** Records unhandled rejections while `body` runs (and a tick after it). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const record = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', record);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', record);
  }
  return seen;
}

test('a batch that fails while a step runs on the pool rejects the loop, with no unhandled rejection', async () => {
  const source: DataSource = {
    steps: null,
    async *batches() {
      yield { x: undefined as unknown as tf.Tensor, dispose: () => undefined } satisfies Batch;
      throw new RangeError('the data source broke');
    },
  };
  const pacer = new StepPacer();
  pacer.inline = false;
  const unhandled = await unhandledDuring(async () => {
    await assert.rejects(
      runBatches(
        source,
        false,
        {
          before: async () => undefined,
          run: () => undefined,
          // The step outlasts the failing fetch, which starts as soon as the step does.
          launch: () => new Promise((resolve) => setTimeout(resolve, 30)),
          after: async () => true,
        },
        pacer,
      ),
      { name: 'RangeError', message: 'the data source broke' },
    );
  });
  assert.deepEqual(unhandled, []);
});

test('fit rejects when a tf.data map throws during a long step; the process lives and the model trains after', async () => {
  // Steps of ~1 GFLOP take well over StepPacer.inlineBelowMs here, so they run on the pool.
  const model = new Sequential([Input([1024]), new Dense({ units: 1024 }), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tf.ones([512, 1024], 'float32');
  const y = tf.zeros([512, 1], 'float32');
  let seen = 0;
  const dataset = tf.data.Dataset.fromTensorSlices([x, y])
    .map((xs: tf.Tensor, ys: tf.Tensor) => {
      seen += 1;
      if (seen === 300) throw new TypeError('map boom at element 300');
      return [xs, ys] as const;
    })
    .batch(128);
  const unhandled = await unhandledDuring(async () => {
    await assert.rejects(model.fit(dataset, { verbose: 0 }), { name: 'TypeError', message: 'map boom at element 300' });
  });
  assert.deepEqual(unhandled, []);
  const history = await model.fit(x, y, { batchSize: 128, epochs: 1, verbose: 0 });
  assert.equal(history.history.loss.length, 1);
});
