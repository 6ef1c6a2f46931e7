// Keras parity runs of the optimizers in test/fixtures/optimizers_more.json (from
// test/fixtures/generators/optimizers_more_reference.py), shared by the test files that split the
// cases between them (each file is its own process: every variable made in a process slows the
// ones made after it, through the global graph).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../../lib';

const { optimizers } = tf.keras;
type Optimizer = tf.keras.optimizers.Optimizer;

export interface Step {
  loss: number;
  learning_rate: number;
  iterations: number;
  /** Every step counted, also those that only accumulate gradients. */
  raw_iterations: number;
  W: number[];
  b: number[];
}
export interface Case {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  variables: { path: string; shape: number[]; dtype: string }[];
  variable_order: [string | null, string][];
  steps: Step[];
  final_slots: Record<'kernel' | 'bias', Record<string, number[]>>;
  final_extra?: { u_product: number[] };
  learning_rate_assignments?: { before_step: number; value: number }[];
  /** The loop differentiates optimizer.scaleLoss(loss) (as fit does). */
  scale_loss?: boolean;
  /** W and b after optimizer.finalizeVariableValues([W, b]) (EMA). */
  finalized?: { W: number[]; b: number[] };
}
export interface FitCase {
  name: string;
  config: Record<string, unknown>;
  loss: number[];
  iterations: number;
  W: number[];
  b: number[];
}
export const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'optimizers_more.json'), 'utf8'),
) as {
  problem: { initial_W: number[][]; initial_b: number[]; x: number[][]; y: number[][] };
  default_configs: Record<string, Record<string, unknown>>;
  auto_names: Record<string, string>;
  cases: Case[];
  base_option_cases: Case[];
  fit_cases: FitCase[];
};

export type OptimizerClass = { new (options?: never): Optimizer; fromConfig(config: Record<string, unknown>): Optimizer };
export const CLASSES: Record<string, OptimizerClass> = {
  Adam: optimizers.Adam,
  RMSprop: optimizers.RMSprop,
  Adagrad: optimizers.Adagrad,
  Adadelta: optimizers.Adadelta,
  Adamax: optimizers.Adamax,
  Nadam: optimizers.Nadam,
  Ftrl: optimizers.Ftrl,
  Lion: optimizers.Lion,
  Lamb: optimizers.Lamb,
  Adafactor: optimizers.Adafactor,
  SGD: optimizers.SGD,
};

const RTOL = 1e-5;
const ATOL = 1e-6;

/** Largest relative difference seen per class, on losses and on weights (for the report). */
const worst = new Map<string, { loss: number; weights: number; weightsAbs: number }>();
function note(className: string, kind: 'loss' | 'weights', actual: number, expected: number): void {
  const entry = worst.get(className) ?? { loss: 0, weights: 0, weightsAbs: 0 };
  if (kind === 'weights') entry.weightsAbs = Math.max(entry.weightsAbs, Math.abs(actual - expected));
  const rel = expected === actual ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-30);
  // Weights that cross zero make relative differences meaningless: those count through ATOL only.
  if (kind === 'loss' || Math.abs(expected) > 1e-3) entry[kind] = Math.max(entry[kind], rel);
  worst.set(className, entry);
}

export function close(actual: number, expected: number, what: string, rtol = RTOL, atol = ATOL): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

/** The trained variables, made once and reset for each run (every variable made slows later runs of the global graph). */
let shared: { W: tf.Variable; b: tf.Variable } | undefined;
export function trainables() {
  const { problem } = fixture;
  if (shared === undefined) {
    shared = {
      W: new tf.Variable(tf.tensor(problem.initial_W, undefined, 'float32'), { name: 'kernel' }),
      b: new tf.Variable(tf.tensor(problem.initial_b, undefined, 'float32'), { name: 'bias' }),
    };
  }
  shared.W.assign(tf.tensor(problem.initial_W, undefined, 'float32'));
  shared.b.assign(tf.tensor(problem.initial_b, undefined, 'float32'));
  return shared;
}

/** The case's optimizer from its Keras config: the camelCased keys through the constructor's options. */
function makeOptimizer(c: Case): Optimizer {
  return CLASSES[c.class_name].fromConfig(c.config);
}

function run(c: Case, mode: 'eager' | 'function'): void {
  const { problem } = fixture;
  const { W, b } = trainables();
  const x = tf.tensor(problem.x, undefined, 'float32');
  const y = tf.tensor(problem.y, undefined, 'float32');
  const optimizer = makeOptimizer(c);
  assert.deepEqual(optimizer.getConfig(), c.config, `${c.name} getConfig (made by fromConfig)`);
  const stepBody = (xs: tf.Tensor, ys: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => {
      const prediction = tf.rawOps.AddV2({ x: tf.rawOps.MatMul({ a: xs, b: W.value() }), y: b.value() });
      return tf.rawOps.Mean({ input: tf.rawOps.Square({ x: tf.rawOps.Sub({ x: prediction, y: ys }) }), reductionIndices: [0, 1] });
    });
    const target = c.scale_loss ? tape.record(() => optimizer.scaleLoss(loss)) : loss;
    optimizer.applyGradients(tf.zip(tape.gradient(target, [W, b]), [W, b]));
    return loss;
  };
  const step = mode === 'function' ? tf.function(stepBody) : stepBody;
  c.steps.forEach((expected, i) => {
    const assignment = c.learning_rate_assignments?.find((a) => a.before_step === i);
    if (assignment) optimizer.learningRate.assign(assignment.value);
    close(optimizer.learningRate.numpy(), expected.learning_rate, `${c.name} step ${i + 1} learning rate`);
    const loss = step(x, y).numpy() as number;
    note(c.class_name, 'loss', loss, expected.loss);
    close(loss, expected.loss, `${c.name} step ${i + 1} loss`);
    // Ours counts every step (Keras' _iterations); Keras' iterations property floor-divides by the accumulation steps.
    assert.equal(optimizer.iterations.numpy(), expected.raw_iterations);
    assert.equal(Math.floor(expected.raw_iterations / ((c.config.gradient_accumulation_steps as number | null) ?? 1)), expected.iterations);
    (W.numpy() as number[][]).flat().forEach((w, j) => {
      note(c.class_name, 'weights', w, expected.W[j]);
      close(w, expected.W[j], `${c.name} step ${i + 1} W[${j}]`);
    });
    (b.numpy() as number[]).forEach((v, j) => {
      note(c.class_name, 'weights', v, expected.b[j]);
      close(v, expected.b[j], `${c.name} step ${i + 1} b[${j}]`);
    });
  });

  // Every slot at the end, by Keras' slot names.
  const owners = { kernel: W, bias: b };
  for (const owner of ['kernel', 'bias'] as const) {
    for (const [slot, expected] of Object.entries(c.final_slots[owner])) {
      const actual = [optimizer.getSlot(owners[owner], slot).numpy() as number | number[] | number[][]].flat(2);
      assert.equal(actual.length, expected.length, `${c.name} ${owner} ${slot} size`);
      actual.forEach((v, j) => close(v, expected[j], `${c.name} final ${owner} ${slot}[${j}]`, 1e-4));
    }
  }
  if (c.finalized) {
    optimizer.finalizeVariableValues([W, b]);
    (W.numpy() as number[][]).flat().forEach((w, j) => close(w, c.finalized?.W[j] as number, `${c.name} finalized W[${j}]`));
    (b.numpy() as number[]).forEach((v, j) => close(v, c.finalized?.b[j] as number, `${c.name} finalized b[${j}]`));
  }
  if (c.final_extra) {
    const nadam = optimizer as InstanceType<typeof optimizers.Nadam>;
    close(nadam.uProduct.numpy() as number, c.final_extra.u_product[0], `${c.name} u_product`);
  }

  // optimizer.variables in Keras' order: iterations, learning_rate, then the slots.
  const expectedOrder = c.variable_order.map(([owner, slot]) => (owner === null ? slot : `${owner}/${slot}`));
  const ours = optimizer.variables.slice(2).map((v) => {
    for (const owner of ['kernel', 'bias'] as const) {
      for (const [slot, s] of optimizer.slotsOf(owners[owner])) if (s === v) return `${owner}/${slot}`;
    }
    return v === (optimizer as InstanceType<typeof optimizers.Nadam>).uProduct ? 'u_product' : v.name;
  });
  assert.deepEqual(ours, expectedOrder, `${c.name} optimizer.variables order`);
  const kerasSlots = c.variables.filter((v) => !/\/(iteration|learning_rate)$/.test(v.path));
  optimizer.variables.slice(2).forEach((v, i) => {
    assert.deepEqual(v.shape, kerasSlots[i].shape, `${c.name} ${ours[i]} shape`);
    assert.equal(v.dtype, kerasSlots[i].dtype, `${c.name} ${ours[i]} dtype`);
  });
}

/**
 * The parity tests of the fixture's cases of `classNames`: every case in a tf.function step, the
 * first case of each class also in an eager loop (each eager applyGradients is one cached
 * tf.function of the optimizer's own, with the same update ops); then the largest differences seen.
 */
export function parityTests(classNames: readonly string[], from: readonly Case[] = fixture.cases): void {
  const cases = from.filter((c) => classNames.includes(c.class_name));
  const eagerToo = new Set(classNames.map((name) => cases.find((c) => c.class_name === name)?.name));
  for (const c of cases) {
    test(`Keras parity (tf.function step): ${c.name}`, () => run(c, 'function'));
    if (eagerToo.has(c.name)) test(`Keras parity (eager loop): ${c.name}`, () => run(c, 'eager'));
  }
  test('largest relative differences from Keras, per optimizer', (t) => {
    for (const [name, { loss, weights, weightsAbs }] of worst) {
      t.diagnostic(
        `${name}: losses ${loss.toExponential(2)}, weights (|w| > 1e-3) ${weights.toExponential(2)}, weights absolute ${weightsAbs.toExponential(2)}`,
      );
    }
    for (const { loss } of worst.values()) assert.ok(loss <= RTOL);
  });
}
