import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

const f32 = (v: number[] | number[][]) => tf.tensor(v, undefined, 'float32');

function lossOf(x: tf.Tensor, w: tf.Variable): tf.Tensor {
  return tf.rawOps.Sum({ input: tf.rawOps.Square({ x: tf.rawOps.MatMul({ a: x, b: w.value() }) }), reductionIndices: [0, 1] });
}

test('eager tape: gradients w.r.t. variables, null for unused sources, persistent reuse', () => {
  const w = new tf.Variable(f32([[1], [2]]));
  const unused = new tf.Variable(f32([5]));
  const x = f32([
    [1, 1],
    [2, 3],
  ]);
  const tape = new tf.GradientTape();
  const loss = tape.record(() => lossOf(x, w));
  assert.equal(loss.numpy(), 73);
  const [dw, dunused] = tape.gradient(loss, [w, unused]);
  assert.deepEqual(dw?.numpy(), [[38], [54]]);
  assert.equal(dunused, null);
  assert.throws(() => tape.gradient(loss, [w]), /only be used to compute one set of gradients/);
  const persistent = new tf.GradientTape({ persistent: true });
  const l2 = persistent.record(() => lossOf(x, w));
  assert.deepEqual(persistent.gradient(l2, w)?.numpy(), [[38], [54]]);
  assert.deepEqual(persistent.gradient(l2, [w])[0]?.numpy(), [[38], [54]]);
});

test('eager tape: a variable read twice gets the sum; watched tensors as sources', () => {
  const v = new tf.Variable(f32([3]));
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.rawOps.Mul({ x: v.value(), y: v.value() }));
  assert.deepEqual(tape.gradient(y, [v])[0]?.numpy(), [6]);
  const x = f32([2]);
  const t2 = new tf.GradientTape();
  t2.watch(x);
  const cube = t2.record(() => tf.rawOps.Mul({ x: tf.rawOps.Square({ x }), y: x }));
  assert.deepEqual(t2.gradient(cube, [x])[0]?.numpy(), [12]);
});

test('the plain training loop (no tf.function) converges and reuses one replay graph', () => {
  const w = new tf.Variable(f32([[0], [0]]));
  const x = f32([
    [1, 0],
    [0, 1],
    [1, 1],
  ]);
  const target = f32([[2], [-1], [1]]);
  let last = Infinity;
  for (let step = 0; step < 60; ++step) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() =>
      tf.rawOps.Mean({
        input: tf.rawOps.Square({ x: tf.rawOps.Sub({ x: tf.rawOps.MatMul({ a: x, b: w.value() }), y: target }) }),
        reductionIndices: [0, 1],
      }),
    );
    const [g] = tape.gradient(loss, [w]);
    w.assignSub(tf.rawOps.Mul({ x: g as tf.Tensor, y: 0.5 }));
    last = loss.numpy() as number;
  }
  assert.ok(last < 1e-6, `loss ${last}`);
  const [a, b] = (w.numpy() as number[][]).map((r) => r[0]);
  assert.ok(Math.abs(a - 2) < 1e-3 && Math.abs(b + 1) < 1e-3, `w = ${a}, ${b}`);
});

test('inside tf.function the tape adds symbolic gradients to the graph', () => {
  const w = new tf.Variable(f32([[1], [2]]));
  const x = f32([
    [1, 1],
    [2, 3],
  ]);
  const step = tf.function((xs: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => lossOf(xs, w));
    const [dw] = tape.gradient(loss, [w]);
    w.assignSub(tf.rawOps.Mul({ x: dw as tf.Tensor, y: 0.01 }));
    return loss;
  });
  assert.equal(step(x).numpy(), 73);
  const expected = [[1 - 0.38], [2 - 0.54]];
  (w.numpy() as number[][]).forEach((row, i) => assert.ok(Math.abs(row[0] - expected[i][0]) < 1e-6));
});

test('a gradient through an op with none names the op type', () => {
  const x = f32([0.5]);
  const tape = new tf.GradientTape();
  tape.watch(x);
  const y = tape.record(() => tf.rawOps.Digamma({ x }));
  assert.throws(() => tape.gradient(y, [x]), { name: 'NotFoundError', message: /No gradient defined for op: Digamma/ });
});
