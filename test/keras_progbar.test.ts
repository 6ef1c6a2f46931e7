// The progress output of fit, evaluate and predict (ProgbarLogger), and Progbar on a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { Progbar } from '../lib/keras/utils/progbar';

const { Sequential, Input, layers } = tf.keras;
const { Dense } = layers;

/** What `run` prints; the test runner's own (binary) messages pass through to the real stdout. */
function captureStdout(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    typeof chunk === 'string'
      ? chunks.push(chunk) > 0
      : (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest)) as typeof process.stdout.write;
  return run().then(
    () => {
      process.stdout.write = write;
      return chunks.join('');
    },
    (e: unknown) => {
      process.stdout.write = write;
      throw e;
    },
  );
}

test("progress output: verbose 2 prints Keras' epoch lines, verbose 1 (not a terminal) the final bar, 0 nothing", async () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const x = tf.zeros([6, 2]);
  const y = tf.zeros([6, 1]);
  const isTTY = process.stdout.isTTY;
  process.stdout.isTTY = false;
  try {
    const two = await captureStdout(() => model.fit(x, y, { batchSize: 2, epochs: 2, verbose: 2, validationSplit: 1 / 3 }));
    const number = '\\d\\.\\d{4}(e[-+]\\d\\d)?';
    const line = `2/2 - \\d+s - \\d+(us|ms|s)/step - loss: ${number} - mae: ${number} - val_loss: ${number} - val_mae: ${number} - learning_rate: ${number}`;
    assert.match(two, new RegExp(`^Epoch 1/2\\n${line}\\nEpoch 2/2\\n${line}\\n$`));
    const one = await captureStdout(() => model.fit(x, y, { batchSize: 2, epochs: 1, verbose: 1 }));
    assert.match(one, new RegExp(`^3/3 ━{20} \\d+s \\d+(us|ms|s)/step - loss: ${number} - mae: ${number} - learning_rate: ${number}\\n$`));
    assert.equal(await captureStdout(() => model.fit(x, y, { epochs: 2, verbose: 0 })), '');
    const evaluation = await captureStdout(() => model.evaluate(x, y, { batchSize: 4 }));
    assert.match(evaluation, new RegExp(`^2/2 ━{20} \\d+s \\d+(us|ms|s)/step - loss: ${number} - mae: ${number}\\n$`));
    assert.match(await captureStdout(() => model.predict(x, { batchSize: 4 })), /^2\/2 ━{20} \d+s \d+(us|ms|s)\/step\n$/);
  } finally {
    process.stdout.isTTY = isTTY;
  }
});

test("on a terminal the bar is drawn in place through cli-progress, with Keras' styling", async () => {
  const written: string[] = [];
  const stream = { isTTY: true, columns: 120, write: (s: string) => written.push(s) > 0, on: () => stream, removeListener: () => stream };
  const bar = new Progbar(3, 1, stream);
  bar.update(1, { loss: 0.5 });
  await new Promise((resolve) => setTimeout(resolve, 120));
  bar.update(2, { loss: 0.25 });
  bar.update(3, { loss: 0.125, val_loss: 0.0005 }, true);
  const output = written.join('');
  assert.match(
    output,
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Keras' ANSI styling is what is checked
    /\x1b\[1m1\/3\x1b\[0m \x1b\[32m━{6}\x1b\[0m\x1b\[37m━{14}\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)\/step - loss: 0\.5000/,
  );
  assert.match(
    output,
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Keras' ANSI styling is what is checked
    /\x1b\[1m3\/3\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(us|ms|s)\/step - loss: 0\.1250 - val_loss: 5\.0000e-04/,
  );
  assert.ok(output.endsWith('\n'), 'the finished bar ends its line');
});
