// fit, evaluate, predict and compile on bad input: Keras' messages, and the model stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';

const { Sequential, Input, layers } = tf.keras;
const { Dense } = layers;

test('bad input: x/y length mismatch, wrong input shape, fit before compile, unknown names', async () => {
  const model = new Sequential([Input([4]), new Dense({ units: 3, activation: 'softmax', name: 'probs' })]);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([8])), { message: 'You must call `compile()` before using the model.' });
  await assert.rejects(() => model.evaluate(tf.zeros([8, 4]), tf.zeros([8])), {
    message: 'You must call `compile()` before using the model.',
  });
  assert.throws(() => model.compile({ optimizer: 'foo', loss: 'mse' }), {
    message: /^Could not interpret optimizer identifier: foo\. Valid names: .*rmsprop, sgd$/,
  });
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'foo' }), { message: 'Could not interpret loss identifier: foo' });
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['foo'] }), {
    message: 'Could not interpret metric identifier: foo',
  });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([7]), { verbose: 0 }), {
    message: "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: 8\n'y' sizes: 7\n",
  });
  // fit and predict trace their first step with the batch's static shape (Keras traces with a free batch dim, so it prints None there).
  await assert.rejects(() => model.fit(tf.zeros([8, 5]), tf.zeros([8]), { verbose: 0 }), {
    message:
      "Input 0 with name 'None' of layer 'probs' is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (8, 5)",
  });
  await assert.rejects(
    () => model.predict(tf.zeros([8, 5]), { verbose: 0 }),
    /expected axis -1 of input shape to have value 4, but received input with shape \(8, 5\)/,
  );
  await assert.rejects(
    () => model.fit(tf.zeros([3, 4]), tf.zeros([3]), { validationSplit: 0.7, verbose: 0 }),
    /Training data contains 3 samples, which is not sufficient to split it/,
  );
  await assert.rejects(
    () => model.fit(tf.zeros([8, 4]), tf.zeros([8]), { batchSize: 0, verbose: 0 }),
    /`batchSize` must be a positive integer/,
  );
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), tf.zeros([8]), { verbose: 3 as never }), /`verbose` must be 0, 1 or 2/);
  await assert.rejects(() => model.fit(tf.zeros([8, 4]), undefined, { verbose: 0 }), /fit\(\) needs targets `y`/);
  await assert.rejects(
    () =>
      model.fit(
        [
          [1, 2, 3, 4],
          [1, 2],
        ],
        [0, 1],
        { verbose: 0 },
      ),
    /ragged/,
  );
  // A failed trace leaves the model usable.
  const history = await model.fit(tf.zeros([8, 4]), tf.zeros([8]), { verbose: 0 });
  assert.deepEqual(Object.keys(history.history), ['accuracy', 'loss', 'learning_rate']);
});
