// Gradient checks: the analytical gradients tf.GradientTape gets from TF's C++ gradient registry,
// against central finite differences of the same op evaluated eagerly.
//
// The checked scalar is loss = sum(op(inputs) * W) for fixed weights W, so every output element
// contributes with its own weight (a plain sum would hide errors that cancel, e.g. in Softmax).
import assert from 'node:assert/strict';
import * as tf from '../../lib';

export type FloatDType = 'float32' | 'float64';

export interface GradientInput {
  shape: number[];
  values: number[];
}

export interface GradientCheck {
  /** The op under test on the float inputs; labels, shapes and the like are closed over. */
  op: (...inputs: tf.Tensor[]) => tf.Tensor;
  inputs: GradientInput[];
  /** The dtype the analytical gradient is taken in. Default float64. */
  dtype?: FloatDType;
  /** The dtype the finite differences evaluate the op in. Default float64. */
  numericDType?: FloatDType;
  /** 'function' takes the analytical gradient inside tf.function instead of eagerly. */
  mode?: 'eager' | 'function';
  /** Central-difference step. */
  delta?: number;
  /** Per element: |analytic − numeric| ≤ atol + rtol·|numeric|. */
  rtol?: number;
  atol?: number;
  /** Seed of the weights W. */
  seed?: number;
}

export interface GradientCheckResult {
  analytic: number[][];
  numeric: number[][];
  /** The largest |analytic − numeric| / (atol + rtol·|numeric|): ≤ 1 passes. */
  worstRatio: number;
}

/** A deterministic generator of uniform numbers in [0, 1) (mulberry32). */
export function uniformSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Values in ±[min, max]: kept away from 0 where ops have kinks (ReLU, ELU, LeakyReLU). */
export function awayFromZero(shape: number[], seed: number, min = 0.1, max = 1.5): GradientInput {
  const next = uniformSequence(seed);
  return { shape, values: Array.from({ length: sizeOf(shape) }, () => (next() < 0.5 ? -1 : 1) * (min + (max - min) * next())) };
}

/** Values in [min, max). */
export function uniformInput(shape: number[], seed: number, min = -1, max = 1): GradientInput {
  const next = uniformSequence(seed);
  return { shape, values: Array.from({ length: sizeOf(shape) }, () => min + (max - min) * next()) };
}

/** Distinct values at least `gap` apart, shuffled: no ties for Max, MaxPool or Maximum to split. */
export function distinctInput(shape: number[], seed: number, gap = 0.05): GradientInput {
  const next = uniformSequence(seed);
  const n = sizeOf(shape);
  const values = Array.from({ length: n }, (_, i) => (i - n / 2) * gap);
  for (let i = n - 1; i > 0; --i) {
    const j = Math.floor(next() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return { shape, values };
}

function flat(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

function allAxes(rank: number): tf.Tensor {
  return tf.tensor(
    Array.from({ length: rank }, (_, i) => i),
    [rank],
    'int32',
  );
}

/** sum(op(xs) * weights): the scalar whose gradient is checked. */
function weightedLoss(op: GradientCheck['op'], xs: tf.Tensor[], weights: tf.Tensor): tf.Tensor {
  const y = op(...xs);
  return tf.rawOps.Sum({ input: tf.rawOps.Mul({ x: y, y: weights }), reductionIndices: allAxes(y.rank) });
}

function analyticGradients(check: GradientCheck, xs: tf.Tensor[], weights: tf.Tensor): tf.Tensor[] {
  const gradients = (...sources: tf.Tensor[]) => {
    const tape = new tf.GradientTape();
    tape.watch(sources);
    const loss = tape.record(() => weightedLoss(check.op, sources, weights));
    return tape.gradient(loss, sources);
  };
  const grads =
    check.mode === 'function'
      ? (tf.function((...sources: tf.Tensor[]) => gradients(...sources) as tf.Tensor[])(...xs) as tf.Tensor[])
      : gradients(...xs);
  return grads.map((g, i) => {
    assert.ok(g, `input ${i} got no gradient`);
    return g;
  });
}

/** d loss / d input for every element of every input, by central differences. */
function numericGradients(check: GradientCheck, dtype: FloatDType, weights: number[], delta: number): number[][] {
  const lossAt = (values: number[][]): number => {
    const y = flat(check.op(...values.map((v, i) => tf.tensor(v, check.inputs[i].shape, dtype))));
    return y.reduce((sum, v, j) => sum + v * weights[j], 0);
  };
  const base = check.inputs.map((input) => [...input.values]);
  return check.inputs.map((input, k) =>
    input.values.map((value, j) => {
      const h = delta * Math.max(1, Math.abs(value));
      base[k][j] = value + h;
      const up = lossAt(base);
      base[k][j] = value - h;
      const down = lossAt(base);
      base[k][j] = value;
      return (up - down) / (2 * h);
    }),
  );
}

/** The per-element comparison; throws naming the worst element when any is out of tolerance. */
export function compareGradients(analytic: number[][], numeric: number[][], rtol: number, atol: number, what: string): number {
  let worst = { ratio: 0, input: 0, index: 0 };
  analytic.forEach((grad, k) => {
    assert.equal(grad.length, numeric[k].length, `${what}: input ${k} gradient size`);
    grad.forEach((a, j) => {
      const n = numeric[k][j];
      const ratio = Math.abs(a - n) / (atol + rtol * Math.abs(n));
      if (!(ratio <= worst.ratio)) worst = { ratio, input: k, index: j };
    });
  });
  const { input, index } = worst;
  assert.ok(
    worst.ratio <= 1,
    `${what}: input ${input} element ${index}: analytic ${analytic[input][index]} vs numeric ${numeric[input][index]} ` +
      `(|diff| ${Math.abs(analytic[input][index] - numeric[input][index]).toExponential(2)} > atol ${atol} + rtol ${rtol}·|numeric|)`,
  );
  return worst.ratio;
}

/** Default tolerances: float64 throughout is tight; a float32 side costs precision. */
function defaults(dtype: FloatDType, numericDType: FloatDType): { delta: number; rtol: number; atol: number } {
  const delta = numericDType === 'float64' ? 1e-6 : 1e-2;
  if (numericDType === 'float32') return { delta, rtol: 1e-2, atol: 1e-3 };
  if (dtype === 'float32') return { delta, rtol: 1e-5, atol: 1e-6 };
  return { delta, rtol: 1e-6, atol: 1e-8 };
}

export function checkGradient(what: string, check: GradientCheck): GradientCheckResult {
  const dtype = check.dtype ?? 'float64';
  const numericDType = check.numericDType ?? 'float64';
  const fallback = defaults(dtype, numericDType);
  const delta = check.delta ?? fallback.delta;
  const rtol = check.rtol ?? fallback.rtol;
  const atol = check.atol ?? fallback.atol;
  // Both sides must evaluate the same point: inputs are rounded to the lower precision.
  const lowest = dtype === 'float32' || numericDType === 'float32';
  const round = (v: number) => (lowest ? Math.fround(v) : v);
  const inputs = check.inputs.map((input) => ({ shape: input.shape, values: input.values.map(round) }));
  const rounded = { ...check, inputs };
  const xs = inputs.map((input) => tf.tensor(input.values, input.shape, dtype));
  const output = check.op(...xs);
  const next = uniformSequence(check.seed ?? 7);
  const weightValues = Array.from({ length: output.size }, () => Math.fround((next() < 0.5 ? -1 : 1) * (0.5 + next())));
  const weights = tf.tensor(weightValues, output.shape as number[], output.dtype);
  const analytic = analyticGradients(rounded, xs, weights).map((g, i) => {
    assert.deepEqual(g.shape, inputs[i].shape, `${what}: gradient ${i} shape`);
    return flat(g);
  });
  const numeric = numericGradients(rounded, numericDType, weightValues, delta);
  const worstRatio = compareGradients(analytic, numeric, rtol, atol, what);
  return { analytic, numeric, worstRatio };
}
