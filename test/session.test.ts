import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

const { Graph, OperationBuilder, hostTensor, Session, readNested, readFlat, liveTensorCount } = tf.raw;
type Graph = tf.raw.Graph;
type Output = tf.raw.Output;

function placeholder(g: Graph, name: string, shape: number[] | null = null, dtype: tf.DType = 'float32'): Output {
  return { op: new OperationBuilder(g, 'Placeholder', name).setAttrType('dtype', dtype).setAttrShape('shape', shape).finish(), index: 0 };
}

function unary(g: Graph, type: string, name: string, x: Output): Output {
  return { op: new OperationBuilder(g, type, name).addInput(x).finish(), index: 0 };
}

function binary(g: Graph, type: string, name: string, x: Output, y: Output): Output {
  return { op: new OperationBuilder(g, type, name).addInput(x).addInput(y).finish(), index: 0 };
}

function addGraph() {
  const g = new Graph();
  const x = placeholder(g, 'x', [2]);
  const y = placeholder(g, 'y', [2]);
  const sum = binary(g, 'AddV2', 'sum', x, y);
  return { g, x, y, sum };
}

test('session options become a ConfigProto; devices are listed', () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g, { intraOpParallelismThreads: 1, interOpParallelismThreads: 1, allowSoftPlacement: true });
  const devices = s.listDevices();
  assert.ok(
    devices.some((d) => d.type === 'CPU' && d.name.endsWith('/device:CPU:0')),
    JSON.stringify(devices),
  );
  const [out] = s.run({
    feeds: [
      [x, hostTensor([1, 2], undefined, 'float32')],
      [y, hostTensor([10, 20], undefined, 'float32')],
    ],
    fetches: [sum],
  });
  assert.deepEqual(readNested(out), [11, 22]);
  assert.throws(() => new tf.raw.Session(g, { intraOpParallelismThreads: -5 }), {
    name: 'RangeError',
    message: 'intraOpParallelismThreads must be a non-negative integer, got -5',
  });
});

test('raw native session rejects a malformed ConfigProto with InvalidArgumentError', () => {
  const g = new Graph();
  const NativeSession = (new Session(g).native as unknown as { constructor: new (g: Graph, c: Uint8Array) => unknown }).constructor;
  assert.throws(() => new NativeSession(g, new Uint8Array([0xff, 0xff, 0xff])), tf.errors.InvalidArgumentError);
});

test('targets run stateful ops; fetches read the result', () => {
  const g = new Graph();
  const v = {
    op: new OperationBuilder(g, 'VarHandleOp', 'v').setAttrType('dtype', 'float32').setAttrShape('shape', []).finish(),
    index: 0,
  };
  const value = placeholder(g, 'value', []);
  const assign = new OperationBuilder(g, 'AssignVariableOp', 'assign').addInput(v).addInput(value).setAttrType('dtype', 'float32').finish();
  const read = { op: new OperationBuilder(g, 'ReadVariableOp', 'read').addInput(v).setAttrType('dtype', 'float32').finish(), index: 0 };
  const s = new Session(g);
  s.run({ feeds: [[value, hostTensor(4.5)]], targets: [assign] });
  assert.deepEqual(readNested(s.run({ fetches: [read] })[0]), 4.5);
});

test('a pre-resolved callable runs sync and async, many times', async () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g);
  const callable = s.makeCallable([x, y], [sum]);
  const a = hostTensor([1, 2], undefined, 'float32');
  const before = liveTensorCount();
  for (let i = 0; i < 100; ++i) {
    const [out] = callable.run([a, a]);
    assert.deepEqual(out.data(), new Float32Array([2, 4]));
    out.dispose();
  }
  assert.equal(liveTensorCount(), before);
  const results = await Promise.all(Array.from({ length: 20 }, () => callable.runAsync([a, a])));
  for (const [out] of results) assert.deepEqual(out.data(), new Float32Array([2, 4]));
});

test('async runs leave the event loop free', async () => {
  const g = new Graph();
  const m = placeholder(g, 'm', [600, 600]);
  let chain = m;
  for (let i = 0; i < 8; ++i) chain = binary(g, 'MatMul', `mm${i}`, chain, m);
  const s = new Session(g, { intraOpParallelismThreads: 1 });
  const input = hostTensor(new Float32Array(600 * 600).fill(0.001), [600, 600]);
  let ticks = 0;
  const timer = setInterval(() => ++ticks, 1);
  const [out] = await s.runAsync({ feeds: [[m, input]], fetches: [chain] });
  clearInterval(timer);
  assert.deepEqual(out.shape, [600, 600]);
  assert.ok(ticks > 0, 'timers fired while the run was in flight');
});

test('run errors are typed: bad feed shape, dtype, count, unknown fetch, runtime failure', async () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g);
  const two = hostTensor([1, 2], undefined, 'float32');
  const three = hostTensor([1, 2, 3], undefined, 'float32');
  assert.throws(
    () =>
      s.run({
        feeds: [
          [x, three],
          [y, two],
        ],
        fetches: [sum],
      }),
    {
      name: 'InvalidArgumentError',
      message: /must have shape \[2\]|shape/,
    },
  );
  assert.throws(
    () =>
      s.run({
        feeds: [
          [x, hostTensor([1, 2], undefined, 'int32')],
          [y, two],
        ],
        fetches: [sum],
      }),
    {
      name: 'InvalidArgumentError',
      message: 'Expects arg[0] to be float but int32 is provided',
    },
  );
  await assert.rejects(
    s.runAsync({
      feeds: [
        [x, three],
        [y, two],
      ],
      fetches: [sum],
    }),
    tf.errors.InvalidArgumentError,
  );
  assert.throws(() => s.run({ fetches: [sum] }), {
    name: 'InvalidArgumentError',
    message: /You must feed a value for placeholder tensor '[xy]' with dtype float and shape \[2\]/,
  });
  assert.throws(() => s.makeCallable([x, y], [sum]).run([two]), { name: 'RangeError', message: 'run expects 2 feed tensors, got 1' });
  assert.throws(() => s.run({ fetches: [{ op: g.operation('nope') as tf.raw.Operation, index: 0 }] }), {
    name: 'TypeError',
    message: 'expected a native Operation',
  });
  assert.throws(() => s.run({ fetches: [{ op: sum.op, index: 4 }] }), { name: 'OutOfRangeError', message: /has 1 outputs/ });
  const check = unary(g, 'Sqrt', 'sqrt', x);
  const checked = {
    op: new OperationBuilder(g, 'CheckNumerics', 'check').addInput(check).setAttrString('message', 'sqrt went bad').finish(),
    index: 0,
  };
  await assert.rejects(s.runAsync({ feeds: [[x, hostTensor([-1, 4], undefined, 'float32')]], fetches: [checked] }), {
    name: 'InvalidArgumentError',
    message: /sqrt went bad/,
  });
});

test('disposed feeds and closed sessions are FailedPreconditionError', async () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g);
  const a = hostTensor([1, 2], undefined, 'float32');
  const gone = hostTensor([1, 2], undefined, 'float32');
  gone.dispose();
  assert.throws(
    () =>
      s.run({
        feeds: [
          [x, a],
          [y, gone],
        ],
        fetches: [sum],
      }),
    { name: 'FailedPreconditionError', message: 'Tensor is disposed' },
  );
  const callable = s.makeCallable([x, y], [sum]);
  s.close();
  assert.equal(s.closed, true);
  const closed = { name: 'FailedPreconditionError', message: 'Attempted to use a closed Session.' };
  assert.throws(
    () =>
      s.run({
        feeds: [
          [x, a],
          [y, a],
        ],
        fetches: [sum],
      }),
    closed,
  );
  assert.throws(() => callable.run([a, a]), closed);
  assert.throws(() => callable.runAsync([a, a]), closed);
  assert.throws(() => s.listDevices(), closed);
  s.close();
});

test('dispose and close racing with in-flight async runs', async () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g);
  const a = hostTensor([1, 2], undefined, 'float32');
  const b = hostTensor([3, 4], undefined, 'float32');
  const pending = Array.from({ length: 10 }, () =>
    s.runAsync({
      feeds: [
        [x, a],
        [y, b],
      ],
      fetches: [sum],
    }),
  );
  a.dispose(); // the runs hold the data until they finish
  s.close(); // cancels what has not finished; the session goes once the last run returns
  for (const outcome of await Promise.allSettled(pending)) {
    if (outcome.status === 'fulfilled') assert.deepEqual(readFlat(outcome.value[0]), new Float32Array([4, 6]));
    else
      assert.ok(
        outcome.reason instanceof tf.errors.CancelledError || outcome.reason instanceof tf.errors.FailedPreconditionError,
        String(outcome.reason),
      );
  }
  assert.equal(a.disposed, true);
  assert.throws(() => a.data(), tf.errors.FailedPreconditionError);
  assert.throws(
    () =>
      s.run({
        feeds: [
          [x, b],
          [y, b],
        ],
        fetches: [sum],
      }),
    tf.errors.FailedPreconditionError,
  );
});

test('RunOptions: caller-thread runs give the same results; bad options are rejected', async () => {
  const { g, x, y, sum } = addGraph();
  const s = new Session(g);
  const inline = s.makeCallable([x, y], [sum], [], { runInCallerThread: true });
  const a = hostTensor([1, 2], undefined, 'float32');
  assert.deepEqual(inline.run([a, a])[0].data(), new Float32Array([2, 4]));
  assert.deepEqual((await inline.runAsync([a, a]))[0].data(), new Float32Array([2, 4]));
  const [out] = s.run({
    feeds: [
      [x, a],
      [y, a],
    ],
    fetches: [sum],
    runInCallerThread: true,
    timeoutInMs: 5000,
  });
  assert.deepEqual(out.data(), new Float32Array([2, 4]));
  assert.throws(() => s.makeCallable([x, y], [sum], [], { timeoutInMs: -1 }), {
    name: 'RangeError',
    message: 'timeoutInMs must be a non-negative integer, got -1',
  });
  const NativeCallable = (inline as unknown as { constructor: new (...args: unknown[]) => unknown }).constructor;
  assert.throws(() => new NativeCallable(s.native, [x, y], [sum], [], 'fast'), {
    name: 'TypeError',
    message: 'run options must be a serialized RunOptions (Uint8Array)',
  });
});

test("a feed that contradicts its placeholder's static shape is refused before the run", async () => {
  const g = new Graph();
  const p = {
    op: new OperationBuilder(g, 'Placeholder', 'p').setAttrType('dtype', 'float32').setAttrShape('shape', [2]).finish(),
    index: 0,
  };
  const free = {
    op: new OperationBuilder(g, 'Placeholder', 'free').setAttrType('dtype', 'float32').setAttrShape('shape', [-1, 3]).finish(),
    index: 0,
  };
  const s = new Session(g);
  const message = "Cannot feed value of shape (3,) for Tensor 'p:0', which has shape (2,)";
  assert.throws(() => s.run({ feeds: [[p, hostTensor([1, 2, 3], undefined, 'float32')]], fetches: [p] }), {
    name: 'InvalidArgumentError',
    message,
  });
  await assert.rejects(s.runAsync({ feeds: [[p, hostTensor([1, 2, 3], undefined, 'float32')]], fetches: [p] }), {
    name: 'InvalidArgumentError',
    message,
  });
  assert.throws(() => s.run({ feeds: [[free, hostTensor([1, 2], undefined, 'float32')]], fetches: [free] }), {
    name: 'InvalidArgumentError',
    message: "Cannot feed value of shape (2,) for Tensor 'free:0', which has shape (None, 3)",
  });
  const doubled = { op: new OperationBuilder(g, 'AddV2', 'doubled').addInput(free).addInput(free).finish(), index: 0 };
  assert.deepEqual(readNested(s.run({ feeds: [[free, hostTensor([[1, 2, 3]], undefined, 'float32')]], fetches: [doubled] })[0]), [
    [2, 4, 6],
  ]);
});
