import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../lib';

const { Adam, AdamW, SGD, schedules } = tf.keras.optimizers;
const f32 = (v: number[] | number[][]) => tf.tensor(v, undefined, 'float32');

/** A one-weight least-squares problem and its traced training step. */
function problem(optimizer: tf.keras.optimizers.Optimizer) {
  const w = new tf.Variable(f32([[0.5], [-0.5]]), { name: 'w' });
  const x = f32([
    [1, 2],
    [3, 4],
  ]);
  const y = f32([[1], [2]]);
  const body = (xs: tf.Tensor, ys: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() =>
      tf.rawOps.Mean({
        input: tf.rawOps.Square({ x: tf.rawOps.Sub({ x: tf.rawOps.MatMul({ a: xs, b: w.value() }), y: ys }) }),
        reductionIndices: [0, 1],
      }),
    );
    optimizer.applyGradients(tf.zip(tape.gradient(loss, [w]), [w]));
    return loss;
  };
  return { w, x, y, body, step: tf.function(body) };
}

test('learningRate is a float32 variable: read and assign at any step', () => {
  const adam = new Adam({ learningRate: 0.01 });
  assert.equal(adam.learningRate.dtype, 'float32');
  assert.deepEqual(adam.learningRate.shape, []);
  assert.equal(adam.learningRate.numpy(), Math.fround(0.01));
  const { w, x, y, step } = problem(adam);
  step(x, y);
  adam.learningRate.assign(0);
  const before = w.numpy();
  step(x, y);
  assert.deepEqual(w.numpy(), before, 'a zero learning rate assigned mid-training freezes the weights');
  assert.equal(adam.iterations.dtype, 'int64');
  assert.equal(adam.iterations.numpy(), 2);
  assert.throws(() => adam.learningRate.assign(Number.NaN), { name: 'RangeError', message: /finite, non-negative number. Received: NaN/ });
  assert.throws(() => adam.learningRate.assign(-1), RangeError);
});

test('with a schedule, learningRate reads the next step rate and refuses assign', () => {
  const schedule = new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  const sgd = new SGD({ learningRate: schedule });
  const { x, y, step } = problem(sgd);
  assert.equal(sgd.learningRate.numpy(), Math.fround(0.1));
  step(x, y);
  step(x, y);
  assert.equal(sgd.learningRate.numpy(), Math.fround(0.025));
  assert.equal(sgd.learningRate.value().numpy(), Math.fround(0.05), 'the variable holds the rate the last update used');
  assert.throws(() => sgd.learningRate.assign(0.5), {
    name: 'TypeError',
    message:
      /created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its learning rate is not settable/,
  });
  const fn = new SGD({ learningRate: (s: number) => 1 / (s + 1) });
  assert.equal(fn.learningRate.numpy(), 1);
});

test('a schedule sees every write to iterations: eager, inside tf.function, and beside its own update', () => {
  const seen: number[] = [];
  const sgd = new SGD({
    learningRate: (s: number) => {
      seen.push(s);
      return 0.1;
    },
  });
  const { x, y, body, step } = problem(sgd);
  step(x, y);
  step(x, y);
  sgd.iterations.assign(BigInt(10));
  step(x, y);
  const rewind = tf.function(() => {
    sgd.iterations.assign(BigInt(3));
    return null;
  });
  rewind();
  step(x, y);
  // One run that updates and writes iterations itself: the host copy must not assume one write per run.
  const stepAndSkip = tf.function((xs: tf.Tensor, ys: tf.Tensor) => {
    const loss = body(xs, ys);
    sgd.iterations.assignAdd(BigInt(100));
    return loss;
  });
  stepAndSkip(x, y);
  step(x, y);
  assert.deepEqual(seen, [0, 1, 10, 3, 4, 105]);
  assert.equal(sgd.iterations.numpy(), 106);
});

test('a training step is one session run, learning-rate write included', () => {
  for (const optimizer of [
    new Adam(),
    new Adam({ learningRate: new schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: 10 }) }),
  ]) {
    const { x, y, step } = problem(optimizer);
    step(x, y);
    const runs = tf.raw.sessionRunCount();
    for (let i = 0; i < 5; ++i) step(x, y);
    assert.equal(tf.raw.sessionRunCount() - runs, 5);
  }
  // Eagerly, applyGradients is one run of its own.
  const adam = new Adam();
  const w = new tf.Variable(f32([1, 2]));
  adam.applyGradients([[f32([1, 1]), w]]);
  const runs = tf.raw.sessionRunCount();
  adam.applyGradients([[f32([1, 1]), w]]);
  assert.equal(tf.raw.sessionRunCount() - runs, 1);
});

test('a schedule that returns NaN fails at that step before any variable changes', () => {
  const bad = (step: number) => (step < 2 ? 0.1 : Number.NaN);
  const sgd = new SGD({ learningRate: bad });
  const { w, x, y, step } = problem(sgd);
  step(x, y);
  step(x, y);
  const weights = w.numpy();
  assert.throws(() => step(x, y), {
    name: 'RangeError',
    message: 'The learning rate at step 2 is NaN; it must be a finite, non-negative number.',
  });
  assert.deepEqual(w.numpy(), weights);
  assert.equal(sgd.iterations.numpy(), 2);
  assert.equal(sgd.learningRate.value().numpy(), Math.fround(0.1));
  const negative = new SGD({ learningRate: () => -1 });
  assert.throws(() => negative.applyGradients([[f32([1]), new tf.Variable(f32([0]))]]), { name: 'RangeError', message: /at step 0 is -1/ });
});

test('slot variables are created once per variable, named and inspectable', () => {
  const adam = new Adam({ amsgrad: true, name: 'opt' });
  const { w, x, y, step } = problem(adam);
  step(x, y);
  step(x, y);
  const base = w.name.replace(':0', '');
  assert.equal(adam.getSlot(w, 'momentum').name, `opt/${base}_momentum:0`);
  assert.equal(adam.getSlot(w, 'velocity_hat').shape.join(), '2,1');
  assert.notDeepEqual(adam.getSlot(w, 'velocity').numpy(), [[0], [0]]);
  assert.equal(adam.variables.length, 2 + 3);
  assert.throws(() => adam.getSlot(w, 'nope'), {
    name: 'RangeError',
    message: `No slot 'nope' for variable '${w.name}' in optimizer 'opt'`,
  });
  assert.equal(new SGD({ momentum: 0.9 }).getConfig().momentum, 0.9);
});

test('configs match Keras', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'optimizers.json'), 'utf8'));
  const keras = (name: string) => fixture.cases.find((c: { name: string }) => c.name === name).config;
  const { name: _a, ...adam } = keras('adam_default');
  const { name: _b, ...ours } = new Adam().getConfig();
  assert.deepEqual(ours, adam);
  const { name: _c, ...sgd } = keras('sgd_nesterov');
  const { name: _d, ...oursSgd } = new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }).getConfig();
  assert.deepEqual(oursSgd, sgd);
  assert.equal(new AdamW().getConfig().weight_decay, 0.004);
});

test('bad optimizer arguments and calls are clear errors', () => {
  assert.throws(() => new Adam({ clipnorm: 1, clipvalue: 1 }), {
    name: 'RangeError',
    message: 'Only one of `clipnorm`, `clipvalue` and `globalClipnorm` can be set. Received: clipnorm=1, clipvalue=1, globalClipnorm=null',
  });
  assert.throws(() => new Adam({ learningRate: -0.1 }), {
    name: 'RangeError',
    message: /`learningRate` must be a finite non-negative number/,
  });
  assert.throws(() => new Adam({ learningRate: Number.NaN }), RangeError);
  assert.throws(() => new Adam({ learningRate: 'fast' as never }), TypeError);
  assert.throws(() => new Adam({ beta1: 1 }), { name: 'RangeError', message: 'Argument `beta1` must be in [0, 1). Received: beta1=1' });
  assert.throws(() => new SGD({ momentum: 2 }), RangeError);
  assert.throws(() => new AdamW({ weightDecay: null }), { name: 'RangeError', message: /`weightDecay` must be a float/ });
  const adam = new Adam();
  const a = new tf.Variable(f32([1]));
  const b = new tf.Variable(f32([1]));
  adam.applyGradients([[f32([1]), a]]);
  assert.throws(() => adam.applyGradients([[f32([1]), b]]), { name: 'RangeError', message: /Unknown variable: .*originally built with/ });
  assert.throws(() => adam.applyGradients([[f32([1])] as never]), { name: 'TypeError', message: /takes \[gradient, variable\] pairs/ });
  assert.throws(() => adam.applyGradients([[[1] as never, a]]), { name: 'TypeError', message: /must be a Tensor or null/ });
  const value = a.numpy();
  adam.applyGradients([[null, a]]);
  assert.deepEqual(a.numpy(), value, 'a null gradient is skipped');
});

test('LR callbacks drive a real optimizer standalone (setModel + hooks)', () => {
  const adam = new Adam({ learningRate: 0.1 });
  const model = { optimizer: adam };
  const scheduler = new tf.keras.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
  scheduler.setModel(model);
  const seen: number[] = [];
  for (let epoch = 0; epoch < 4; ++epoch) {
    scheduler.onEpochBegin(epoch);
    const logs: Record<string, number> = {};
    scheduler.onEpochEnd(epoch, logs);
    seen.push(logs.learning_rate);
  }
  assert.deepEqual(seen, [0.1, 0.1, 0.05, 0.025].map(Math.fround));
  const plateau = new tf.keras.callbacks.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, minLr: 0.01 });
  plateau.setModel(model);
  for (const [epoch, loss] of [1, 1, 1, 1, 1].entries()) plateau.onEpochEnd(epoch, { loss });
  assert.equal(adam.learningRate.numpy(), Math.fround(0.01));
});
