import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { binding } from '../lib/native';
import { runtime } from '../lib/runtime';

const square = (x: tf.Tensor) => tf.rawOps.Square({ x });

test('traces once per signature, retraces for a new one, runs sync and async', async () => {
  const f = tf.function((x: tf.Tensor, y: tf.Tensor) => ({ sum: tf.rawOps.AddV2({ x: square(x), y }), both: [x, y] }));
  const out = f(tf.tensor([1, 2], undefined, 'float32'), tf.tensor([10, 20], undefined, 'float32'));
  assert.deepEqual(out.sum.numpy(), [11, 24]);
  assert.deepEqual(out.both[1].numpy(), [10, 20]);
  f(tf.tensor([3, 4], undefined, 'float32'), tf.tensor([0, 0], undefined, 'float32'));
  assert.equal(f.tracingCount, 1);
  f(tf.tensor([3, 4, 5], undefined, 'float32'), tf.tensor([0, 0, 0], undefined, 'float32'));
  assert.equal(f.tracingCount, 2);
  f(tf.tensor([3, 4], undefined, 'int32'), tf.tensor([0, 0], undefined, 'int32'));
  assert.equal(f.tracingCount, 3, 'a new dtype retraces');
  const asyncOut = await f.callAsync(tf.tensor([2, 2], undefined, 'float32'), tf.tensor([1, 1], undefined, 'float32'));
  assert.deepEqual(asyncOut.sum.numpy(), [5, 5]);
  assert.equal(f.tracingCount, 3);
});

test('an input signature with a null batch dimension accepts any batch and rejects the rest', async () => {
  const f = tf.function((x: tf.Tensor) => tf.rawOps.Sum({ input: x, reductionIndices: 1 }), {
    inputSignature: [new tf.TensorSpec([null, 2], 'float32')],
  });
  assert.deepEqual(f(tf.tensor([[1, 2]], undefined, 'float32')).numpy(), [3]);
  assert.deepEqual(
    f(
      tf.tensor(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        undefined,
        'float32',
      ),
    ).numpy(),
    [3, 7, 11],
  );
  assert.equal(f.tracingCount, 1);
  assert.throws(() => f(tf.tensor([[1, 2]], undefined, 'int32')), {
    name: 'TypeError',
    message: 'function: argument 0 (dtype int32, shape [1, 2]) does not match its inputSignature (dtype float32, shape [null, 2])',
  });
  assert.throws(() => f(tf.tensor([1, 2], undefined, 'float32')), {
    name: 'TypeError',
    message: /argument 0 \(dtype float32, shape \[2\]\)/,
  });
  await assert.rejects(f.callAsync(tf.tensor([[1, 2, 3]], undefined, 'float32')), TypeError);
  assert.throws(() => (f as unknown as (...a: unknown[]) => unknown)(), {
    name: 'TypeError',
    message: 'function takes 1 arguments (its inputSignature), got 0',
  });
});

test('variables created in the first trace are created once; stateful ops run in order', () => {
  let made = 0;
  let counter: tf.Variable | undefined;
  const step = tf.function((x: tf.Tensor) => {
    if (!counter) {
      counter = new tf.Variable(0, { name: 'counter' });
      made++;
    }
    counter.assignAdd(1);
    counter.assign(tf.rawOps.Mul({ x: counter.value(), y: x }));
    return counter.value();
  });
  assert.equal(step(tf.scalar(3)).numpy(), 3);
  assert.equal(step(tf.scalar(3)).numpy(), 12);
  assert.equal(made, 1);
  assert.equal(counter?.numpy(), 12);
});

test('each call is one pre-resolved session run; eager tensors are captured', () => {
  const offset = tf.tensor([100, 200], undefined, 'float32');
  const f = tf.function((x: tf.Tensor) => tf.rawOps.AddV2({ x, y: offset }));
  const x = tf.tensor([1, 2], undefined, 'float32');
  f(x);
  const opsAfterTrace = runtime.graph.operations().length;
  for (let i = 0; i < 50; ++i) assert.deepEqual(f(x).numpy(), [101, 202]);
  assert.equal(runtime.graph.operations().length, opsAfterTrace, 'later calls add nothing to the graph');
});

test('errors inside the graph surface as typed errors at call time', () => {
  const f = tf.function((x: tf.Tensor) => tf.rawOps.CheckNumerics({ tensor: tf.rawOps.Log({ x }), message: 'log of a negative' }));
  assert.deepEqual(f(tf.tensor([1], undefined, 'float32')).numpy(), [0]);
  assert.throws(() => f(tf.tensor([-1], undefined, 'float32')), { name: 'InvalidArgumentError', message: /log of a negative/ });
  const symbolicEscape = tf.function((x: tf.Tensor) => {
    assert.throws(() => x.numpy(), { name: 'TypeError', message: /is symbolic \(inside tf.function\) and has no value yet/ });
    return x;
  });
  assert.deepEqual(symbolicEscape(tf.tensor([1])).numpy(), [1]);
});

test('a tf.function called inside another is inlined into its graph', () => {
  const inner = tf.function((x: tf.Tensor) => square(x));
  const outer = tf.function((x: tf.Tensor) => tf.rawOps.AddV2({ x: inner(x), y: 1 }));
  assert.deepEqual(outer(tf.tensor([2, 3], undefined, 'float32')).numpy(), [5, 10]);
  assert.equal(inner.tracingCount, 0, 'the inner function is not traced on its own');
  assert.deepEqual(inner(tf.tensor([4], undefined, 'float32')).numpy(), [16]);
});

test('host-made arguments and session results need no TFE handle until an eager op uses them', async () => {
  const double = tf.function((a: tf.Tensor) => tf.rawOps.Mul({ x: a, y: tf.constant(2, 'float32') }));
  const x = tf.tensor([1, 2, 3], [3], 'float32');
  double(x).dispose();
  const handles = binding.liveHandleCount();
  const tensors = tf.raw.liveTensorCount();
  const y = double(x);
  assert.deepEqual(y.dataSync(), Float32Array.from([2, 4, 6]));
  assert.deepEqual(y.shape, [3]);
  assert.equal(y.dtype, 'float32');
  assert.equal(binding.liveHandleCount(), handles, 'the call and the read made no handle');
  assert.equal(tf.raw.liveTensorCount(), tensors + 1, 'the result is one host tensor');
  const z = tf.add(y, 1);
  assert.deepEqual(z.dataSync(), Float32Array.from([3, 5, 7]));
  assert.equal(binding.liveHandleCount(), handles + 2, 'the eager op made a handle for its input and one for its result');
  y.dispose();
  z.dispose();
  assert.equal(binding.liveHandleCount(), handles);
  assert.equal(tf.raw.liveTensorCount(), tensors);
  assert.equal(y.isDisposed, true);
  assert.throws(() => y.dataSync(), { name: 'FailedPreconditionError', message: /Tensor is disposed/ });
  assert.throws(() => double(y), { name: 'FailedPreconditionError', message: /Tensor is disposed/ });
  // An async call holds its own reference: disposing the argument while it runs is safe.
  const pending = double.callAsync(x);
  x.dispose();
  assert.deepEqual((await pending).dataSync(), Float32Array.from([2, 4, 6]));
});

test("each argument is restated with EnsureShape (grappler trusts no fed shape), with the signature's free dims", () => {
  const traceShapes = (options: tf.FunctionOptions) => {
    let seen: (number | null)[] = [];
    const f = tf.function((a: tf.Tensor) => {
      const input = runtime.graph.operations().find((op) => op.name === String(a.name).split(':')[0]);
      assert.equal(input?.type, 'EnsureShape');
      seen = a.shape;
      return square(a);
    }, options);
    assert.deepEqual(f(tf.tensor([1, 2, 3, 4], [2, 2], 'float32')).dataSync(), Float32Array.from([1, 4, 9, 16]));
    return seen;
  };
  assert.deepEqual(traceShapes({}), [2, 2]);
  assert.deepEqual(traceShapes({ inputSignature: [new tf.TensorSpec([null, 2], 'float32')] }), [null, 2]);
});

test('reduceRetracing: a static trace for the first shapes, one with a free leading dim for other sizes', () => {
  const f = tf.function(
    (x: tf.Tensor) => ({ sum: tf.rawOps.Sum({ input: x, reductionIndices: 1 }), rows: tf.rawOps.Shape({ input: x }) }),
    { reduceRetracing: true },
  );
  const batch = (n: number, width = 2) =>
    tf.tensor(
      Array.from({ length: n * width }, (_, i) => i),
      [n, width],
      'float32',
    );
  assert.deepEqual(f(batch(4)).sum.numpy(), [1, 5, 9, 13]);
  assert.deepEqual(f(batch(4)).rows.numpy(), [4, 2]);
  assert.equal(f.tracingCount, 1);
  assert.deepEqual(f(batch(3)).sum.numpy(), [1, 5, 9]);
  assert.equal(f.tracingCount, 2, 'another batch size: one relaxed trace');
  f(batch(7));
  f(batch(1));
  f(batch(4));
  assert.equal(f.tracingCount, 2, 'every size after that reuses the relaxed trace; the first size keeps its static one');
  assert.deepEqual(f(batch(2, 3)).sum.numpy(), [3, 12]);
  assert.equal(f.tracingCount, 3, 'another per-sample shape traces anew, statically');
  f(tf.tensor([[1, 2]], [1, 2], 'int32'));
  assert.equal(f.tracingCount, 4, 'another dtype too');
});

test('reduceRetracing traces see static shapes first, then None in the leading dim', () => {
  const seen: string[] = [];
  const f = tf.function(
    (x: tf.Tensor) => {
      seen.push(JSON.stringify(x.shape));
      return x;
    },
    { reduceRetracing: true },
  );
  f(tf.zeros([8, 3]));
  f(tf.zeros([5, 3]));
  f(tf.zeros([8, 3]));
  assert.deepEqual(seen, ['[8,3]', '[null,3]']);
});

test('hostInput feeds a host-computed value in the same run; commit, abort and async calls each get theirs', async () => {
  const { hostInput, onRun } = await import('../lib/function');
  const log: string[] = [];
  let next = 0;
  let fail = false;
  const f = tf.function((x: tf.Tensor) => {
    const fed = hostInput(new tf.TensorSpec([], 'float32', 'counter'), {
      value: () => {
        if (fail) throw new RangeError('refused before anything runs');
        log.push(`value ${next}`);
        return next++;
      },
      commit: () => log.push('commit'),
      abort: () => log.push('abort'),
    });
    onRun({ commit: () => log.push('run hook') });
    return tf.rawOps.AddV2({ x, y: fed });
  });
  assert.equal(f(tf.scalar(10, 'float32')).numpy(), 10);
  assert.equal(f(tf.scalar(10, 'float32')).numpy(), 11);
  const both = await Promise.all([f.callAsync(tf.scalar(0, 'float32')), f.callAsync(tf.scalar(0, 'float32'))]);
  assert.deepEqual(both.map((t) => t.numpy()).sort(), [2, 3]);
  assert.deepEqual(log.slice(0, 6), ['value 0', 'commit', 'run hook', 'value 1', 'commit', 'run hook']);
  log.length = 0;
  fail = true;
  assert.throws(() => f(tf.scalar(0, 'float32')), { name: 'RangeError', message: 'refused before anything runs' });
  assert.deepEqual(log, [], 'a refused value runs nothing and commits nothing');
  fail = false;
  // A run that fails inside TF aborts: the value was taken, the run did not complete.
  const events: string[] = [];
  const g = tf.function((x: tf.Tensor) => {
    const fed = hostInput(new tf.TensorSpec([2], 'float32'), {
      value: () => [1, 2],
      commit: () => events.push('commit'),
      abort: () => events.push('abort'),
    });
    return tf.rawOps.CheckNumerics({ tensor: tf.rawOps.RealDiv({ x: fed, y: x }), message: 'bad' });
  });
  assert.deepEqual(g(tf.tensor([1, 1], undefined, 'float32')).numpy(), [1, 2]);
  assert.throws(() => g(tf.tensor([0, 1], undefined, 'float32')), tf.errors.InvalidArgumentError);
  assert.deepEqual(events, ['commit', 'abort']);
  assert.throws(() => hostInput(new tf.TensorSpec([], 'float32'), { value: () => 0 }), {
    name: 'TypeError',
    message: 'hostInput() is only available while a tf.function is being traced',
  });
  assert.throws(() => onRun({}), { name: 'TypeError', message: 'onRun() is only available while a tf.function is being traced' });
});

test('executingEagerly is false only while tracing; computeOutputSpec infers without running', async () => {
  const { computeOutputSpec } = await import('../lib/function');
  assert.equal(tf.executingEagerly(), true);
  let inside: boolean | undefined;
  tf.function(() => {
    inside = tf.executingEagerly();
    return null;
  })();
  assert.equal(inside, false);
  let calls = 0;
  const spec = computeOutputSpec(
    (a: tf.Tensor, b: tf.Tensor) => {
      calls += 1;
      return tf.rawOps.MatMul({ a, b });
    },
    [new tf.TensorSpec([null, 3], 'float32'), new tf.TensorSpec([3, 5], 'float32')],
  );
  assert.deepEqual([spec.shape, spec.dtype, calls], [[null, 5], 'float32', 1]);
});

test('a variable counts the writes made through it, eager and traced, failed runs included', () => {
  const v = new tf.Variable(tf.scalar(1, 'float32'));
  const start = v.writeCount;
  v.assign(tf.scalar(2, 'float32'));
  v.assignAdd(tf.scalar(1, 'float32'));
  assert.equal(v.writeCount, start + 2);
  const write = tf.function((x: tf.Tensor) => {
    v.assign(tf.rawOps.CheckNumerics({ tensor: x, message: 'not finite' }));
    return null;
  });
  write(tf.scalar(5, 'float32'));
  assert.equal(v.writeCount, start + 3);
  assert.throws(() => write(tf.scalar(Number.NaN, 'float32')), tf.errors.InvalidArgumentError);
  assert.equal(v.writeCount, start + 4, 'a failed run may have written: counted');
  v.numpy();
  assert.equal(v.writeCount, start + 4, 'reads do not count');
});

test('callForEffects: the same one run without fetches; the reads at the end that only the results need do not run', async () => {
  const v = new tf.Variable(0, { dtype: 'float32' });
  const read = new tf.Variable(1, { dtype: 'float32' });
  const step = tf.function((x: tf.Tensor) => {
    v.assignAdd(x);
    // Read last: only the result needs it. Disposed first, a run that still read it would fail.
    return tf.add(v.value(), read.value());
  });
  assert.equal((step(tf.scalar(1)) as tf.Tensor).numpy(), 2);
  read.dispose();
  const runs = tf.raw.sessionRunCount();
  assert.equal(step.callForEffects(tf.scalar(2)), undefined);
  await step.callForEffectsAsync(tf.scalar(3));
  assert.equal(tf.raw.sessionRunCount() - runs, 2);
  assert.equal(step.tracingCount, 1, 'the same trace serves both kinds of run');
  assert.equal(v.numpy(), 6);
  assert.throws(() => step(tf.scalar(1)), /disposed|not found|uninitialized|Could not find/i);
});
