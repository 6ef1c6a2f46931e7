// Keras' leading positional arguments (`new Adam(0.01)`, `new Dense(3, 'relu')`): each spelling
// builds what the keyword spelling builds; a positional value and the same key, or more positional
// values than the class takes, is a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { positionalOptions } from '../lib/keras/utils/argument_validation';

const { layers, losses, metrics, optimizers, initializers, callbacks } = tf.keras;
const { schedules } = optimizers;

type Ctor = (new (...args: never) => object) & { readonly positional?: readonly string[] };

/** [class, positional values, the same as options, options both spellings share]. */
const CASES: [Ctor, unknown[], Record<string, unknown>, Record<string, unknown>?][] = [
  [optimizers.SGD, [0.1, 0.9, true], { learningRate: 0.1, momentum: 0.9, nesterov: true }, { name: 'o' }],
  [
    optimizers.Adam,
    [0.01, 0.8, 0.99, 1e-6, true],
    { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true },
    { name: 'o' },
  ],
  [
    optimizers.AdamW,
    [0.01, 0.1, 0.8, 0.99, 1e-6, true],
    { learningRate: 0.01, weightDecay: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, amsgrad: true },
    { name: 'o' },
  ],
  [
    optimizers.RMSprop,
    [0.01, 0.8, 0.5, 1e-6, true],
    { learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true },
    { name: 'o' },
  ],
  [optimizers.Adagrad, [0.01, 0.2, 1e-6], { learningRate: 0.01, initialAccumulatorValue: 0.2, epsilon: 1e-6 }, { name: 'o' }],
  [optimizers.Adadelta, [0.01, 0.8, 1e-6], { learningRate: 0.01, rho: 0.8, epsilon: 1e-6 }, { name: 'o' }],
  [optimizers.Adamax, [0.01, 0.8, 0.99, 1e-6], { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }, { name: 'o' }],
  [optimizers.Nadam, [0.01, 0.8, 0.99, 1e-6], { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }, { name: 'o' }],
  [optimizers.Lamb, [0.01, 0.8, 0.99, 1e-6], { learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }, { name: 'o' }],
  [optimizers.Lion, [0.01, 0.8, 0.98], { learningRate: 0.01, beta1: 0.8, beta2: 0.98 }, { name: 'o' }],
  [
    optimizers.Ftrl,
    [0.01, -0.6, 0.2, 0.01, 0.02, 0.03, 0.1],
    {
      learningRate: 0.01,
      learningRatePower: -0.6,
      initialAccumulatorValue: 0.2,
      l1RegularizationStrength: 0.01,
      l2RegularizationStrength: 0.02,
      l2ShrinkageRegularizationStrength: 0.03,
      beta: 0.1,
    },
    { name: 'o' },
  ],
  [
    optimizers.Adafactor,
    [0.01, -0.7, 1e-29, 1e-2, 2, false],
    { learningRate: 0.01, beta2Decay: -0.7, epsilon1: 1e-29, epsilon2: 1e-2, clipThreshold: 2, relativeStep: false },
    { name: 'o' },
  ],
  [
    schedules.ExponentialDecay,
    [0.1, 1000, 0.96, true, 'e'],
    { initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true, name: 'e' },
  ],
  [
    schedules.CosineDecay,
    [0.1, 100, 0.1, 'c', 0.2, 10],
    { initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1, name: 'c', warmupTarget: 0.2, warmupSteps: 10 },
  ],
  [
    schedules.CosineDecayRestarts,
    [0.1, 100, 2, 0.5, 0.1, 'r'],
    { initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 2, mMul: 0.5, alpha: 0.1, name: 'r' },
  ],
  [
    schedules.InverseTimeDecay,
    [0.1, 10, 0.5, true, 'i'],
    { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true, name: 'i' },
  ],
  [schedules.PiecewiseConstantDecay, [[10, 20], [1, 0.5, 0.1], 'p'], { boundaries: [10, 20], values: [1, 0.5, 0.1], name: 'p' }],
  [
    schedules.PolynomialDecay,
    [0.1, 100, 0.01, 2, true, 'q'],
    { initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2, cycle: true, name: 'q' },
  ],
  [
    layers.Dense,
    [3, 'relu', false, 'zeros', 'ones'],
    { units: 3, activation: 'relu', useBias: false, kernelInitializer: 'zeros', biasInitializer: 'ones' },
    { name: 'l' },
  ],
  [
    layers.Conv2D,
    [4, [3, 2], 2, 'same', 'channels_last', 1],
    { filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', dataFormat: 'channels_last', dilationRate: 1 },
    { name: 'l' },
  ],
  [layers.Dropout, [0.3, null, 5], { rate: 0.3, noiseShape: null, seed: 5 }, { name: 'l' }],
  [
    layers.MaxPooling2D,
    [3, 1, 'same', 'channels_last', 'l'],
    { poolSize: 3, strides: 1, padding: 'same', dataFormat: 'channels_last', name: 'l' },
  ],
  [layers.Activation, ['relu'], { activation: 'relu' }, { name: 'l' }],
  [layers.InputLayer, [[2, 3], 4, 'int32'], { shape: [2, 3], batchSize: 4, dtype: 'int32' }, { name: 'l' }],
  [layers.Reshape, [[2, 3]], { targetShape: [2, 3] }, { name: 'l' }],
  [layers.Flatten, ['channels_last'], { dataFormat: 'channels_last' }, { name: 'l' }],
  [
    layers.BatchNormalization,
    [-1, 0.9, 1e-2, false, true, 'ones', 'zeros', 'ones', 'zeros'],
    {
      axis: -1,
      momentum: 0.9,
      epsilon: 1e-2,
      center: false,
      scale: true,
      betaInitializer: 'ones',
      gammaInitializer: 'zeros',
      movingMeanInitializer: 'ones',
      movingVarianceInitializer: 'zeros',
    },
    { name: 'l' },
  ],
  [
    callbacks.EarlyStopping,
    ['loss', 0.1, 3, 1, 'min', 0.5, true, 2],
    { monitor: 'loss', minDelta: 0.1, patience: 3, verbose: 1, mode: 'min', baseline: 0.5, restoreBestWeights: true, startFromEpoch: 2 },
  ],
  [
    callbacks.ReduceLROnPlateau,
    ['loss', 0.5, 3, 1, 'min', 0.01, 2, 1e-4],
    { monitor: 'loss', factor: 0.5, patience: 3, verbose: 1, mode: 'min', minDelta: 0.01, cooldown: 2, minLr: 1e-4 },
  ],
  [callbacks.LearningRateScheduler, [Math.max, 1], { schedule: Math.max, verbose: 1 }],
  [callbacks.CSVLogger, ['/tmp/positional.csv', ';', true], { filename: '/tmp/positional.csv', separator: ';', append: true }],
  [callbacks.TensorBoard, ['/tmp/positional-logs', 1, false], { logDir: '/tmp/positional-logs', histogramFreq: 1, writeGraph: false }],
  [callbacks.TerminateOnNaN, [true], { raiseError: true }],
  [
    callbacks.LambdaCallback,
    [Math.abs, Math.sign, Math.sin, Math.cos, Math.tan, Math.exp],
    {
      onEpochBegin: Math.abs,
      onEpochEnd: Math.sign,
      onTrainBegin: Math.sin,
      onTrainEnd: Math.cos,
      onTrainBatchBegin: Math.tan,
      onTrainBatchEnd: Math.exp,
    },
  ],
  [initializers.Constant, [2], { value: 2 }],
  [initializers.RandomNormal, [1, 0.5, 3], { mean: 1, stddev: 0.5, seed: 3 }],
  [initializers.RandomUniform, [-1, 1, 3], { minval: -1, maxval: 1, seed: 3 }],
  [initializers.TruncatedNormal, [1, 0.5, 3], { mean: 1, stddev: 0.5, seed: 3 }],
  [initializers.VarianceScaling, [2, 'fan_out', 'uniform', 3], { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 }],
  [initializers.GlorotNormal, [3], { seed: 3 }],
  [initializers.GlorotUniform, [3], { seed: 3 }],
  [initializers.HeNormal, [3], { seed: 3 }],
  [initializers.HeUniform, [3], { seed: 3 }],
  [losses.MeanSquaredError, ['sum', 'm'], { reduction: 'sum', name: 'm' }],
  [losses.MeanAbsoluteError, ['sum', 'm'], { reduction: 'sum', name: 'm' }],
  [losses.BinaryCrossentropy, [true, 0.1], { fromLogits: true, labelSmoothing: 0.1 }],
  [losses.CategoricalCrossentropy, [true, 0.1], { fromLogits: true, labelSmoothing: 0.1 }],
  [losses.SparseCategoricalCrossentropy, [true], { fromLogits: true }],
  [metrics.Mean, ['m', 'float32'], { name: 'm', dtype: 'float32' }],
  [metrics.Accuracy, ['m'], { name: 'm' }],
  [metrics.BinaryAccuracy, ['m', 'float32', 0.3], { name: 'm', dtype: 'float32', threshold: 0.3 }],
  [metrics.CategoricalAccuracy, ['m'], { name: 'm' }],
  [metrics.SparseCategoricalAccuracy, ['m'], { name: 'm' }],
  [metrics.MeanSquaredError, ['m'], { name: 'm' }],
  [metrics.MeanAbsoluteError, ['m'], { name: 'm' }],
];

/** What the object was built with: its config where it has one, else its own fields. */
function built(object: object): unknown {
  const config = (object as { getConfig?: () => unknown }).getConfig;
  if (typeof config === 'function') return config.call(object);
  // Own fields (a LambdaCallback's hooks are non-enumerable), but not the model and the like.
  const fields = Object.getOwnPropertyNames(object).map((k) => [k, (object as Record<string, unknown>)[k]] as const);
  return Object.fromEntries(fields.filter(([, v]) => typeof v !== 'object' || v === null));
}

const make = (cls: Ctor, args: unknown[]) => new cls(...(args as never));

for (const [cls, values, keywords, shared = {}] of CASES) {
  test(`${cls.name}: positional arguments build what the options build`, () => {
    assert.deepEqual(cls.positional?.slice(0, values.length), Object.keys(keywords), 'the positional list is in Keras order');
    const expected = built(make(cls, [{ ...keywords, ...shared }]));
    // Every leading run: (v0, {rest}), (v0, v1, {rest}), ...
    for (let n = 1; n <= values.length; n++) {
      const rest = Object.fromEntries(Object.entries(keywords).slice(n));
      const args =
        Object.keys(shared).length + Object.keys(rest).length === 0 ? values.slice(0, n) : [...values.slice(0, n), { ...rest, ...shared }];
      assert.deepEqual(built(make(cls, args)), expected, `${n} positional`);
    }
  });

  test(`${cls.name}: a positional argument and the same option, or too many positional arguments, is a TypeError`, () => {
    const first = Object.keys(keywords)[0];
    assert.throws(() => make(cls, [values[0], { [first]: values[0] }]), {
      name: 'TypeError',
      message: `${cls.name} got multiple values for argument '${first}'`,
    });
    const names = cls.positional ?? [];
    const tooMany = [...values, ...Array(names.length + 1 - values.length).fill(1)];
    assert.throws(
      () => make(cls, tooMany),
      (e: Error) => {
        assert.ok(e instanceof TypeError, `${e.name}: ${e.message}`);
        const count = `${names.length} positional argument${names.length === 1 ? '' : 's'}`;
        assert.ok(
          e.message.startsWith(
            `${cls.name} takes at most ${count} (${names.join(', ')}) followed by an options object, but ${names.length + 1} positional`,
          ),
          e.message,
        );
        return true;
      },
    );
  });
}

test('positionalOptions: the options object is last; undefined counts as not given; class instances are values', () => {
  const cls = { name: 'Thing', positional: ['a', 'b'] };
  assert.deepEqual(positionalOptions(cls, [1, undefined, { c: 3 }]), { a: 1, c: 3 });
  assert.deepEqual(positionalOptions(cls, [undefined, 2]), { b: 2 });
  assert.deepEqual(positionalOptions(cls, [1, { b: undefined }]), { a: 1, b: undefined });
  assert.deepEqual(positionalOptions(cls, [1, 2, undefined]), { a: 1, b: 2 });
  const schedule = new schedules.ExponentialDecay(0.1, 10, 0.5);
  assert.equal(positionalOptions(cls, [schedule]).a, schedule);
  assert.throws(() => positionalOptions(cls, [{ a: 1 }, 2]), {
    name: 'TypeError',
    message: 'Thing: the options object must be the last argument. Received it as argument 1 of 2',
  });
  assert.throws(() => positionalOptions({ name: 'None' }, [1]), {
    name: 'TypeError',
    message: 'None takes no positional arguments followed by an options object, but 1 positional argument was given: 1',
  });
  assert.throws(() => positionalOptions(cls, [1, 2, 3]), {
    name: 'TypeError',
    message:
      'Thing takes at most 2 positional arguments (a, b) followed by an options object, but 3 positional arguments were given: 1, 2, 3',
  });
});

test('Keras spellings typecheck: new Adam(0.01), new Adam(0.01, {beta1}), new Adam({learningRate}), new SGD(0.1, 0.9)', () => {
  assert.equal(new optimizers.Adam(0.01).learningRate.numpy(), Math.fround(0.01));
  assert.equal(new optimizers.Adam(0.01, { beta1: 0.8 }).beta1, 0.8);
  assert.equal(new optimizers.Adam({ learningRate: 0.01 }).learningRate.numpy(), Math.fround(0.01));
  const sgd = new optimizers.SGD(0.1, 0.9);
  assert.deepEqual([sgd.learningRate.numpy(), sgd.momentum], [Math.fround(0.1), 0.9]);
  assert.equal(new layers.Dense(3, { activation: 'relu' }).units, 3);
  const input = tf.keras.Input([2, 3], null, 'int32', { name: 'ids' });
  assert.deepEqual([input.shape, input.dtype], [[null, 2, 3], 'int32']);
  assert.throws(() => tf.keras.Input([2], { shape: [3] } as never), {
    name: 'TypeError',
    message: "Input got multiple values for argument 'shape'",
  });
  assert.equal(new schedules.ExponentialDecay(0.1, 1000, 0.96).call(1000), Math.fround(0.096));
  // @ts-expect-error: learningRate given twice
  assert.throws(() => new optimizers.Adam(0.01, { learningRate: 0.1 }), TypeError);
  // @ts-expect-error: Dense needs units
  assert.throws(() => new layers.Dense({}), RangeError);
  // A subclass inherits the list; a schedule as the leading value.
  class MyAdam extends optimizers.Adam {}
  const schedule = new schedules.ExponentialDecay(0.1, 10, 0.5);
  assert.equal(new MyAdam(schedule, 0.7).learningRate.schedule, schedule);
});

test('new Model(inputs, outputs, name): the functional model Keras spells positionally', () => {
  const input = tf.keras.Input([3]);
  const output = new layers.Dense(2).apply(input);
  const positional = new tf.keras.Model(input, output, 'm');
  const keywords = new tf.keras.Model({ inputs: input, outputs: output, name: 'm' });
  assert.deepEqual(positional.getConfig(), keywords.getConfig());
  assert.deepEqual(new tf.keras.Model(input, output, { name: 'm' }).getConfig(), keywords.getConfig());
  assert.throws(() => new tf.keras.Model(input, { inputs: input } as never), {
    name: 'TypeError',
    message: "Model got multiple values for argument 'inputs'",
  });
  assert.throws(() => new tf.keras.Model(...([input, output, 'm', true] as unknown as [])), {
    name: 'TypeError',
    message: /^Model takes at most 3 positional arguments \(inputs, outputs, name\)/,
  });
});
