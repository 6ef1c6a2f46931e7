import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

test('a resource variable: name, dtype, shape, value, assign, assignAdd, assignSub', () => {
  const v = new tf.Variable(
    [
      [1, 2],
      [3, 4],
    ],
    { name: 'weights', dtype: 'float32' },
  );
  assert.equal(v.name, 'weights:0');
  assert.equal(v.dtype, 'float32');
  assert.deepEqual(v.shape, [2, 2]);
  assert.equal(v.trainable, true);
  assert.equal(v.handleOp.type, 'VarHandleOp');
  assert.deepEqual(v.numpy(), [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(v.value().numpy(), [
    [1, 2],
    [3, 4],
  ]);
  v.assign([
    [5, 6],
    [7, 8],
  ]);
  assert.deepEqual(v.numpy(), [
    [5, 6],
    [7, 8],
  ]);
  v.assignAdd(
    tf.tensor(
      [
        [1, 1],
        [1, 1],
      ],
      undefined,
      'float32',
    ),
  );
  assert.deepEqual(v.readValue().numpy(), [
    [6, 7],
    [8, 9],
  ]);
  v.assignSub([
    [6, 7],
    [8, 9],
  ]);
  assert.deepEqual(v.numpy(), [
    [0, 0],
    [0, 0],
  ]);
  assert.equal(v.toString(), "<tf.Variable 'weights:0' shape=(2, 2) dtype=float32>");
  const again = new tf.Variable(0, { name: 'weights', trainable: false });
  assert.equal(again.name, 'weights_1:0');
  assert.equal(again.trainable, false);
  assert.equal(again.dtype, 'float32', 'a JS number is float32');
  assert.equal(new tf.Variable(() => tf.ones([3])).shape[0], 3);
});

test('bad assignments are typed errors and leave the variable unchanged', () => {
  const v = new tf.Variable(tf.tensor([1, 2, 3], undefined, 'float32'));
  assert.throws(() => v.assign([1, 2]), {
    name: 'InvalidArgumentError',
    message: /Trying to assign to variable with tensor with wrong shape. Expected \[3\] got \[2\]/,
  });
  assert.throws(() => v.assign(tf.tensor([1, 2, 3], undefined, 'int32')), {
    name: 'TypeError',
    message: `Cannot use a int32 tensor as a float32 variable value`,
  });
  assert.throws(() => v.assign(['a', 'b', 'c'] as never), {
    name: 'TypeError',
    message: /Cannot convert "a" to a tensor of dtype float32/,
  });
  assert.deepEqual(v.numpy(), [1, 2, 3]);
});
