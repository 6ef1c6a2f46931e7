// Every op the Keras layers and losses use: tf.GradientTape's gradient (TF's C++ gradient registry)
// against central finite differences, in float64 unless a kernel or gradient forces float32.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { awayFromZero, checkGradient, compareGradients, distinctInput, GradientInput, uniformInput } from './helpers/gradient_check';

const r = tf.rawOps;
type T = tf.Tensor;

function positiveInput(shape: number[], seed: number): GradientInput {
  return uniformInput(shape, seed, 0.5, 2);
}

/** A probability distribution per row (soft labels). */
function distributionInput(rows: number, classes: number, seed: number): GradientInput {
  const raw = uniformInput([rows, classes], seed, 0.1, 1).values;
  const values = raw.map((v, i) => {
    const row = raw.slice(Math.floor(i / classes) * classes, (Math.floor(i / classes) + 1) * classes);
    return v / row.reduce((a, b) => a + b, 0);
  });
  return { shape: [rows, classes], values };
}

test('the checker catches a wrong gradient and a 1e-5 relative error in one element', () => {
  // Numerically x² + x, but StopGradient hides the x² from the tape: analytic 1 ≠ numeric 2x + 1.
  assert.throws(
    () =>
      checkGradient('hidden square', {
        op: (x) => r.AddV2({ x: r.StopGradient({ input: r.Square({ x }) }), y: x }),
        inputs: [uniformInput([4], 1)],
      }),
    { name: 'AssertionError', message: /hidden square: input 0 element \d+: analytic [-0-9.e]+ vs numeric/ },
  );
  const exact = [[0.3, -1.7, 2.5]];
  assert.equal(compareGradients(exact, exact, 1e-6, 1e-8, 'same'), 0);
  assert.throws(() => compareGradients([[0.3, -1.7 * (1 + 1e-5), 2.5]], exact, 1e-6, 1e-8, 'perturbed'), {
    message: /perturbed: input 0 element 1/,
  });
});

test('MatMul with every combination of transposes', () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    checkGradient(`MatMul transposeA=${transposeA} transposeB=${transposeB}`, {
      op: (a, b) => r.MatMul({ a, b, transposeA, transposeB }),
      inputs: [uniformInput(transposeA ? [4, 3] : [3, 4], 1), uniformInput(transposeB ? [5, 4] : [4, 5], 2)],
    });
  }
});

test('BiasAdd on a dense and an NHWC conv activation', () => {
  checkGradient('BiasAdd 2-D', {
    op: (value, bias) => r.BiasAdd({ value, bias }),
    inputs: [uniformInput([3, 4], 1), uniformInput([4], 2)],
  });
  checkGradient('BiasAdd NHWC', {
    op: (value, bias) => r.BiasAdd({ value, bias }),
    inputs: [uniformInput([2, 3, 3, 4], 3), uniformInput([4], 4)],
  });
});

test('AddV2, Sub, Mul, RealDiv, also broadcasting (the gradient must sum over broadcast dims)', () => {
  const binary: [string, (x: T, y: T) => T][] = [
    ['AddV2', (x, y) => r.AddV2({ x, y })],
    ['Sub', (x, y) => r.Sub({ x, y })],
    ['Mul', (x, y) => r.Mul({ x, y })],
    ['RealDiv', (x, y) => r.RealDiv({ x, y })],
  ];
  for (const [name, op] of binary) {
    // RealDiv's divisor stays in ±[0.5, 2].
    const divisor = (shape: number[], seed: number) => (name === 'RealDiv' ? awayFromZero(shape, seed, 0.5, 2) : uniformInput(shape, seed));
    checkGradient(`${name} same shape`, { op, inputs: [uniformInput([3, 4], 1), divisor([3, 4], 2)] });
    checkGradient(`${name} [3, 4] with [4]`, { op, inputs: [uniformInput([3, 4], 3), divisor([4], 4)] });
    checkGradient(`${name} [3, 1] with [1, 4]`, { op, inputs: [uniformInput([3, 1], 5), divisor([1, 4], 6)] });
  }
});

test('Square, Sqrt, Exp, Log, Sigmoid, Tanh', () => {
  checkGradient('Square', { op: (x) => r.Square({ x }), inputs: [uniformInput([3, 4], 1, -2, 2)] });
  checkGradient('Sqrt', { op: (x) => r.Sqrt({ x }), inputs: [positiveInput([3, 4], 2)] });
  checkGradient('Exp', { op: (x) => r.Exp({ x }), inputs: [uniformInput([3, 4], 3, -2, 2)] });
  checkGradient('Log', { op: (x) => r.Log({ x }), inputs: [positiveInput([3, 4], 4)] });
  checkGradient('Sigmoid', { op: (x) => r.Sigmoid({ x }), inputs: [uniformInput([3, 4], 5, -4, 4)] });
  checkGradient('Tanh', { op: (x) => r.Tanh({ x }), inputs: [uniformInput([3, 4], 6, -3, 3)] });
});

test('Relu, Elu, Selu, LeakyRelu, Softplus (inputs kept off the kink at 0)', () => {
  checkGradient('Relu', { op: (features) => r.Relu({ features }), inputs: [awayFromZero([4, 5], 1)] });
  checkGradient('Elu', { op: (features) => r.Elu({ features }), inputs: [awayFromZero([4, 5], 2)] });
  checkGradient('Selu', { op: (features) => r.Selu({ features }), inputs: [awayFromZero([4, 5], 3)] });
  checkGradient('LeakyRelu alpha=0.2', { op: (features) => r.LeakyRelu({ features, alpha: 0.2 }), inputs: [awayFromZero([4, 5], 4)] });
  checkGradient('Softplus', { op: (features) => r.Softplus({ features }), inputs: [uniformInput([4, 5], 5, -5, 5)] });
});

test('GELU: TF 2.21 has no Gelu op; the exact (Erf) and tanh forms Keras uses are checked instead', () => {
  assert.equal('Gelu' in tf.rawOps, false);
  const exact = (x: T) => r.Mul({ x: r.Mul({ x, y: 0.5 }), y: r.AddV2({ x: 1, y: r.Erf({ x: r.Mul({ x, y: Math.SQRT1_2 }) }) }) });
  const cubic = (x: T) => r.AddV2({ x, y: r.Mul({ x: 0.044715, y: r.Mul({ x: r.Square({ x }), y: x }) }) });
  const approximate = (x: T) =>
    r.Mul({ x: r.Mul({ x, y: 0.5 }), y: r.AddV2({ x: 1, y: r.Tanh({ x: r.Mul({ x: Math.sqrt(2 / Math.PI), y: cubic(x) }) }) }) });
  checkGradient('gelu (erf)', { op: exact, inputs: [uniformInput([3, 4], 1, -3, 3)] });
  checkGradient('gelu (tanh approximation)', { op: approximate, inputs: [uniformInput([3, 4], 2, -3, 3)] });
});

test('Softmax and LogSoftmax', () => {
  checkGradient('Softmax', { op: (logits) => r.Softmax({ logits }), inputs: [uniformInput([3, 5], 1, -2, 2)] });
  checkGradient('LogSoftmax', { op: (logits) => r.LogSoftmax({ logits }), inputs: [uniformInput([3, 5], 2, -2, 2)] });
});

test('SoftmaxCrossEntropyWithLogits: logits and labels, analytic in float32 (see the float64 test)', () => {
  checkGradient('SoftmaxCrossEntropyWithLogits', {
    op: (features, labels) => r.SoftmaxCrossEntropyWithLogits({ features, labels }).loss,
    inputs: [uniformInput([4, 5], 1, -2, 2), distributionInput(4, 5, 2)],
    dtype: 'float32',
  });
});

test('finding: the C++ SoftmaxCrossEntropyWithLogits gradient cannot be built for float64', () => {
  // tensorflow/cc/gradients/nn_grad.cc multiplies LogSoftmax(logits) by the float literal -1.0f for
  // the labels' gradient, so any float64 graph fails to build. This pins it; float32 is checked above.
  const logits = tf.tensor(uniformInput([2, 3], 1).values, [2, 3], 'float64');
  const labels = tf.tensor(distributionInput(2, 3, 2).values, [2, 3], 'float64');
  const tape = new tf.GradientTape();
  tape.watch(logits);
  const loss = tape.record(() =>
    r.Sum({ input: r.SoftmaxCrossEntropyWithLogits({ features: logits, labels }).loss, reductionIndices: [0] }),
  );
  assert.throws(() => tape.gradient(loss, [logits]), {
    name: 'InvalidArgumentError',
    message: /Inconsistent values for attr 'T' DT_DOUBLE vs. DT_FLOAT/,
  });
});

test('finding: SparseSoftmaxCrossEntropyWithLogits has no C++ gradient; the registered one and its one-hot equivalent check out', () => {
  const labels = tf.tensor([2, 0, 4, 1], [4], 'int32');
  const logits = uniformInput([4, 5], 1, -2, 2);
  const sparse = (features: T) => r.SparseSoftmaxCrossEntropyWithLogits({ features, labels }).loss;
  const x = tf.tensor(logits.values, logits.shape, 'float64');
  // TF_AddGradients alone (a raw graph, which nothing marks) still has none.
  const g = new tf.raw.Graph();
  const features = { op: new tf.raw.OperationBuilder(g, 'Placeholder', 'features').setAttrType('dtype', 'float64').finish(), index: 0 };
  const rawLabels = { op: new tf.raw.OperationBuilder(g, 'Placeholder', 'labels').setAttrType('dtype', 'int32').finish(), index: 0 };
  const op = new tf.raw.OperationBuilder(g, 'SparseSoftmaxCrossEntropyWithLogits', 'xent').addInput(features).addInput(rawLabels).finish();
  assert.throws(() => g.addGradients([{ op, index: 0 }], [features]), {
    name: 'NotFoundError',
    message: /No gradient defined for op: SparseSoftmaxCrossEntropyWithLogits/,
  });
  // lib/gradients registers Python's.
  checkGradient('SparseSoftmaxCrossEntropyWithLogits (registered)', { op: sparse, inputs: [logits], dtype: 'float32' });
  checkGradient('SparseSoftmaxCrossEntropyWithLogits (registered) in tf.function', {
    op: sparse,
    inputs: [logits],
    dtype: 'float32',
    mode: 'function',
  });

  const oneHot = (features: T) =>
    r.SoftmaxCrossEntropyWithLogits({
      features,
      labels: r.OneHot({ indices: labels, depth: 5, onValue: tf.scalar(1, features.dtype), offValue: tf.scalar(0, features.dtype) }),
    }).loss;
  assert.deepEqual(oneHot(x).dataSync(), sparse(x).dataSync());
  checkGradient('one-hot SoftmaxCrossEntropyWithLogits', { op: oneHot, inputs: [logits], dtype: 'float32' });
});

test('Mean, Sum and Max over different axes, with and without keepDims', () => {
  const reductions: [string, (input: T, axes: number[], keepDims: boolean) => T][] = [
    ['Mean', (input, axes, keepDims) => r.Mean({ input, reductionIndices: axes, keepDims })],
    ['Sum', (input, axes, keepDims) => r.Sum({ input, reductionIndices: axes, keepDims })],
    ['Max', (input, axes, keepDims) => r.Max({ input, reductionIndices: axes, keepDims })],
  ];
  for (const [name, reduce] of reductions) {
    for (const [axes, keepDims] of [
      [[1], false],
      [[0], true],
      [[0, 2], false],
      [[-1], true],
    ] as [number[], boolean][]) {
      // Max routes the gradient to the maximum; distinct values leave no ties to split.
      checkGradient(`${name} axes=[${axes}] keepDims=${keepDims}`, {
        op: (x) => reduce(x, axes, keepDims),
        inputs: [distinctInput([3, 4, 2], 1)],
      });
    }
  }
});

test('Reshape, Transpose, ConcatV2, Pad', () => {
  checkGradient('Reshape', { op: (tensor) => r.Reshape({ tensor, shape: [4, -1] }), inputs: [uniformInput([2, 3, 4], 1)] });
  checkGradient('Transpose', { op: (x) => r.Transpose({ x, perm: [2, 0, 1] }), inputs: [uniformInput([2, 3, 4], 2)] });
  checkGradient('ConcatV2 axis 1', {
    op: (a, b) => r.ConcatV2({ values: [a, b], axis: 1 }),
    inputs: [uniformInput([3, 2], 3), uniformInput([3, 4], 4)],
  });
  checkGradient('ConcatV2 axis -1, three inputs', {
    op: (a, b, c) => r.ConcatV2({ values: [a, b, c], axis: -1 }),
    inputs: [uniformInput([2, 2, 1], 5), uniformInput([2, 2, 3], 6), uniformInput([2, 2, 2], 7)],
  });
  checkGradient('Pad 2-D', {
    op: (input) =>
      r.Pad({
        input,
        paddings: [
          [1, 0],
          [2, 1],
        ],
      }),
    inputs: [uniformInput([3, 4], 8)],
  });
  checkGradient('Pad NHWC spatial', {
    op: (input) =>
      r.Pad({
        input,
        paddings: [
          [0, 0],
          [1, 1],
          [2, 0],
          [0, 0],
        ],
      }),
    inputs: [uniformInput([2, 3, 3, 2], 9)],
  });
});

test('Conv2D: SAME and VALID, strides 1 and 2, gradients for input and filter', () => {
  for (const padding of ['SAME', 'VALID'] as const) {
    for (const stride of [1, 2]) {
      checkGradient(`Conv2D ${padding} stride ${stride}`, {
        op: (input, filter) => r.Conv2D({ input, filter, strides: [1, stride, stride, 1], padding }),
        inputs: [uniformInput([2, 5, 5, 2], 10 * stride + 1), uniformInput([3, 3, 2, 3], 10 * stride + 2)],
      });
    }
  }
});

test('MaxPool and AvgPool: VALID 2x2/2 and SAME 3x3/2 (overlapping windows, edge windows)', () => {
  const pools: [string, 'SAME' | 'VALID', number][] = [
    ['2x2 stride 2 VALID', 'VALID', 2],
    ['3x3 stride 2 SAME', 'SAME', 3],
  ];
  for (const [what, padding, size] of pools) {
    const window = { ksize: [1, size, size, 1], strides: [1, 2, 2, 1], padding };
    checkGradient(`MaxPool ${what}`, { op: (input) => r.MaxPool({ input, ...window }), inputs: [distinctInput([2, 5, 5, 2], 1)] });
    checkGradient(`AvgPool ${what}`, { op: (value) => r.AvgPool({ value, ...window }), inputs: [uniformInput([2, 5, 5, 2], 2)] });
  }
});

test('Maximum (inputs at least 0.1 apart), L2Loss', () => {
  const x = uniformInput([3, 4], 1);
  const gaps = awayFromZero([3, 4], 2, 0.1, 0.5).values;
  checkGradient('Maximum', {
    op: (a, b) => r.Maximum({ x: a, y: b }),
    inputs: [x, { shape: [3, 4], values: x.values.map((v, i) => v + gaps[i]) }],
  });
  checkGradient('L2Loss', { op: (t) => r.L2Loss({ t }), inputs: [uniformInput([3, 4], 3)] });
});

test('Cast float32 → float64: the gradient comes back as float32', () => {
  const op = (x: T) => r.Square({ x: r.Cast({ x, DstT: 'float64' }) });
  // The gradient is computed in float64 and only rounded by the cast back, so float64's rtol holds.
  checkGradient('Cast float32→float64', { op, inputs: [uniformInput([3, 4], 1, -2, 2)], dtype: 'float32', rtol: 1e-6 });
  const x = tf.tensor([1.5], [1], 'float32');
  const tape = new tf.GradientTape();
  tape.watch(x);
  const loss = tape.record(() => op(x));
  assert.equal(tape.gradient(loss, [x])[0]?.dtype, 'float32');
});

test('StopGradient: no gradient (null, as Python returns None) while other sources get theirs', () => {
  const x = tf.tensor([0.5, -1.5], [2], 'float64');
  const y = tf.tensor([2, 3], [2], 'float64');
  const tape = new tf.GradientTape();
  tape.watch([x, y]);
  const loss = tape.record(() =>
    r.AddV2({
      x: r.Sum({ input: r.Square({ x: r.StopGradient({ input: x }) }), reductionIndices: [0] }),
      y: r.Sum({ input: r.Square({ x: y }), reductionIndices: [0] }),
    }),
  );
  const [dx, dy] = tape.gradient(loss, [x, y]);
  assert.equal(dx, null);
  assert.deepEqual(dy?.numpy(), [4, 6]);
});

test('StopGradient as the only path to the only source', () => {
  const x = tf.tensor([0.5, -1.5], [2], 'float64');
  const tape = new tf.GradientTape();
  tape.watch(x);
  const loss = tape.record(() => r.Sum({ input: r.StopGradient({ input: x }), reductionIndices: [0] }));
  assert.equal(tape.gradient(loss, [x])[0], null);
});

test('inside tf.function the gradients equal the eager ones (a dense layer with a softmax loss, and a strided conv)', () => {
  const dense = (x: T, kernel: T, bias: T) =>
    r.LogSoftmax({ logits: r.Relu({ features: r.BiasAdd({ value: r.MatMul({ a: x, b: kernel }), bias }) }) });
  // |x·kernel| ≤ 0.9 and |bias| ≥ 1.6 keep the ReLU inputs 0.7 or more from its kink.
  const inputs = [uniformInput([4, 3], 1, -0.3, 0.3), uniformInput([3, 5], 2), awayFromZero([5], 3, 1.6, 2.5)];
  const cases: [string, (...xs: T[]) => T, GradientInput[]][] = [
    ['dense + LogSoftmax', dense, inputs],
    [
      'Conv2D SAME stride 2',
      (input, filter) => r.Conv2D({ input, filter, strides: [1, 2, 2, 1], padding: 'SAME' }),
      [uniformInput([1, 5, 5, 2], 4), uniformInput([3, 3, 2, 2], 5)],
    ],
  ];
  for (const [what, op, xs] of cases) {
    const eager = checkGradient(`${what} eager`, { op, inputs: xs });
    const traced = checkGradient(`${what} in tf.function`, { op, inputs: xs, mode: 'function' });
    traced.analytic.forEach((grad, k) =>
      grad.forEach((g, j) =>
        assert.ok(Math.abs(g - eager.analytic[k][j]) <= 1e-12 * Math.max(1, Math.abs(g)), `${what}: input ${k}[${j}]`),
      ),
    );
  }
});
