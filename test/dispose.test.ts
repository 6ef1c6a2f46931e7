import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { replayCacheSize, REPLAY_CACHE_SIZE } from '../lib/gradient_tape';
import { runtime } from '../lib/runtime';

test('variable.dispose(): later use throws an Error naming it; twice is a no-op; its resource is destroyed', () => {
  const v = new tf.Variable([1, 2, 3], { name: 'disposable', dtype: 'float32' });
  const handle = v.handleOp.name;
  v.dispose();
  v.dispose();
  assert.equal(v.isDisposed, true);
  const disposed = { name: 'Error', message: "Variable 'disposable' was disposed" };
  assert.throws(() => v.numpy(), disposed);
  assert.throws(() => v.assign([4, 5, 6]), disposed);
  assert.throws(() => v.handleOp, disposed);
  assert.throws(() => tf.function(() => v.value())(), disposed);
  assert.match(String(v), /disposed/);
  // The resource is gone from the session: a raw read of the handle fails with TF's error, no abort.
  const graph = runtime.graph;
  const op = graph.operation(handle);
  if (op !== null) {
    const read = graph.addOperation({
      type: 'ReadVariableOp',
      name: runtime.uniqueName('probe'),
      inputs: [{ op, index: 0 }],
      attrs: [['dtype', 'type', 1]],
    });
    assert.throws(() => runtime.session.run({ fetches: [{ op: read, index: 0 }] }), /not found|does not exist|uninitialized/i);
  }
});

test('a tf.function dispose(): later calls throw an Error naming it; twice is a no-op', () => {
  const f = tf.function((x: tf.Tensor) => tf.add(x, 1), { name: 'plus_one' });
  assert.deepEqual((f(tf.tensor([1, 2])) as tf.Tensor).numpy(), [2, 3]);
  f.dispose();
  f.dispose();
  assert.throws(() => f(tf.tensor([1, 2])), { name: 'Error', message: "tf.function 'plus_one' was disposed" });
});

test('compaction: live variables keep their values and names, traces retrace, disposed ones are gone', () => {
  const keep = new tf.Variable([1.5, 2.5], { name: 'survivor' });
  const name = keep.name;
  const bump = tf.function(() => {
    keep.assignAdd([1, 1]);
    return keep.value();
  });
  assert.deepEqual((bump() as tf.Tensor).numpy(), [2.5, 3.5]);
  const writes = keep.writeCount;
  const doomed = Array.from({ length: 50 }, (_, i) => new tf.Variable([i], { name: 'doomed' }));
  for (const v of doomed) v.dispose();
  const before = runtime.compactionCount;
  runtime.compact();
  assert.equal(runtime.compactionCount, before + 1);
  assert.equal(keep.name, name);
  assert.deepEqual(keep.numpy(), [2.5, 3.5]);
  assert.equal(keep.writeCount, writes);
  assert.equal(runtime.graph.operation(doomed[0].name.replace(/:0$/, '')), null);
  assert.deepEqual((bump() as tf.Tensor).numpy(), [3.5, 4.5]);
  assert.equal(bump.tracingCount, 1);
});

test('disposing enough compacts by itself, and the graph stays bounded', () => {
  const before = runtime.compactionCount;
  let peak = 0;
  for (let round = 0; round < 12; ++round) {
    const vs = Array.from({ length: 4 }, () => new tf.Variable(tf.ones([4, 4])));
    const f = tf.function((x: tf.Tensor) => vs.reduce((acc, v) => tf.add(acc, tf.matmul(x, v.value())), x));
    for (let i = 0; i < 5; ++i) f(tf.ones([i + 1, 4]));
    f.dispose();
    for (const v of vs) v.dispose();
    peak = Math.max(peak, runtime.graph.numOperations);
  }
  assert.ok(runtime.compactionCount > before, 'no compaction happened');
  assert.ok(peak < 3000, `the graph grew to ${peak} ops`);
});

test('the eager tape keeps at most REPLAY_CACHE_SIZE replay graphs, none in the runtime graph', () => {
  const w = new tf.Variable(tf.ones([3, 1]));
  const ops = runtime.graph.numOperations;
  for (let batch = 1; batch <= REPLAY_CACHE_SIZE + 8; ++batch) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceSum(tf.matmul(tf.ones([batch, 3]), w.value())));
    const grad = tape.gradient(loss, w) as tf.Tensor;
    assert.deepEqual(grad.numpy(), [[batch], [batch], [batch]]);
  }
  assert.equal(replayCacheSize(), REPLAY_CACHE_SIZE);
  assert.equal(runtime.graph.numOperations, ops);
  w.dispose();
});
