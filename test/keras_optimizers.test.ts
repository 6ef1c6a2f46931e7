import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { opLibraryStatus } from '../lib/op_library';

const { Adam, AdamW, SGD, schedules } = tf.keras.optimizers;

interface Step {
  loss: number;
  learning_rate: number;
  iterations: number;
  W: number[];
  b: number[];
}
interface Case {
  name: string;
  config: Record<string, unknown>;
  steps: Step[];
  learning_rate_assignments?: { before_step: number; value: number }[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'optimizers.json'), 'utf8')) as {
  problem: { initial_W: number[][]; initial_b: number[]; x: number[][]; y: number[][] };
  cases: Case[];
};

// rtol 1e-5 as the issue asks, plus an absolute 1e-6: TF's fused Adam kernel forms (1 - beta) in
// float32 while Keras forms it in float64 and rounds (1 - 0.999 differs by 1.3e-5 relative), which
// shows on weights that Adam has moved through zero.
function close(actual: number, expected: number, what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

/** Keras' custom schedule from the fixture: lr(step) = 0.01 / (1 + step), in float32. */
class InverseStepDecay extends schedules.LearningRateSchedule {
  constructor(readonly initialLearningRate: number) {
    super();
  }
  call(step: number): number {
    return Math.fround(Math.fround(this.initialLearningRate) / Math.fround(1 + step));
  }
}

/** `fused` for the Adam cases: undefined (tf-napi's fused op where available), true, or false (TF's per-variable kernels). */
function makeOptimizer(c: Case, fused?: boolean): tf.keras.optimizers.Optimizer {
  const cfg = c.config as Record<string, number | boolean | null | Record<string, unknown>>;
  const lr = cfg.learning_rate;
  let learningRate: number | tf.keras.optimizers.schedules.LearningRateSchedule;
  if (typeof lr === 'number') learningRate = lr;
  else if ((lr as { class_name: string }).class_name === 'InverseStepDecay') learningRate = new InverseStepDecay(0.01);
  else learningRate = schedules.deserialize(lr as never);
  const common = {
    learningRate,
    weightDecay: cfg.weight_decay as number | null,
    clipnorm: cfg.clipnorm as number | null,
    clipvalue: cfg.clipvalue as number | null,
    globalClipnorm: cfg.global_clipnorm as number | null,
  };
  if (c.name.startsWith('sgd')) return new SGD({ ...common, momentum: cfg.momentum as number, nesterov: cfg.nesterov as boolean });
  const adam = {
    ...common,
    beta1: cfg.beta_1 as number,
    beta2: cfg.beta_2 as number,
    epsilon: cfg.epsilon as number,
    amsgrad: cfg.amsgrad as boolean,
    fused,
  };
  return c.name.startsWith('adamw') ? new AdamW(adam) : new Adam(adam);
}

/** Runs the case, checking every step against Keras; returns the final W and b. */
function run(c: Case, mode: 'eager' | 'function', fused?: boolean): number[][] {
  const { problem } = fixture;
  const W = new tf.Variable(tf.tensor(problem.initial_W, undefined, 'float32'), { name: 'W' });
  const b = new tf.Variable(tf.tensor(problem.initial_b, undefined, 'float32'), { name: 'b' });
  const x = tf.tensor(problem.x, undefined, 'float32');
  const y = tf.tensor(problem.y, undefined, 'float32');
  const optimizer = makeOptimizer(c, fused);
  const stepBody = (xs: tf.Tensor, ys: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => {
      const prediction = tf.rawOps.AddV2({ x: tf.rawOps.MatMul({ a: xs, b: W.value() }), y: b.value() });
      return tf.rawOps.Mean({ input: tf.rawOps.Square({ x: tf.rawOps.Sub({ x: prediction, y: ys }) }), reductionIndices: [0, 1] });
    });
    optimizer.applyGradients(tf.zip(tape.gradient(loss, [W, b]), [W, b]));
    return loss;
  };
  const step = mode === 'function' ? tf.function(stepBody) : stepBody;
  c.steps.forEach((expected, i) => {
    const assignment = c.learning_rate_assignments?.find((a) => a.before_step === i);
    if (assignment) optimizer.learningRate.assign(assignment.value);
    close(optimizer.learningRate.numpy(), expected.learning_rate, `${c.name} step ${i + 1} learning rate`);
    const loss = step(x, y).numpy() as number;
    close(loss, expected.loss, `${c.name} step ${i + 1} loss`);
    assert.equal(optimizer.iterations.numpy(), expected.iterations);
    (W.numpy() as number[][]).flat().forEach((w, j) => close(w, expected.W[j], `${c.name} step ${i + 1} W[${j}]`));
    (b.numpy() as number[]).forEach((v, j) => close(v, expected.b[j], `${c.name} step ${i + 1} b[${j}]`));
  });
  return [(W.numpy() as number[][]).flat(), b.numpy() as number[]];
}

const opLibrary = opLibraryStatus();
for (const c of fixture.cases) {
  const adam = !c.name.startsWith('sgd');
  // Adam runs twice: on tf-napi's fused op (the default, where the op library is built) and on TF's
  // per-variable ResourceApplyAdam kernels.
  for (const fused of adam ? [undefined, false] : [undefined]) {
    const how = fused === false ? ", TF's per-variable Adam kernels" : '';
    test(`Keras parity (eager loop${how}): ${c.name}`, () => void run(c, 'eager', fused));
    test(`Keras parity (tf.function step${how}): ${c.name}`, () => void run(c, 'function', fused));
  }
  if (adam) {
    test(`fused Adam op and TF's per-variable kernels agree bit for bit: ${c.name}`, {
      skip: !opLibrary.loaded && `${opLibrary.reason}`,
    }, () => {
      assert.deepEqual(run(c, 'function', true), run(c, 'function', false));
    });
  }
}
