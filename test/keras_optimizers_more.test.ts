// RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Lamb, Adafactor against Keras 3
// (test/fixtures/optimizers_more.json): this file runs the parity trajectories of RMSprop, Adagrad,
// Adadelta, Adamax and Nadam (the rest: keras_optimizers_more_parity.test.ts), and checks the
// defaults' get_config, string identifiers, argument checks and mid-training rate assigns of all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { CLASSES, fixture, OptimizerClass, parityTests, trainables } from './helpers/optimizer_parity';

const { optimizers } = tf.keras;

parityTests(['RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'Nadam']);

test('getConfig of each optimizer made with no options equals Keras (defaults and auto name)', () => {
  // Each case's config is compared in its parity run, on the optimizer fromConfig made from Keras' config.
  for (const [className, config] of Object.entries(fixture.default_configs)) {
    const optimizer = new CLASSES[className]();
    if (className in fixture.auto_names) {
      assert.match(optimizer.name, new RegExp(`^${fixture.auto_names[className]}(_\\d+)?$`), `${className} auto name`);
    }
    assert.deepEqual({ ...optimizer.getConfig(), name: 'opt' }, config, `${className} defaults`);
  }
});

test('string identifiers in optimizers.get and compile; an unknown one names the valid ones', async () => {
  const names: Record<string, OptimizerClass> = {
    rmsprop: optimizers.RMSprop,
    adagrad: optimizers.Adagrad,
    adadelta: optimizers.Adadelta,
    adamax: optimizers.Adamax,
    nadam: optimizers.Nadam,
    ftrl: optimizers.Ftrl,
    lion: optimizers.Lion,
    lamb: optimizers.Lamb,
    adafactor: optimizers.Adafactor,
    sgd: optimizers.SGD,
  };
  for (const [name, cls] of Object.entries(names)) assert.ok(optimizers.get(name) instanceof cls, name);
  assert.ok(optimizers.get('RMSProp') instanceof optimizers.RMSprop);
  assert.ok(optimizers.get({ class_name: 'Adafactor', config: { clip_threshold: 0.5 } }) instanceof optimizers.Adafactor);
  const valid = 'adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, nadam, rmsprop, sgd';
  assert.throws(() => optimizers.get('rmsprob'), {
    name: 'RangeError',
    message: `Could not interpret optimizer identifier: rmsprob. Valid names: ${valid}`,
  });

  // Through compile and fit: a named optimizer trains the model.
  const { Sequential, Input, layers } = tf.keras;
  for (const name of ['rmsprop', 'adafactor']) {
    const model = new Sequential([Input([3]), new layers.Dense({ units: 2 })]);
    model.compile({ optimizer: name, loss: 'mse' });
    assert.ok(model.optimizer instanceof names[name], name);
    const x = tf.tensor(fixture.problem.x, undefined, 'float32');
    const y = tf.tensor(fixture.problem.y, undefined, 'float32');
    const before = model.getWeights().map((w) => w.numpy());
    const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
    assert.equal(history.history.loss.length, 2);
    assert.notDeepEqual(
      model.getWeights().map((w) => w.numpy()),
      before,
      `${name} moved the weights`,
    );
    assert.equal(model.optimizer.iterations.numpy(), 2);
  }
  assert.throws(() => new Sequential([Input([3]), new layers.Dense({ units: 2 })]).compile({ optimizer: 'nope', loss: 'mse' }), {
    message: `Could not interpret optimizer identifier: nope. Valid names: ${valid}`,
  });
});

test('bad arguments: a TypeError or RangeError naming the argument', () => {
  const { RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Lamb, Adafactor } = optimizers;
  const cases: [() => unknown, 'TypeError' | 'RangeError', RegExp][] = [
    [() => new RMSprop({ rho: 1 }), 'RangeError', /`rho` must be finite and in \[0, 1\)\. Received: rho=1/],
    [() => new RMSprop({ rho: -0.1 }), 'RangeError', /`rho`/],
    [() => new RMSprop({ rho: '0.9' as never }), 'TypeError', /`rho` must be a number\. Received: rho='0\.9'/],
    [() => new RMSprop({ epsilon: -1e-7 }), 'RangeError', /`epsilon` must be finite and >= 0\. Received: epsilon=-1e-7/],
    [() => new RMSprop({ momentum: 1.5 }), 'RangeError', /`momentum` must be finite and in \[0, 1\]/],
    [() => new RMSprop({ momentum: Number.NaN }), 'RangeError', /`momentum`/],
    [() => new RMSprop({ centered: 1 as never }), 'TypeError', /`centered` must be a boolean/],
    [() => new RMSprop({ rhoo: 0.9 } as never), 'TypeError', /RMSprop got an unexpected option 'rhoo' \(did you mean 'rho'\?\)/],
    [() => new Adagrad({ initialAccumulatorValue: -0.1 }), 'RangeError', /`initialAccumulatorValue` must be finite and >= 0/],
    [() => new Adagrad({ epsilon: Number.POSITIVE_INFINITY }), 'RangeError', /`epsilon`/],
    [() => new Adagrad({ initial_accumulator_value: 0.1 } as never), 'TypeError', /did you mean 'initialAccumulatorValue'/],
    [() => new Adadelta({ rho: 1 }), 'RangeError', /`rho` must be finite and in \[0, 1\)/],
    [() => new Adadelta({ epsilon: -1 }), 'RangeError', /`epsilon`/],
    [() => new Adamax({ beta1: 1 }), 'RangeError', /`beta1` must be finite and in \[0, 1\)/],
    [() => new Adamax({ beta2: 0.99999999999 }), 'RangeError', /`beta2`/],
    [() => new Nadam({ beta1: -0.5 }), 'RangeError', /`beta1`/],
    [() => new Nadam({ beta2: null as never }), 'TypeError', /`beta2` must be a number/],
    [() => new Nadam({ epsilon: -1 }), 'RangeError', /`epsilon`/],
    [() => new Ftrl({ learningRatePower: 0.5 }), 'RangeError', /`learningRatePower` must be finite and <= 0/],
    [() => new Ftrl({ initialAccumulatorValue: -1 }), 'RangeError', /`initialAccumulatorValue`/],
    [() => new Ftrl({ l1RegularizationStrength: -1 }), 'RangeError', /`l1RegularizationStrength`/],
    [() => new Ftrl({ l2RegularizationStrength: -1 }), 'RangeError', /`l2RegularizationStrength`/],
    [() => new Ftrl({ l2ShrinkageRegularizationStrength: -1 }), 'RangeError', /`l2ShrinkageRegularizationStrength`/],
    [() => new Ftrl({ beta: -1 }), 'RangeError', /`beta`/],
    [() => new Lion({ beta1: 0 }), 'RangeError', /`beta1` must be finite and in \(0, 1\]/],
    [() => new Lion({ beta2: 1.1 }), 'RangeError', /`beta2` must be finite and in \[0, 1\]/],
    [() => new Lamb({ beta1: 1 }), 'RangeError', /`beta1`/],
    [() => new Lamb({ epsilon: -1 }), 'RangeError', /`epsilon`/],
    [() => new Adafactor({ beta2Decay: 0.5 }), 'RangeError', /`beta2Decay` must be finite and <= 0/],
    [() => new Adafactor({ epsilon1: -1 }), 'RangeError', /`epsilon1`/],
    [() => new Adafactor({ epsilon2: -1 }), 'RangeError', /`epsilon2`/],
    [() => new Adafactor({ clipThreshold: 0 }), 'RangeError', /`clipThreshold` must be finite and > 0/],
    [() => new Adafactor({ relativeStep: 'yes' as never }), 'TypeError', /`relativeStep` must be a boolean/],
    [() => new Adafactor({ learningRate: -1 }), 'RangeError', /`learningRate`/],
    [() => new Lion({ clipnorm: 1, clipvalue: 1 }), 'RangeError', /Only one of `clipnorm`, `clipvalue` and `globalClipnorm`/],
    [() => new Lamb(...([3, 0.9, 0.99, 1e-7, 5] as unknown as [number])), 'TypeError', /Lamb takes at most 4 positional arguments/],
    [() => new optimizers.SGD({ momentum: 1.5 }), 'RangeError', /`momentum` must be a float between \[0, 1\]/],
    [() => new optimizers.SGD({ nesterov: 'true' as never }), 'TypeError', /`nesterov` must be a boolean/],
  ];
  for (const [make, name, message] of cases) assert.throws(make, { name, message }, String(message));
});

test('a learning-rate assign mid-training takes effect at the next step', () => {
  // Every optimizer's trajectory through two assigns is in the parity fixtures (the *_manual_assign
  // cases); here a zero rate freezes the next step on a fused kernel (Adadelta) and on Keras'
  // expression in ops (Adagrad, Adafactor). Not Ftrl (Keras' FTRL divides by the rate), nor
  // momentum methods (their momentum still moves the weights).
  const made: [string, Record<string, unknown>][] = [
    ['Adadelta', {}],
    ['Adagrad', {}],
    ['Adafactor', {}],
  ];
  for (const [className, options] of made) {
    const optimizer = new CLASSES[className]({ learningRate: 0.05, ...options } as never);
    const { W, b } = trainables();
    const x = tf.tensor(fixture.problem.x, undefined, 'float32');
    const y = tf.tensor(fixture.problem.y, undefined, 'float32');
    const step = tf.function((xs: tf.Tensor, ys: tf.Tensor) => {
      const tape = new tf.GradientTape();
      const loss = tape.record(() =>
        tf.rawOps.Mean({
          input: tf.rawOps.Square({
            x: tf.rawOps.Sub({ x: tf.rawOps.AddV2({ x: tf.rawOps.MatMul({ a: xs, b: W.value() }), y: b.value() }), y: ys }),
          }),
          reductionIndices: [0, 1],
        }),
      );
      optimizer.applyGradients(tf.zip(tape.gradient(loss, [W, b]), [W, b]));
      return loss;
    });
    const start = W.numpy();
    step(x, y);
    const moved = W.numpy();
    assert.notDeepEqual(moved, start, `${className} moved the weights`);
    optimizer.learningRate.assign(0);
    step(x, y);
    assert.deepEqual(W.numpy(), moved, `${className}: a zero rate assigned between steps freezes the next step`);
    optimizer.learningRate.assign(0.05);
    step(x, y);
    assert.notDeepEqual(W.numpy(), moved, `${className}: the restored rate moves the weights again`);
    assert.equal(optimizer.iterations.numpy(), 3);
  }
});

test('a checkpoint restored into a fresh optimizer resumes exactly (Adafactor r/c, EMA averages, Nadam u_product)', () => {
  const made: [string, Record<string, unknown>][] = [
    ['Nadam', { learningRate: 0.02 }],
    ['Adafactor', { learningRate: 0.02, useEma: true, emaMomentum: 0.5 }],
  ];
  const { problem } = fixture;
  const x = tf.tensor(problem.x, undefined, 'float32');
  const y = tf.tensor(problem.y, undefined, 'float32');
  for (const [className, options] of made) {
    const { W, b } = trainables();
    const loss = () =>
      tf.rawOps.Mean({
        input: tf.rawOps.Square({
          x: tf.rawOps.Sub({ x: tf.rawOps.AddV2({ x: tf.rawOps.MatMul({ a: x, b: W.value() }), y: b.value() }), y }),
        }),
        reductionIndices: [0, 1],
      });
    const train = (optimizer: tf.keras.optimizers.Optimizer, steps: number) => {
      for (let i = 0; i < steps; i++) {
        const tape = new tf.GradientTape();
        const value = tape.record(loss);
        optimizer.applyGradients(tf.zip(tape.gradient(value, [W, b]), [W, b]));
      }
    };
    const first = new CLASSES[className](options as never);
    train(first, 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optimizers-more-'));
    const saved = new tf.train.Checkpoint({ optimizer: first, W, b }).save(path.join(dir, 'ckpt'));
    train(first, 3);
    const expected = [W.numpy(), b.numpy()];
    const second = new CLASSES[className](options as never);
    new tf.train.Checkpoint({ optimizer: second, W, b }).restore(saved);
    assert.equal(second.iterations.numpy(), 3);
    train(second, 3);
    assert.deepEqual([W.numpy(), b.numpy()], expected, `${className} resumed exactly`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
