// Calls that used to go silently wrong: concurrent runs on one model, Keras' old batch-hook names,
// and validationSplit values that were skipped or coerced.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';

const { Sequential, Input } = tf.keras;
const { Dense } = tf.keras.layers;

function model(): tf.keras.Sequential {
  const m = new Sequential([Input([2]), new Dense({ units: 1, kernelInitializer: 'ones' })]);
  m.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
  return m;
}

const x = tf.tensor(
  Array.from({ length: 64 }, (_, i) => [i / 64, 1 - i / 64]),
  undefined,
  'float32',
);
const y = tf.tensor(
  Array.from({ length: 64 }, (_, i) => [i / 32]),
  undefined,
  'float32',
);

/** Holds fit after its first batch until `gate` resolves; `reached` resolves when it gets there. */
class PauseAfterFirstBatch extends tf.keras.callbacks.Callback {
  private signal!: () => void;
  readonly reached = new Promise<void>((resolve) => (this.signal = resolve));
  private paused = false;

  constructor(private readonly gate: Promise<void>) {
    super();
  }

  override async onTrainBatchEnd(): Promise<void> {
    if (this.paused) return;
    this.paused = true;
    this.signal();
    await this.gate;
  }
}

test('a second fit, evaluate or predict while one runs on the same model is refused; the first is unharmed', async () => {
  const m = model();
  const reference = model();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const waiting = new PauseAfterFirstBatch(gate);
  const first = m.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0, callbacks: [waiting], shuffle: false });
  await waiting.reached;
  const message = /^Model '.*' is already running fit\(\); (fit|evaluate|predict|predictOnBatch)\(\) must wait for it to finish/;
  await assert.rejects(m.fit(x, y, { verbose: 0 }), { name: 'FailedPreconditionError', message });
  await assert.rejects(m.evaluate(x, y, { verbose: 0 }), { name: 'FailedPreconditionError', message });
  await assert.rejects(m.predict(x, { verbose: 0 }), { name: 'FailedPreconditionError', message });
  assert.throws(() => m.predictOnBatch(x), { name: 'FailedPreconditionError', message });
  const other = await reference.evaluate(x, y, { verbose: 0 });
  assert.equal(typeof other, 'number', 'another model is free to run');
  release();
  const history = await first;
  const expected = await reference.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0, shuffle: false });
  assert.deepEqual(history.history.loss, expected.history.loss, 'the refused calls left the running fit untouched');
  assert.equal(typeof (await m.evaluate(x, y, { verbose: 0 })), 'number', 'free again once the fit ended');
});

test('a callback may evaluate and predict the model that fit runs (a nested call, not a concurrent one)', async () => {
  const m = model();
  const seen: number[] = [];
  class EvaluateEachEpoch extends tf.keras.callbacks.Callback {
    override async onEpochEnd(): Promise<void> {
      seen.push((await m.evaluate(x, y, { verbose: 0 })) as number);
      assert.deepEqual(m.predictOnBatch(x).shape, [64, 1]);
    }
  }
  await m.fit(x, y, { batchSize: 32, epochs: 2, verbose: 0, callbacks: [new EvaluateEachEpoch()] });
  assert.equal(seen.length, 2);
});

test("Keras' onBatchBegin/onBatchEnd are called for training batches unless the train hooks are overridden", async () => {
  const calls: string[] = [];
  class OldNames extends tf.keras.callbacks.Callback {
    override onBatchBegin(batch: number): void {
      calls.push(`begin ${batch}`);
    }
    override onBatchEnd(batch: number, logs?: tf.keras.callbacks.Logs): void {
      calls.push(`end ${batch} ${typeof logs?.loss}`);
    }
  }
  class NewNames extends OldNames {
    override onTrainBatchEnd(batch: number): void {
      calls.push(`train end ${batch}`);
    }
  }
  await model().fit(x, y, { batchSize: 32, epochs: 1, verbose: 0, callbacks: [new OldNames()] });
  assert.deepEqual(calls, ['begin 0', 'end 0 number', 'begin 1', 'end 1 number']);
  calls.length = 0;
  await model().fit(x, y, { batchSize: 32, epochs: 1, verbose: 0, callbacks: [new NewNames()] });
  assert.deepEqual(calls, ['begin 0', 'train end 0', 'begin 1', 'train end 1']);
  calls.length = 0;
  await model().evaluate(x, y, { batchSize: 32, verbose: 0, callbacks: [new OldNames()] });
  assert.deepEqual(calls, [], 'test batches do not call the train aliases');
});

test('validationSplit must be a number in [0, 1): NaN, strings and 1 are refused before any work', async () => {
  const m = model();
  const before = m.getWeights().map((w) => w.numpy());
  await assert.rejects(m.fit(x, y, { validationSplit: Number.NaN, verbose: 0 }), {
    name: 'RangeError',
    message: '`validationSplit` must be a number in [0, 1). Received: validationSplit=NaN',
  });
  await assert.rejects(m.fit(x, y, { validationSplit: '0.25' as never, verbose: 0 }), {
    name: 'TypeError',
    message: '`validationSplit` must be a number in [0, 1). Received: validationSplit="0.25"',
  });
  await assert.rejects(m.fit(x, y, { validationSplit: 1, verbose: 0 }), { name: 'RangeError' });
  assert.deepEqual(
    m.getWeights().map((w) => w.numpy()),
    before,
  );
  const history = await m.fit(x, y, { validationSplit: 0.25, verbose: 0 });
  assert.equal(history.history.val_loss.length, 1);
});
