// tf.registerGradient: gradients written in TS for ops TF's C++ gradient registry lacks, used by
// GradientTape eagerly and inside tf.function, checked against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { checkGradient, uniformInput } from './helpers/gradient_check';

const r = tf.rawOps;
type T = tf.Tensor;

// Python's math_grad._DigammaGrad: d ψ(x)/dx = ψ'(x) = polygamma(1, x).
tf.registerGradient('Digamma', (op, [grad]) => {
  const x = op.inputs[0];
  return [r.Mul({ x: grad, y: r.Polygamma({ a: tf.scalar(1, x.dtype), x }) })];
});

const positive = (shape: number[], seed: number) => uniformInput(shape, seed, 0.5, 3);

test('a user-registered gradient for an op without a C++ one is used by GradientTape, eagerly and in tf.function', () => {
  const g = new tf.raw.Graph();
  const x = { op: new tf.raw.OperationBuilder(g, 'Placeholder', 'x').setAttrType('dtype', 'float64').finish(), index: 0 };
  const y = { op: new tf.raw.OperationBuilder(g, 'Digamma', 'digamma').addInput(x).finish(), index: 0 };
  assert.throws(() => g.addGradients([y], [x]), { name: 'NotFoundError', message: /No gradient defined for op: Digamma/ });

  const digamma = (x: T) => r.Digamma({ x });
  checkGradient('Digamma eager', { op: digamma, inputs: [positive([3, 4], 1)] });
  checkGradient('Digamma in tf.function', { op: digamma, inputs: [positive([3, 4], 1)], mode: 'function' });
});

test('registered ops in series and on parallel paths: the chain rule runs across each of them', () => {
  // x·ψ(x) + erfc(ψ(x)/4) + erfc(erfc(x)): x reaches the loss around, through and between them.
  const op = (x: T) =>
    r.AddN({
      inputs: [r.Mul({ x, y: r.Digamma({ x }) }), r.Erfc({ x: r.Mul({ x: r.Digamma({ x }), y: 0.25 }) }), r.Erfc({ x: r.Erfc({ x }) })],
    });
  const eager = checkGradient('series and parallel, eager', { op, inputs: [positive([2, 5], 2)] });
  const traced = checkGradient('series and parallel, tf.function', { op, inputs: [positive([2, 5], 2)], mode: 'function' });
  // The two graphs may add the paths' contributions in another order.
  traced.analytic[0].forEach((g, j) => assert.ok(Math.abs(g - eager.analytic[0][j]) <= 1e-12 * Math.max(1, Math.abs(g)), `element ${j}`));
});

test("a gradient with respect to a registered op's output, and to its input alongside", () => {
  const x = tf.tensor([0.75, 1.5, 2.5], [3], 'float64');
  for (const mode of ['eager', 'function'] as const) {
    const body = (x: T) => {
      const tape = new tf.GradientTape();
      tape.watch(x);
      let d: T | undefined;
      const loss = tape.record(() => {
        d = r.Digamma({ x });
        return r.Sum({ input: r.Square({ x: d }), reductionIndices: [0] });
      });
      const [dx, dd] = tape.gradient(loss, [x, d as T]);
      const trigamma = r.Polygamma({ a: tf.scalar(1, 'float64'), x });
      return [dx as T, dd as T, d as T, trigamma];
    };
    const [dx, dd, d, trigamma] = mode === 'eager' ? body(x) : (tf.function(body)(x) as T[]);
    const values = (t: T) => Array.from(t.dataSync() as Float64Array);
    assert.deepEqual(
      values(dd),
      values(d).map((v) => 2 * v),
      mode,
    );
    values(dx).forEach((v, i) => assert.ok(Math.abs(v - 2 * values(d)[i] * values(trigamma)[i]) < 1e-12, `${mode}: dx[${i}]`));
  }
});

test('the gradient function gets the flat inputs and outputs, the attrs, and zeros for outputs the target does not use; it overrides a C++ gradient', () => {
  const seen: number[][] = [];
  tf.registerGradient('Unpack', (op, grads) => {
    seen.push([op.inputs.length, op.outputs.length, grads.length, op.attr('num').i as number, op.attr('axis').i as number]);
    // Rows of the input are the outputs; scaled by 10 to tell it from the C++ UnpackGrad.
    return [r.Mul({ x: r.Pack({ values: [...grads] }), y: tf.scalar(10, op.inputs[0].dtype) })];
  });
  const x = tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'float64');
  const tape = new tf.GradientTape();
  tape.watch(x);
  const loss = tape.record(() => {
    const [a, , c] = r.Unpack({ value: x, num: 3 });
    return r.Sum({ input: r.AddV2({ x: r.Mul({ x: a, y: 2 }), y: c }), reductionIndices: [0] });
  });
  const dx = tape.gradient(loss, [x])[0];
  assert.deepEqual(dx?.arraySync(), [
    [20, 20],
    [0, 0],
    [10, 10],
  ]);
  // The middle row's zeros: Pack would not take a null.
  assert.deepEqual(seen, [[1, 3, 3, 3, 0]]);
});

test('registration errors, and a gradient function returning the wrong number of gradients', () => {
  assert.throws(() => tf.registerGradient('NoSuchOp', () => []), { name: 'TypeError', message: /Op type not registered 'NoSuchOp'/ });
  assert.throws(() => tf.registerGradient('Digamma', () => []), { message: "Registering two gradients with name 'Digamma'" });
  assert.throws(() => tf.registerGradient('StopGradient', () => []), {
    name: 'TypeError',
    message: 'StopGradient cannot have a registered gradient',
  });

  tf.registerGradient('Expint', () => []);
  const x = tf.tensor([1, 2], [2], 'float64');
  const tape = new tf.GradientTape();
  tape.watch(x);
  const loss = tape.record(() => r.Sum({ input: r.Expint({ x }), reductionIndices: [0] }));
  assert.throws(() => tape.gradient(loss, [x]), {
    name: 'TypeError',
    message: 'The registered gradient of Expint returned 0 gradients for 1 inputs',
  });

  // The eager tape replays in a graph nothing feeds: an eager tensor in the gradient cannot be used.
  const eagerScale = tf.scalar(2, 'float64');
  tf.registerGradient('Dawsn', (_op, [grad]) => [r.Mul({ x: grad, y: eagerScale })]);
  const tape2 = new tf.GradientTape();
  tape2.watch(x);
  const loss2 = tape2.record(() => r.Sum({ input: r.Dawsn({ x }), reductionIndices: [0] }));
  assert.throws(() => tape2.gradient(loss2, [x]), { message: /used an eager tensor/ });
});
