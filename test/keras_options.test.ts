// The one options validator (unknown keys are TypeErrors with a "did you mean" hint), Keras'
// naming, and the one serialization registry every family's get/serialize/deserialize stands on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { checkOptions, closestOption } from '../lib/keras/utils/argument_validation';
import { autoName, snakeToCamel, toSnakeCase, uniquify } from '../lib/keras/utils/naming';

const { layers, losses, metrics, optimizers, initializers, callbacks, activations, saving } = tf.keras;
const { schedules } = optimizers;
const { Layer, Dense } = layers;

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

/** A user layer with an option of its own, declared in optionKeys. */
class ScaleLayer extends Layer {
  static override readonly optionKeys = [...Layer.optionKeys, 'factor'];
  readonly factor: number;
  constructor(options: tf.keras.layers.LayerOptions & { factor?: number } = {}) {
    super(options);
    this.factor = options.factor ?? 1;
  }
  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.multiply(inputs, this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** Asserts a TypeError naming `key` with the hint `meant` (or no hint when null). */
function assertUnexpected(run: () => unknown, owner: string, key: string, meant: string | null): void {
  assert.throws(run, (e: Error) => {
    assert.ok(e instanceof TypeError, `${owner}: ${e.name}: ${e.message}`);
    const hint = meant === null ? '' : ` (did you mean '${meant}'?)`;
    assert.ok(e.message.startsWith(`${owner} got an unexpected option '${key}'${hint}. `), e.message);
    return true;
  });
}

function smallModel(): tf.keras.Model {
  const model = new tf.keras.Sequential([tf.keras.Input({ shape: [2] }), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return model;
}

const X = [
  [0, 1],
  [1, 0],
  [1, 1],
  [0, 0],
];
const Y = [[1], [1], [2], [0]];

test('checkOptions: unknown keys name themselves, the option meant, and the allowed options', () => {
  assert.throws(() => checkOptions('Thing', { learning_rate: 1 }, ['learningRate', 'name']), {
    name: 'TypeError',
    message: "Thing got an unexpected option 'learning_rate' (did you mean 'learningRate'?). Allowed options: learningRate, name.",
  });
  assert.throws(() => checkOptions('Thing', { bogus: 1 }, ['learningRate', 'name']), {
    name: 'TypeError',
    message: "Thing got an unexpected option 'bogus'. Allowed options: learningRate, name.",
  });
  assert.throws(() => checkOptions('Zeros', { a: 1 }, []), {
    name: 'TypeError',
    message: "Zeros got an unexpected option 'a'. Zeros takes no options.",
  });
  for (const bad of [3, 'x', null, [1], new Float32Array(2)]) {
    assert.throws(() => checkOptions('Thing', bad, []), {
      name: 'TypeError',
      message: /^Thing expects a single options object\. Received: /,
    });
  }
  assert.deepEqual(checkOptions('Thing', { name: 'a' }, ['name']), { name: 'a' });
});

test('closestOption: camelCase of a snake_case key, other letter case, one edit per four letters, swaps', () => {
  const allowed = ['learningRate', 'fromLogits', 'name', 'stddev', 'verbose', 'metrics'];
  assert.equal(closestOption('learning_rate', allowed), 'learningRate');
  assert.equal(closestOption('learningrate', allowed), 'learningRate');
  assert.equal(closestOption('LearningRate', allowed), 'learningRate');
  assert.equal(closestOption('fromLogit', allowed), 'fromLogits');
  assert.equal(closestOption('from_logit', allowed), 'fromLogits');
  assert.equal(closestOption('std_dev', allowed), 'stddev');
  assert.equal(closestOption('verbsoe', allowed), 'verbose');
  assert.equal(closestOption('nam', allowed), 'name');
  assert.equal(closestOption('std', allowed), undefined);
  assert.equal(closestOption('title', allowed), undefined);
  assert.equal(closestOption('nmae', ['name', 'nmea']), 'name');
});

test('every family rejects snake_case and misspelt options with a TypeError saying what was meant', () => {
  const model = smallModel();
  const cases: [string, () => unknown, string, string, string | null][] = [
    ['Adam', () => new optimizers.Adam({ learning_rate: 0.1 } as never), 'Adam', 'learning_rate', 'learningRate'],
    ['Adam', () => new optimizers.Adam({ learningrate: 0.1 } as never), 'Adam', 'learningrate', 'learningRate'],
    ['Adam', () => new optimizers.Adam({ beta_1: 0.8 } as never), 'Adam', 'beta_1', 'beta1'],
    ['AdamW', () => new optimizers.AdamW({ weight_decay: 0.1 } as never), 'AdamW', 'weight_decay', 'weightDecay'],
    ['SGD', () => new optimizers.SGD({ global_clipnorm: 1 } as never), 'SGD', 'global_clipnorm', 'globalClipnorm'],
    ['SGD', () => new optimizers.SGD({ nesterof: true } as never), 'SGD', 'nesterof', 'nesterov'],
    ['Dense', () => new Dense({ units: 2, use_bias: false } as never), 'Dense', 'use_bias', 'useBias'],
    ['Dense', () => new Dense({ unit: 2 } as never), 'Dense', 'unit', 'units'],
    ['Conv2D', () => new layers.Conv2D({ filters: 2, kernel_size: 3 } as never), 'Conv2D', 'kernel_size', 'kernelSize'],
    ['Conv2D', () => new layers.Conv2D({ filters: 2, kernelSize: 3, stride: 2 } as never), 'Conv2D', 'stride', 'strides'],
    ['Dropout', () => new layers.Dropout({ rate: 0.5, noise_shape: null } as never), 'Dropout', 'noise_shape', 'noiseShape'],
    ['Dropout', () => new layers.Dropout({ rat: 0.5 } as never), 'Dropout', 'rat', 'rate'],
    [
      'BatchNormalization',
      () => new layers.BatchNormalization({ moving_mean_initializer: 'zeros' } as never),
      'BatchNormalization',
      'moving_mean_initializer',
      'movingMeanInitializer',
    ],
    ['Flatten', () => new layers.Flatten({ data_format: 'channels_last' } as never), 'Flatten', 'data_format', 'dataFormat'],
    ['MaxPooling2D', () => new layers.MaxPooling2D({ pool_size: 2 } as never), 'MaxPooling2D', 'pool_size', 'poolSize'],
    ['Reshape', () => new layers.Reshape({ target_shape: [2] } as never), 'Reshape', 'target_shape', 'targetShape'],
    ['Activation', () => new layers.Activation({ activation: 'relu', nam: 'a' } as never), 'Activation', 'nam', 'name'],
    ['Input', () => tf.keras.Input({ shape: [3], batch_size: 2 } as never), 'InputLayer', 'batch_size', 'batchSize'],
    ['Input', () => tf.keras.Input({ shape: [3], trainable: false } as never), 'InputLayer', 'trainable', null],
    ['Model', () => new tf.keras.Model({ input: tf.keras.Input([2]) } as never), 'Model', 'input', 'inputs'],
    ['Sequential', () => new tf.keras.Sequential([], { nme: 's' } as never), 'Sequential', 'nme', 'name'],
    ['Sequential', () => new tf.keras.Sequential([], { inputs: [] } as never), 'Sequential', 'inputs', null],
    [
      'SparseCategoricalCrossentropy',
      () => new losses.SparseCategoricalCrossentropy({ from_logits: true } as never),
      'SparseCategoricalCrossentropy',
      'from_logits',
      'fromLogits',
    ],
    [
      'SparseCategoricalCrossentropy',
      () => new losses.SparseCategoricalCrossentropy({ fromLogit: true } as never),
      'SparseCategoricalCrossentropy',
      'fromLogit',
      'fromLogits',
    ],
    [
      'BinaryCrossentropy',
      () => new losses.BinaryCrossentropy({ label_smoothing: 0.1 } as never),
      'BinaryCrossentropy',
      'label_smoothing',
      'labelSmoothing',
    ],
    [
      'MeanSquaredError loss',
      () => new losses.MeanSquaredError({ reductoin: 'sum' } as never),
      'MeanSquaredError',
      'reductoin',
      'reduction',
    ],
    ['BinaryAccuracy', () => new metrics.BinaryAccuracy({ treshold: 0.3 } as never), 'BinaryAccuracy', 'treshold', 'threshold'],
    ['Accuracy', () => new metrics.Accuracy({ Name: 'acc' } as never), 'Accuracy', 'Name', 'name'],
    ['MeanSquaredError metric', () => new metrics.MeanSquaredError({ d_type: 'float32' } as never), 'MeanSquaredError', 'd_type', 'dtype'],
    ['Mean', () => new metrics.Mean({ nam: 'm' } as never), 'Mean', 'nam', 'name'],
    ['RandomNormal', () => new initializers.RandomNormal({ std_dev: 1 } as never), 'RandomNormal', 'std_dev', 'stddev'],
    ['GlorotUniform', () => new initializers.GlorotUniform({ input_axes: [0] } as never), 'GlorotUniform', 'input_axes', 'inputAxes'],
    ['Zeros', () => new initializers.Zeros({ value: 1 } as never), 'Zeros', 'value', null],
    [
      'ExponentialDecay',
      () => new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, staircse: true } as never),
      'ExponentialDecay',
      'staircse',
      'staircase',
    ],
    [
      'CosineDecay',
      () => new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 1, warmup_steps: 2 } as never),
      'CosineDecay',
      'warmup_steps',
      'warmupSteps',
    ],
    ['ReduceLROnPlateau', () => new callbacks.ReduceLROnPlateau({ min_delta: 0.1 } as never), 'ReduceLROnPlateau', 'min_delta', 'minDelta'],
    ['ReduceLROnPlateau', () => new callbacks.ReduceLROnPlateau({ patient: 3 } as never), 'ReduceLROnPlateau', 'patient', 'patience'],
    ['compile', () => model.compile({ optimizer: 'adam', loss: 'mse', metric: ['mae'] } as never), 'compile()', 'metric', 'metrics'],
    ['compile', () => model.compile({ optimizer: 'adam', loss: 'mse', loss_weights: [1] } as never), 'compile()', 'loss_weights', null],
    ['summary', () => model.summary({ line_length: 80 } as never), 'summary()', 'line_length', 'lineLength'],
  ];
  for (const [label, run, owner, key, meant] of cases) {
    assert.doesNotThrow(() => assertUnexpected(run, owner, key, meant), label);
  }
});

test('fit, evaluate and predict reject snake_case and misspelt options before doing any work', async () => {
  const model = smallModel();
  const cases: [Promise<unknown>, string, string, string][] = [
    [model.fit(X, Y, { batch_size: 8 } as never), 'fit()', 'batch_size', 'batchSize'],
    [model.fit(X, Y, { epoch: 2 } as never), 'fit()', 'epoch', 'epochs'],
    [model.fit(X, Y, { validation_split: 0.5 } as never), 'fit()', 'validation_split', 'validationSplit'],
    [model.evaluate(X, Y, { return_dict: true } as never), 'evaluate()', 'return_dict', 'returnDict'],
    [model.evaluate(X, Y, { verbos: 0 } as never), 'evaluate()', 'verbos', 'verbose'],
    [model.predict(X, { batch_size: 4 } as never), 'predict()', 'batch_size', 'batchSize'],
    [model.predict(X, { verbsoe: 0 } as never), 'predict()', 'verbsoe', 'verbose'],
  ];
  for (const [promise, owner, key, meant] of cases) {
    await assert.rejects(promise, {
      name: 'TypeError',
      message: new RegExp(`^${owner.replace(/[()]/g, '\\$&')} got an unexpected option '${key}' \\(did you mean '${meant}'\\?\\)`),
    });
  }
  assert.equal(model.optimizer.iterations.numpy(), 0);
  // A dataset's options go in the second argument and are checked the same way.
  const dataset = tf.data.Dataset.fromTensorSlices([tf.constant(X, 'float32'), tf.constant(Y, 'float32')]).batch(2);
  await assert.rejects(model.fit(dataset, { steps_per_epoch: 1 } as never), {
    name: 'TypeError',
    message: /^fit\(\) got an unexpected option 'steps_per_epoch' \(did you mean 'stepsPerEpoch'\?\)\. Allowed options: batchSize, /,
  });
  const history = await model.fit(X, Y, { batchSize: 2, epochs: 1, verbose: 0 });
  assert.equal(history.history.loss.length, 1);
});

test('a Layer or Model subclass declares the options it passes to super() in optionKeys, or takes them off first', () => {
  assert.equal(new ScaleLayer({ factor: 2, name: 'scaled_probe' }).factor, 2);
  assertUnexpected(() => new ScaleLayer({ factr: 2 } as never), 'ScaleLayer', 'factr', 'factor');
  // A subclass of it inherits the list.
  class MoreScaled extends ScaleLayer {}
  assert.equal(new MoreScaled({ factor: 3 }).factor, 3);

  class Undeclared extends Layer {
    constructor(options: tf.keras.layers.LayerOptions & { units: number }) {
      super(options);
    }
  }
  assertUnexpected(() => new Undeclared({ units: 3 }), 'Undeclared', 'units', null);

  class Popping extends Layer {
    readonly units: number;
    constructor({ units, ...rest }: tf.keras.layers.LayerOptions & { units: number }) {
      super(rest);
      this.units = units;
    }
  }
  assert.equal(new Popping({ units: 4, trainable: false }).units, 4);

  class Tower extends tf.keras.Model {
    readonly hidden: tf.keras.layers.Dense;
    constructor({ width, ...rest }: tf.keras.ModelOptions & { width: number }) {
      super(rest);
      this.hidden = new Dense({ units: width });
    }
  }
  assert.equal(new Tower({ width: 5, name: 'tower' }).hidden.units, 5);
  assertUnexpected(() => new Tower({ width: 5, nmae: 'x' } as never), 'Tower', 'nmae', 'name');
});

test('naming: Keras to_snake_case, and auto names counted per prefix', () => {
  assert.equal(toSnakeCase('MaxPooling2D'), 'max_pooling2d');
  assert.equal(toSnakeCase('InputLayer'), 'input_layer');
  assert.equal(toSnakeCase('SGD'), 'sgd');
  assert.equal(toSnakeCase('AdamW'), 'adam_w');
  assert.equal(toSnakeCase('already_snake'), 'already_snake');
  assert.equal(snakeToCamel('decay_steps'), 'decaySteps');
  assert.equal(snakeToCamel('beta_1'), 'beta1');
  const prefix = `NamingProbe${Date.now()}`;
  const snake = toSnakeCase(prefix);
  assert.deepEqual([autoName(prefix), autoName(prefix), uniquify(snake)], [snake, `${snake}_1`, `${snake}_2`]);
  // Layers, optimizers, losses and metrics all name themselves this way.
  assert.match(new optimizers.AdamW().name, /^adam_w(_\d+)?$/);
  assert.match(new losses.BinaryCrossentropy({ name: undefined }).name, /^binary_crossentropy/);
  class MyProbeLayer extends Layer {}
  assert.deepEqual([new MyProbeLayer().name, new MyProbeLayer().name], ['my_probe_layer', 'my_probe_layer_1']);
});

test('optimizers.get resolves names in any case, dicts and instances; Keras configs deserialize to equal configs', () => {
  assert.ok(optimizers.get('adam') instanceof optimizers.Adam);
  assert.ok(optimizers.get('Adam') instanceof optimizers.Adam);
  assert.ok(optimizers.get('ADAMW') instanceof optimizers.AdamW);
  assert.ok(optimizers.get('sgd') instanceof optimizers.SGD);
  const sgd = new optimizers.SGD();
  assert.equal(optimizers.get(sgd), sgd);
  const fromDict = optimizers.get({ class_name: 'SGD', config: { learning_rate: 0.5, momentum: 0.5 } });
  assert.ok(fromDict instanceof optimizers.SGD);
  assert.equal(fromDict.momentum, 0.5);
  assert.throws(() => optimizers.get('nope'), {
    name: 'RangeError',
    message:
      'Could not interpret optimizer identifier: nope. Valid names: adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, nadam, rmsprop, sgd',
  });
  assert.throws(() => optimizers.get(3 as never), {
    name: 'RangeError',
    message:
      'Could not interpret optimizer identifier: 3. Valid names: adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, nadam, rmsprop, sgd',
  });
  assert.throws(() => optimizers.deserialize({ class_name: 'Nope', config: {} }), {
    name: 'TypeError',
    message:
      "Could not locate optimizer 'Nope'. Valid names: adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, nadam, rmsprop, sgd; a custom class must be registered with registerKerasSerializable().",
  });
  assertUnexpected(() => optimizers.get({ class_name: 'Adam', config: { beta_3: 1 } }), 'Adam', 'beta3', 'beta1');

  const { cases } = fixture('optimizers.json') as { cases: { name: string; config: Record<string, unknown> }[] };
  let checked = 0;
  for (const { name, config } of cases) {
    if (name === 'adam_custom_schedule') continue;
    const className = name.split('_')[0];
    const restored = optimizers.deserialize({ module: 'keras.optimizers', class_name: className, config, registered_name: null });
    assert.deepEqual(restored.getConfig(), config, name);
    assert.deepEqual(optimizers.serialize(restored).config, config, name);
    checked++;
  }
  assert.ok(checked >= 14);
  assert.throws(() => optimizers.SGD.fromConfig({ gradient_accumulation_steps: 1 }), {
    name: 'RangeError',
    message: /^`gradientAccumulationSteps` must be an integer >= 2\. Received: gradientAccumulationSteps=1/,
  });
  // compile() takes any of these.
  const model = smallModel();
  model.compile({ optimizer: { class_name: 'adam', config: { learning_rate: 0.25 } }, loss: 'mse' });
  assert.ok(Math.abs(model.optimizer.learningRate.numpy() - 0.25) < 1e-7);
});

test('serialize → deserialize gives an equal config in every family', () => {
  const roundTrip = <T extends { getConfig(): Record<string, unknown> }>(
    family: { serialize(x: T): tf.keras.saving.SerializedKerasObject; deserialize(d: tf.keras.saving.SerializedLike): T },
    object: T,
  ): T => {
    const serialized = family.serialize(object);
    assert.equal(serialized.class_name, object.constructor.name);
    assert.equal(serialized.registered_name, null, `${object.constructor.name} is a built-in`);
    const restored = family.deserialize(JSON.parse(JSON.stringify(serialized)));
    assert.equal(restored.constructor, object.constructor);
    assert.deepEqual(restored.getConfig(), object.getConfig(), object.constructor.name);
    return restored;
  };
  roundTrip(initializers, new initializers.VarianceScaling({ scale: 2, mode: 'fan_out', seed: 4 }));
  roundTrip(initializers, new initializers.Constant({ value: 2 }));
  roundTrip(schedules, new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: 2, cycle: true }));
  roundTrip(optimizers, new optimizers.Adam({ learningRate: 0.02, beta1: 0.8, amsgrad: true, clipnorm: 1 }));
  const scheduled = roundTrip(
    optimizers,
    new optimizers.SGD({
      learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
      momentum: 0.9,
    }),
  );
  assert.ok(scheduled.learningRate.schedule instanceof schedules.ExponentialDecay);
  roundTrip(optimizers, new optimizers.AdamW({ weightDecay: 0.1 }));
  for (const loss of [
    new losses.MeanSquaredError({ reduction: 'sum' }),
    new losses.MeanAbsoluteError({ name: 'l1' }),
    new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    new losses.CategoricalCrossentropy({ labelSmoothing: 0.2 }),
    new losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
  ]) {
    roundTrip(losses, loss);
  }
  assert.deepEqual(new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).getConfig(), {
    name: 'binary_crossentropy',
    reduction: 'sum_over_batch_size',
    from_logits: true,
    label_smoothing: 0.1,
  });
  for (const metric of [
    new metrics.Accuracy({ name: 'acc' }),
    new metrics.BinaryAccuracy({ threshold: 0.3 }),
    new metrics.CategoricalAccuracy(),
    new metrics.SparseCategoricalAccuracy(),
    new metrics.Mean({ name: 'avg' }),
    new metrics.MeanAbsoluteError(),
    new metrics.MeanSquaredError({ name: 'm' }),
  ]) {
    roundTrip(metrics, metric);
  }
  assert.equal(
    (metrics.deserialize(metrics.serialize(new metrics.BinaryAccuracy({ threshold: 0.3 }))) as tf.keras.metrics.BinaryAccuracy).threshold,
    0.3,
  );
  assert.equal(activations.serialize(activations.relu), 'relu');
  assert.equal(activations.deserialize('gelu'), activations.gelu);
  assert.throws(() => activations.deserialize('nope'), {
    name: 'RangeError',
    message: 'Could not interpret activation function identifier: nope',
  });
  roundTrip(
    layers,
    new layers.Conv2D({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same', activation: 'relu', kernelInitializer: 'he_normal' }),
  );
  roundTrip(layers, new layers.Dropout({ rate: 0.25, noiseShape: [null, 1], seed: 2 }));
  roundTrip(layers, new layers.Dense({ units: 2, inputShape: [3], dtype: 'float64' }));
});

test('Keras layer configs deserialize to layers whose getConfig() is that config', () => {
  const configs = fixture('keras_layers.json').layers.configs as Record<string, Record<string, unknown>>;
  for (const [className, config] of Object.entries(configs)) {
    const layer = layers.deserialize({ module: 'keras.layers', class_name: className, config, registered_name: null });
    assert.equal(layer.constructor.name, className);
    assert.deepEqual(layer.getConfig(), config, className);
  }
  assert.throws(() => Dense.fromConfig({ ...configs.Dense, quantization_config: 'int8' }), {
    name: 'RangeError',
    message: "Dense does not support `quantization_config` other than null. Received: quantization_config='int8'",
  });
  assert.ok(Dense.fromConfig({ ...configs.Dense, kernel_regularizer: 'l2' }).kernelRegularizer instanceof tf.keras.regularizers.L2);
  assertUnexpected(() => Dense.fromConfig({ ...configs.Dense, lora_rank: null }), 'Dense', 'loraRank', null);
});

test('a built layer serializes its build_config and deserializes built; Sequential round-trips with its layers', () => {
  const dense = new Dense({ units: 3, name: 'built_dense' });
  dense.build([null, 4]);
  const serialized = layers.serialize(dense);
  assert.deepEqual(serialized.build_config, { input_shape: [null, 4] });
  const restored = layers.deserialize(serialized) as tf.keras.layers.Dense;
  assert.equal(restored.built, true);
  assert.deepEqual(restored.kernel.shape, [4, 3]);

  const model = new tf.keras.Sequential(
    [
      tf.keras.Input({ shape: [4], name: 'rt_in' }),
      new Dense({ units: 3, activation: 'relu' }),
      new layers.Dropout({ rate: 0.1 }),
      new Dense({ units: 1 }),
    ],
    { name: 'rt' },
  );
  const config = saving.serializeKerasObject(model);
  assert.equal(config.module, 'keras');
  assert.equal(config.class_name, 'Sequential');
  const copy = saving.deserializeKerasObject<tf.keras.Sequential>(JSON.parse(JSON.stringify(config)));
  assert.ok(copy instanceof tf.keras.Sequential);
  assert.deepEqual(copy.getConfig(), model.getConfig());
  assert.equal(copy.countParams(), model.countParams());
  assert.deepEqual(copy.predictOnBatch(tf.ones([2, 4])).shape, [2, 1]);
  // Without an Input, build_input_shape builds it.
  const deferred = new tf.keras.Sequential([new Dense({ units: 2 })], { name: 'deferred' });
  deferred.build([null, 3]);
  const rebuilt = tf.keras.Sequential.fromConfig(deferred.getConfig());
  assert.equal(rebuilt.built, true);
  assert.deepEqual(rebuilt.getConfig(), deferred.getConfig());
});

test('registerKerasSerializable: user classes and functions round-trip by registered name', () => {
  assert.equal(tf.keras.utils.registerKerasSerializable, saving.registerKerasSerializable);

  const layer = new ScaleLayer({ factor: 3, name: 'scale3' });
  const unregistered = layers.serialize(layer);
  assert.deepEqual([unregistered.module, unregistered.registered_name], [null, 'ScaleLayer']);
  assert.throws(() => layers.deserialize(unregistered), {
    name: 'TypeError',
    message:
      'Cannot deserialize object of type `ScaleLayer`. If `ScaleLayer` is a custom class, please register it using `registerKerasSerializable()`.',
  });

  assert.equal(saving.registerKerasSerializable('OptionsTest')(ScaleLayer), ScaleLayer);
  assert.equal(saving.getRegisteredName(ScaleLayer), 'OptionsTest>ScaleLayer');
  assert.equal(saving.getRegisteredObject('OptionsTest>ScaleLayer'), ScaleLayer);
  const serialized = layers.serialize(layer);
  assert.deepEqual(serialized, {
    module: null,
    class_name: 'ScaleLayer',
    config: layer.getConfig(),
    registered_name: 'OptionsTest>ScaleLayer',
  });
  const restored = layers.deserialize(JSON.parse(JSON.stringify(serialized)));
  assert.ok(restored instanceof ScaleLayer);
  assert.equal(restored.factor, 3);
  assert.deepEqual(restored.apply([[1, 2]]).arraySync(), [[3, 6]]);
  // A user layer inside a Sequential comes back with it.
  const model = new tf.keras.Sequential([tf.keras.Input([2]), new ScaleLayer({ factor: 2 })]);
  const copy = tf.keras.Sequential.fromConfig(JSON.parse(JSON.stringify(model.getConfig())));
  assert.ok(copy.layers[0] instanceof ScaleLayer);

  // Functions: a registered loss and activation are found by their registered names.
  const halfSquared = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.multiply(0.5, tf.square(tf.subtract(yPred, yTrue)));
  saving.registerKerasSerializable('OptionsTest', 'half_squared')(halfSquared);
  const loss = losses.get('OptionsTest>half_squared');
  assert.ok(loss instanceof losses.LossFunctionWrapper);
  assert.equal(loss.apply([[1]], [[3]]).numpy(), 2);
  function doubled(x: tf.Tensor): tf.Tensor {
    return tf.multiply(x, 2);
  }
  saving.registerKerasSerializable('OptionsTest')(doubled);
  assert.equal(activations.serialize(doubled), 'OptionsTest>doubled');
  assert.equal(activations.get('OptionsTest>doubled'), doubled);
  const dense = new Dense({ units: 1, activation: doubled, kernelInitializer: 'ones' });
  const denseCopy = Dense.fromConfig(JSON.parse(JSON.stringify(dense.getConfig())));
  assert.equal(denseCopy.activation, doubled);

  // A registered optimizer subclass is what compile() gets for its registered name.
  class HalfSGD extends optimizers.SGD {}
  saving.registerKerasSerializable('OptionsTest')(HalfSGD);
  assert.ok(optimizers.get('OptionsTest>HalfSGD') instanceof HalfSGD);
  assert.ok(optimizers.deserialize(optimizers.serialize(new HalfSGD({ momentum: 0.5 }))) instanceof HalfSGD);
  // As a decorator.
  @saving.registerKerasSerializable('OptionsTest')
  class Decorated extends losses.MeanSquaredError {}
  assert.equal(saving.getRegisteredName(Decorated), 'OptionsTest>Decorated');
  assert.ok(losses.get('OptionsTest>Decorated') instanceof Decorated);
  assert.ok(losses.deserialize(losses.serialize(new Decorated({ reduction: 'sum' }))) instanceof Decorated);
  // A registered metric and initializer likewise.
  class Halves extends initializers.Constant {
    constructor(options: tf.keras.initializers.ConstantOptions = {}) {
      super({ value: 0.5, ...options });
    }
  }
  saving.registerKerasSerializable('OptionsTest')(Halves);
  assert.ok(initializers.get('OptionsTest>Halves') instanceof Halves);
  class Hits extends metrics.BinaryAccuracy {}
  saving.registerKerasSerializable('OptionsTest')(Hits);
  assert.ok(metrics.get('OptionsTest>Hits') instanceof Hits);
  assert.ok(metrics.deserialize(metrics.serialize(new Hits({ threshold: 0.2 }))) instanceof Hits);
});

test('registration and deserialization errors are clear', () => {
  class NoConfig {}
  assert.throws(() => saving.registerKerasSerializable()(NoConfig), {
    name: 'TypeError',
    message: 'Cannot register a class that does not have a getConfig() method.',
  });
  assert.throws(() => saving.registerKerasSerializable()(42 as never), { name: 'TypeError', message: /registers classes and functions/ });
  class Twin extends Layer {}
  class OtherTwin extends Layer {}
  saving.registerKerasSerializable('OptionsTwins', 'Twin')(Twin);
  saving.registerKerasSerializable('OptionsTwins', 'Twin')(Twin);
  assert.throws(() => saving.registerKerasSerializable('OptionsTwins', 'Twin')(OtherTwin), {
    name: 'RangeError',
    message: 'OptionsTwins>Twin has already been registered to Twin.',
  });

  assert.throws(() => saving.deserializeKerasObject({ module: 'keras.layers', class_name: 'Nope', config: {}, registered_name: null }), {
    name: 'TypeError',
    message: /^Cannot deserialize object of type `Nope`/,
  });
  assert.throws(() => losses.deserialize({ class_name: 'Nope', config: {} }), {
    name: 'TypeError',
    message: /^Cannot deserialize object of type `Nope`/,
  });
  assert.throws(() => metrics.deserialize({ class_name: 'Nope' }), {
    name: 'TypeError',
    message: /^Cannot deserialize object of type `Nope`/,
  });
  assert.throws(() => layers.deserialize(null as never), {
    name: 'TypeError',
    message: /^A serialized layer must be an object with a string `class_name`/,
  });
  assert.throws(() => layers.deserialize({ class_name: 'Dense', config: 3 as never }), {
    name: 'TypeError',
    message: 'Dense could not be deserialized: its `config` must be an object.',
  });
  // A class of another family is not taken for one of this family.
  assert.throws(() => losses.deserialize({ class_name: 'Accuracy', module: 'keras.metrics', config: {} }), {
    name: 'TypeError',
    message: 'Accuracy is not a Loss: it cannot be deserialized as one.',
  });
  assert.throws(() => saving.serializeKerasObject(3 as never), { name: 'TypeError', message: /only objects with a getConfig\(\) method/ });
  assert.throws(() => losses.LossFunctionWrapper.fromConfig({ name: 'x' }), {
    name: 'TypeError',
    message: /LossFunctionWrapper needs a loss function/,
  });
});
