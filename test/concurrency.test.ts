// Concurrency: async runs in flight on one session and on several, tf.function callAsync mixed
// with sync calls and eager ops, dispose() and close() racing in-flight runs, an optimizer step in
// flight while other functions run. Every test has a timeout, so a deadlock fails instead of hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

const { Graph, OperationBuilder, Session, hostTensor, readFlat } = tf.raw;
const TIMEOUT = { timeout: 60_000 };

const F = (values: tf.TensorLike, shape?: number[]) => tf.constant(values as never, 'float32', shape);

/** x -> x * x + 1 over float32 vectors, with a session and a callable. */
function squarePlusOne(options: tf.raw.SessionOptions = {}) {
  const g = new Graph();
  const x = { op: new OperationBuilder(g, 'Placeholder', 'x').setAttrType('dtype', 'float32').finish(), index: 0 };
  const sq = { op: new OperationBuilder(g, 'Square', 'sq').addInput(x).finish(), index: 0 };
  const one = hostTensor(1, [], 'float32');
  const c = { op: new OperationBuilder(g, 'Const', 'one').setAttrTensor('value', one).setAttrType('dtype', 'float32').finish(), index: 0 };
  one.dispose();
  const y = { op: new OperationBuilder(g, 'AddV2', 'y').addInput(sq).addInput(c).finish(), index: 0 };
  const session = new Session(g, options);
  return { g, x, y, session, callable: session.makeCallable([x], [y]) };
}

const vector = (i: number) => [i, i + 0.5, -i];
const expected = (i: number) => vector(i).map((v) => v * v + 1);

function valuesOf(t: tf.raw.Tensor): number[] {
  const out = Array.from(readFlat(t) as ArrayLike<number>);
  t.dispose();
  return out;
}

test('64 concurrent async runs on one session each get their own result', TIMEOUT, async () => {
  const { x, y, session, callable } = squarePlusOne();
  const before = tf.raw.liveTensorCount();
  const runs = Array.from({ length: 64 }, (_, i) => {
    const feed = hostTensor(vector(i), undefined, 'float32');
    const run = i % 2 === 0 ? callable.runAsync([feed]) : session.runAsync({ feeds: [[x, feed]], fetches: [y] });
    // Disposed at once: the run keeps its feed alive until it ends.
    feed.dispose();
    return run;
  });
  const results = await Promise.all(runs);
  results.forEach(([out], i) => assert.deepEqual(valuesOf(out), expected(i)));
  assert.equal(tf.raw.liveTensorCount(), before);
  session.close();
});

test('async runs on several sessions (same graph and other graphs) interleave correctly', TIMEOUT, async () => {
  const shared = squarePlusOne();
  const sessions = [
    shared,
    { ...shared, session: new Session(shared.g), callable: undefined },
    squarePlusOne({ intraOpParallelismThreads: 1, interOpParallelismThreads: 1 }),
    squarePlusOne(),
  ].map((s) => ({ ...s, callable: s.callable ?? s.session.makeCallable([s.x], [s.y]) }));
  const runs: Promise<void>[] = [];
  for (let i = 0; i < 48; ++i) {
    const s = sessions[i % sessions.length];
    const feed = hostTensor(vector(i), undefined, 'float32');
    runs.push(s.callable.runAsync([feed]).then(([out]) => assert.deepEqual(valuesOf(out), expected(i))));
    // A sync run on another session between the async ones.
    const other = sessions[(i + 1) % sessions.length];
    assert.deepEqual(valuesOf(other.callable.run([feed])[0]), expected(i));
    feed.dispose();
  }
  await Promise.all(runs);
  for (const s of sessions) s.session.close();
});

test('tf.function callAsync interleaved with sync calls and eager ops', TIMEOUT, async () => {
  const affine = tf.function((x: tf.Tensor) => tf.add(tf.multiply(x, 2), 1), { inputSignature: [new tf.TensorSpec([null], 'float32')] });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < 40; ++i) {
    const input = F(vector(i));
    pending.push(
      affine.callAsync(input).then((out) => {
        assert.deepEqual(
          Array.from(out.dataSync() as Float32Array),
          vector(i).map((v) => 2 * v + 1),
        );
        out.dispose();
      }),
    );
    // The argument goes at once; the call already holds its value.
    input.dispose();
    // Every tensor is freed here, not left to the GC: the next test counts live tensors.
    const scalar = F([i]);
    const [affined, squared] = [affine(scalar), tf.square(scalar)];
    assert.deepEqual(affined.numpy(), [2 * i + 1]);
    assert.deepEqual(squared.numpy(), [i * i]);
    for (const t of [scalar, affined, squared]) t.dispose();
  }
  await Promise.all(pending);
  assert.equal(affine.tracingCount, 1);
});

test('dispose() of feeds and outputs racing in-flight runs leaks nothing and frees nothing early', TIMEOUT, async () => {
  const { callable, session } = squarePlusOne();
  const before = tf.raw.liveTensorCount();
  for (let round = 0; round < 10; ++round) {
    const feeds = Array.from({ length: 8 }, (_, i) => hostTensor(vector(i), undefined, 'float32'));
    const runs = feeds.map((f) => callable.runAsync([f]));
    // Dispose twice, and read the disposed flag, while the runs are in flight.
    for (const f of feeds) {
      f.dispose();
      f.dispose();
      assert.equal(f.disposed, true);
      assert.throws(() => f.data(), tf.errors.FailedPreconditionError);
    }
    const results = await Promise.all(runs);
    results.forEach(([out], i) => assert.deepEqual(valuesOf(out), expected(i)));
  }
  assert.equal(tf.raw.liveTensorCount(), before);
  session.close();
});

test('close() with runs in flight: each finishes or is cancelled, later runs fail with FailedPreconditionError', TIMEOUT, async () => {
  const { x, y, session, callable } = squarePlusOne();
  const runs = Array.from({ length: 16 }, (_, i) => callable.runAsync([hostTensor(vector(i), undefined, 'float32')]));
  session.close();
  session.close();
  assert.equal(session.closed, true);
  const results = await Promise.allSettled(runs);
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') assert.deepEqual(valuesOf(r.value[0]), expected(i));
    else assert.ok(r.reason instanceof tf.errors.CancelledError || r.reason instanceof tf.errors.FailedPreconditionError, String(r.reason));
  });
  assert.throws(() => callable.run([hostTensor([1], undefined, 'float32')]), tf.errors.FailedPreconditionError);
  assert.throws(() => callable.runAsync([hostTensor([1], undefined, 'float32')]), tf.errors.FailedPreconditionError);
  await assert.rejects(
    session.runAsync({ feeds: [[x, hostTensor([1], undefined, 'float32')]], fetches: [y] }),
    tf.errors.FailedPreconditionError,
  );
});

test('a run that blocks fails with DeadlineExceededError under a timeout, leaving the session usable', TIMEOUT, async () => {
  const g = new Graph();
  const queue = { op: new OperationBuilder(g, 'FIFOQueueV2', 'q').setAttrTypeList('component_types', ['float32']).finish(), index: 0 };
  const dequeue = {
    op: new OperationBuilder(g, 'QueueDequeueV2', 'dequeue').addInput(queue).setAttrTypeList('component_types', ['float32']).finish(),
    index: 0,
  };
  const session = new Session(g);
  const blocked = Array.from({ length: 3 }, () => session.runAsync({ fetches: [dequeue], timeoutInMs: 200 }));
  for (const r of await Promise.allSettled(blocked)) {
    assert.equal(r.status, 'rejected');
    assert.ok((r as PromiseRejectedResult).reason instanceof tf.errors.DeadlineExceededError);
  }
  const value = { op: new OperationBuilder(g, 'Placeholder', 'v').setAttrType('dtype', 'float32').finish(), index: 0 };
  const enqueue = new OperationBuilder(g, 'QueueEnqueueV2', 'enqueue').addInput(queue).addInputList([value]).finish();
  const waiting = session.runAsync({ fetches: [dequeue], timeoutInMs: 20_000 });
  session.run({ feeds: [[value, hostTensor(5, [], 'float32')]], targets: [enqueue] });
  assert.deepEqual(valuesOf((await waiting)[0]), [5]);
  session.close();
});

test('close() cancels a run that is blocked for good', { ...TIMEOUT }, async () => {
  const g = new Graph();
  const queue = { op: new OperationBuilder(g, 'FIFOQueueV2', 'q').setAttrTypeList('component_types', ['float32']).finish(), index: 0 };
  const dequeue = {
    op: new OperationBuilder(g, 'QueueDequeueV2', 'dequeue').addInput(queue).setAttrTypeList('component_types', ['float32']).finish(),
    index: 0,
  };
  const session = new Session(g);
  // The timeout only bounds this test if close() does not cancel the run.
  const blocked = session.runAsync({ fetches: [dequeue], timeoutInMs: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closedAt = Date.now();
  session.close();
  await assert.rejects(blocked, tf.errors.CancelledError);
  assert.ok(Date.now() - closedAt < 2_000, 'the run ran to its own timeout instead of being cancelled');
});

test('an optimizer step in flight while other tf.functions and eager reads run', TIMEOUT, async () => {
  const w = new tf.Variable(F([1, 1]));
  const u = new tf.Variable(F([0]));
  const optimizer = new tf.keras.optimizers.SGD({ learningRate: 0.125 });
  const trainStep = tf.function((g: tf.Tensor) => {
    optimizer.applyGradients([[g, w]]);
    return null;
  });
  const count = tf.function(() => {
    u.assignAdd(F([1]));
    return u.value();
  });
  const norm = tf.function((x: tf.Tensor) => tf.reduceSum(tf.square(x)));
  const steps: Promise<unknown>[] = [];
  const grad = F([1, 2]);
  for (let i = 0; i < 16; ++i) {
    steps.push(trainStep.callAsync(grad));
    steps.push(count.callAsync());
    assert.equal(norm(F([3, 4])).numpy(), 25);
    // An eager read sees some prefix of the updates, never a torn or foreign value.
    const [a, b] = w.numpy() as number[];
    assert.ok(Number.isInteger((1 - a) / 0.125) && Number.isInteger((1 - b) / 0.25), `w = [${a}, ${b}]`);
  }
  await Promise.all(steps);
  assert.deepEqual(w.numpy(), [1 - 16 * 0.125, 1 - 16 * 0.25]);
  assert.deepEqual(u.numpy(), [16]);
  assert.equal(optimizer.iterations.numpy(), 16);
});

test('concurrent steps of one optimizer each see their own step of the schedule', { ...TIMEOUT }, async () => {
  const v = new tf.Variable(F([0]));
  const seen: number[] = [];
  const optimizer = new tf.keras.optimizers.SGD({
    learningRate: (step: number) => {
      seen.push(step);
      return step === 0 ? 1 : 0.5;
    },
  });
  const step = tf.function((g: tf.Tensor) => {
    optimizer.applyGradients([[g, v]]);
    return null;
  });
  await Promise.all([step.callAsync(F([1])), step.callAsync(F([1]))]);
  assert.deepEqual(seen.slice(-2), [0, 1]);
  assert.deepEqual(v.numpy(), [-1.5]);
});

test('errors in flight reject their own promise only', TIMEOUT, async () => {
  const { callable, session } = squarePlusOne();
  const runs = Array.from({ length: 12 }, (_, i) =>
    callable.runAsync([i % 3 === 0 ? hostTensor([i], undefined, 'int32') : hostTensor(vector(i), undefined, 'float32')]),
  );
  const settled = await Promise.allSettled(runs);
  settled.forEach((r, i) => {
    if (i % 3 === 0) {
      assert.equal(r.status, 'rejected');
      assert.ok((r as PromiseRejectedResult).reason instanceof tf.errors.InvalidArgumentError);
    } else {
      assert.equal(r.status, 'fulfilled');
      assert.deepEqual(valuesOf((r as PromiseFulfilledResult<tf.raw.Tensor[]>).value[0]), expected(i));
    }
  });
  session.close();
});
