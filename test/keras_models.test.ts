import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

const { Sequential, Model, Input, layers } = tf.keras;
const { Dense, Dropout, Conv2D, MaxPooling2D, BatchNormalization, Flatten, Reshape } = layers;

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_layers.json'), 'utf8')) as {
  summaries: Record<string, string>;
};

// Keras sizes the summary from the terminal; the fixture was made with COLUMNS=80, as for a pipe.
process.env.COLUMNS = '80';

function summaryOf(model: tf.keras.Model): string {
  let text = '';
  model.summary({ printFn: (t) => (text += t) });
  return text;
}

test("Sequential summary() is Keras' table, before and after fit (optimizer params)", async () => {
  const mlp = new Sequential(
    [
      Input([784]),
      new Dense({ units: 128, activation: 'relu', name: 'hidden' }),
      new Dropout({ rate: 0.2, name: 'drop' }),
      new Dense({ units: 10, activation: 'softmax', name: 'probs' }),
    ],
    { name: 'mlp' },
  );
  assert.equal(summaryOf(mlp), fixture.summaries.sequential_mlp);
  mlp.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  await mlp.fit(tf.zeros([4, 784]), new Int32Array(4), { verbose: 0 });
  assert.equal(summaryOf(mlp), fixture.summaries.sequential_mlp_after_fit);
});

test('summary() of a CNN, a functional model and an unbuilt Sequential match Keras', () => {
  const cnn = new Sequential(
    [
      Input([28, 28, 1]),
      new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv' }),
      new MaxPooling2D({ name: 'pool' }),
      new BatchNormalization({ name: 'bn' }),
      new Flatten({ name: 'flatten' }),
      new Dense({ units: 10, name: 'logits' }),
    ],
    { name: 'cnn' },
  );
  assert.equal(summaryOf(cnn), fixture.summaries.sequential_cnn);
  const inputs = Input({ shape: [4], name: 'features' });
  const outputs = new Reshape({ targetShape: [3, 1], name: 'reshape' }).apply(new Dense({ units: 3, name: 'hidden' }).apply(inputs));
  assert.equal(summaryOf(new Model({ inputs, outputs, name: 'func' })), fixture.summaries.functional);
  const sharedInput = Input({ shape: [2], name: 'inp' });
  const shared = new Dense({ units: 2, name: 'shared' });
  const sharedModel = new Model({ inputs: sharedInput, outputs: shared.apply(shared.apply(sharedInput)), name: 'shared_model' });
  assert.equal(summaryOf(sharedModel), fixture.summaries.functional_shared_layer, 'a layer called twice: Keras adds "Connected to"');
  const deferred = new Sequential([new Dense({ units: 3, name: 'first' }), new Dense({ units: 1, name: 'second' })], { name: 'deferred' });
  assert.equal(summaryOf(deferred), fixture.summaries.sequential_unbuilt);
});

test('summary() prints to stdout by default and takes a lineLength', () => {
  const model = new Sequential([Input([2]), new Dense({ units: 1, name: 'only' })], { name: 'narrow' });
  const text = tf.keras.models.summaryText(model, { lineLength: 50 });
  assert.ok(
    text
      .split('\n')
      .slice(1, -5)
      .every((line) => [...line].length === 50),
    text,
  );
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as unknown as typeof process.stdout.write;
  try {
    model.summary();
  } finally {
    process.stdout.write = write;
  }
  assert.equal(written.join(''), summaryOf(model));
});

test('Sequential without an Input builds on its first call; add(), pop(), build()', () => {
  const model = new Sequential();
  assert.match(model.name, /^sequential(_\d+)?$/);
  model.add(new Dense({ units: 4, activation: 'relu' }));
  model.add(new Dense({ units: 2 }));
  assert.equal(model.built, false);
  assert.equal(model.weights.length, 0);
  const y = model.apply(tf.ones([3, 5]));
  assert.deepEqual(y.shape, [3, 2]);
  assert.equal(model.built, true);
  assert.deepEqual(
    model.weights.map((w) => w.shape),
    [[5, 4], [4], [4, 2], [2]],
  );
  assert.deepEqual(
    model.layers.map((l) => l.constructor.name),
    ['Dense', 'Dense'],
  );
  // As in Keras, a Sequential built by a call takes that call's batch size into its graph.
  assert.deepEqual(model.outputs[0].shape, [3, 2]);
  assert.deepEqual(model.apply(tf.ones([4, 5])).shape, [4, 2]);
  const removed = model.pop();
  assert.equal(removed.constructor.name, 'Dense');
  assert.deepEqual(model.apply(tf.ones([3, 5])).shape, [3, 4]);
  const built = new Sequential([new Dense({ units: 3 })]);
  built.build([null, 7]);
  assert.equal(built.countParams(), 24);
  const fromInputShape = new Sequential([new Dense({ units: 3, inputShape: [6] })]);
  assert.deepEqual(fromInputShape.inputs[0].shape, [null, 6]);
  assert.equal(fromInputShape.countParams(), 21);
  assert.throws(() => new Sequential([Input([2]), Input([3])]), /an InputLayer can only come first/);
  assert.throws(() => model.add('dense' as never), /Only instances of Layer can be added to a Sequential model/);
});

test('functional Model: inputs, outputs, layers (InputLayer first), call, apply and nesting', () => {
  const inputs = Input([6]);
  const hidden = new Dense({ units: 4, activation: 'tanh', name: 'f_hidden' }).apply(inputs);
  const outputs = new Dense({ units: 2, name: 'f_out' }).apply(hidden);
  const model = new Model({ inputs, outputs });
  assert.match(model.name, /^functional(_\d+)?$/);
  assert.deepEqual(model.inputs, [inputs]);
  assert.deepEqual(model.outputs, [outputs]);
  assert.deepEqual(
    model.layers.map((l) => l.constructor.name),
    ['InputLayer', 'Dense', 'Dense'],
  );
  assert.equal(model.getLayer('f_out').name, 'f_out');
  const x = tf.ones([3, 6]);
  const y = model.apply(x);
  assert.deepEqual(y.shape, [3, 2]);
  assert.deepEqual(model.call(x, { training: true }).arraySync(), y.arraySync());
  // predictOnBatch runs the traced graph, which TF may fuse (MatMul + BiasAdd + Tanh): float32 rounding differs.
  const eager = Array.from(y.dataSync() as Float32Array);
  Array.from(model.predictOnBatch(x).dataSync() as Float32Array).forEach((v, i) =>
    assert.ok(Math.abs(v - eager[i]) < 1e-6, `${v} vs ${eager[i]}`),
  );
  // A model is a layer: it can be called on KerasTensors inside another model.
  const outer = Input([6]);
  const wrapped = new Model({ inputs: outer, outputs: new Dense({ units: 1 }).apply(model.apply(outer)) });
  assert.deepEqual(wrapped.apply(x).shape, [3, 1]);
  assert.equal(wrapped.trainableWeights.length, 6);
  assert.throws(() => model.getLayer('nope'), /No such layer: nope/);
});

test('functional Model: wrong input shapes, duplicate names, disconnected graphs and no outputs are errors', () => {
  const inputs = Input([4]);
  const model = new Model({ inputs, outputs: new Dense({ units: 1 }).apply(inputs) });
  assert.throws(() => model.apply(tf.ones([8, 5])), {
    message: `Input 0 with name '${inputs.node.layer.name}' of layer '${model.name}' is incompatible with the layer: expected shape=(None, 4), found shape=(8, 5)`,
  });
  const a = Input([2]);
  const dup = new Dense({ units: 2, name: 'same' }).apply(a);
  assert.throws(
    () => new Model({ inputs: a, outputs: new Dense({ units: 2, name: 'same' }).apply(dup) }),
    /The name "same" is used 2 times in the model/,
  );
  const other = Input([2]);
  assert.throws(() => new Model({ inputs: a, outputs: new Dense({ units: 1 }).apply(other) }), /Graph disconnected/);
  // Several outputs are fine (test/keras_multi_io.test.ts); none is not.
  assert.throws(() => new Model({ inputs: a, outputs: [] }), {
    name: 'RangeError',
    message: 'A functional Model needs at least one of `outputs`.',
  });
  assert.throws(() => new Model({ inputs: a } as never), /needs both `inputs` and `outputs`/);
});

test('getWeights() / setWeights(): round trip with nested arrays or tensors, Keras errors on count and shape', () => {
  const model = new Sequential([Input([3]), new Dense({ units: 2, name: 'w_dense' }), new BatchNormalization({ name: 'w_bn' })], {
    name: 'weights_model',
  });
  const values = model.getWeights();
  assert.deepEqual(
    values.map((v) => v.shape),
    [[3, 2], [2], [2], [2], [2], [2]],
  );
  const kernel = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  model.setWeights([kernel, [0.5, -0.5], [1, 1], [0, 0], [0, 0], tf.ones([2])]);
  assert.deepEqual(model.getWeights()[0].arraySync(), kernel);
  model.setWeights(values);
  assert.deepEqual(model.getWeights()[0].arraySync(), values[0].arraySync());
  assert.throws(() => model.setWeights([kernel]), {
    message:
      "You called `set_weights(weights)` on layer 'weights_model' with a weight list of length 1, but the layer was expecting 6 weights.",
  });
  assert.throws(() => model.setWeights([[[1, 2, 3]], [0, 0], [1, 1], [0, 0], [0, 0], [1, 1]]), {
    message:
      "Layer 'weights_model' weight 'w_dense/kernel' has shape (3, 2), which is not compatible with the provided weight shape (1, 3).",
  });
  assert.throws(
    () => model.setWeights([kernel, [0, 0, 0], [1, 1], [0, 0], [0, 0], [1, 1]]),
    /weight 'w_dense\/bias' has shape \(2,\).*\(3,\)/,
  );
  // A float64 tensor is cast like Keras' numpy conversion.
  model.setWeights([tf.constant(kernel, 'float64'), [0, 0], [1, 1], [0, 0], [0, 0], [1, 1]]);
  assert.equal(model.getWeights()[0].dtype, 'float32');
});

test('trainableVariables, nonTrainableVariables and variables (seed states included, as in Keras)', () => {
  const model = new Sequential([Input([3]), new Dense({ units: 2 }), new BatchNormalization(), new Dropout({ rate: 0.5, seed: 1 })]);
  assert.equal(model.trainableVariables.length, 4);
  assert.equal(model.nonTrainableWeights.length, 2);
  assert.equal(model.nonTrainableVariables.length, 3);
  assert.equal(model.variables.length, 7);
  assert.equal(model.weights.length, 6);
  model.layers[0].trainable = false;
  assert.equal(model.trainableVariables.length, 2);
  model.trainable = false;
  assert.equal(model.trainableVariables.length, 0);
  assert.equal(model.nonTrainableWeights.length, 6);
});

test('call(x, {training}) switches Dropout; apply() runs in inference mode', () => {
  const model = new Sequential([Input([200]), new Dropout({ rate: 0.5, seed: 3 })]);
  const x = tf.ones([1, 200]);
  assert.deepEqual(model.apply(x).arraySync(), x.arraySync());
  assert.deepEqual(model.call(x, { training: false }).arraySync(), x.arraySync());
  const dropped = Array.from(model.call(x, { training: true }).dataSync() as Float32Array);
  assert.ok(dropped.some((v) => v === 0) && dropped.some((v) => v === 2));
});

test('a subclassed Model: layers are its Layer properties, call() is its own, it trains', async () => {
  class TwoLayer extends Model {
    readonly first = new Dense({ units: 8, activation: 'tanh', name: 'first' });
    readonly second = new Dense({ units: 1, name: 'second' });
    override call(x: tf.Tensor, options: tf.keras.layers.CallOptions): tf.Tensor {
      return this.second.apply(this.first.apply(x, options), options);
    }
  }
  tf.random.setSeed(7);
  const model = new TwoLayer({ name: 'two_layer' });
  assert.deepEqual(model.layers, [model.first, model.second]);
  assert.deepEqual(model.apply(tf.ones([2, 3])).shape, [2, 1]);
  assert.equal(model.trainableVariables.length, 4);
  model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const x = Array.from({ length: 32 }, (_, i) => [i / 32, 1 - i / 32, 0.5]);
  const y = x.map(([a, b]) => [a - b]);
  const history = await model.fit(x, y, { epochs: 30, shuffle: false, verbose: 0 });
  const loss = history.history.loss;
  assert.ok(loss[29] < loss[0] / 2, `loss ${loss[0]} -> ${loss[29]}`);
  // Keras shows the shapes the layers were built with (the first call's batch of 2), and SGD's 2 variables.
  const summary = summaryOf(model);
  assert.match(summary, /│ first \(Dense\) +│ \(2, 8\) +│ +32 │/);
  assert.match(summary, / Optimizer params: 2 \(12\.00 B\)\n$/);
});

test('Sequential getConfig() lists the layers as Keras serializes them', () => {
  const model = new Sequential([Input({ shape: [4], name: 'cfg_in' }), new Dense({ units: 3, name: 'cfg_dense' })], { name: 'cfg' });
  const config = model.getConfig() as {
    name: string;
    layers: { class_name: string; config: Record<string, unknown>; build_config?: unknown }[];
    build_input_shape: unknown;
  };
  assert.equal(config.name, 'cfg');
  assert.deepEqual(
    config.layers.map((l) => l.class_name),
    ['InputLayer', 'Dense'],
  );
  assert.deepEqual(config.layers[0].config, {
    batch_shape: [null, 4],
    dtype: 'float32',
    sparse: false,
    ragged: false,
    name: 'cfg_in',
    optional: false,
  });
  assert.deepEqual(config.layers[1].build_config, { input_shape: [null, 4] });
  assert.deepEqual(config.build_input_shape, [null, 4]);
});

test('predict, predictOnBatch and a changed model share one predictFunction policy (static first batch, then a free batch dim)', async () => {
  const model = new Sequential([Input([3]), new Dense({ units: 2, kernelInitializer: 'ones', name: 'out' })]);
  const x = tf.ones([10, 3], 'float32');
  const predicted = await model.predict(x, { batchSize: 4, verbose: 0 });
  assert.deepEqual(predicted.shape, [10, 2]);
  assert.deepEqual((predicted.numpy() as number[][])[9], [3, 3]);
  assert.equal(model.predictFunction.tracingCount, 2, 'batches of 4, then the last 2 in the relaxed trace');
  assert.deepEqual(model.predictOnBatch(tf.ones([7, 3], 'float32')).shape, [7, 2]);
  assert.equal(model.predictFunction.tracingCount, 2);
  const before = model.predictFunction;
  model.add(new Dense({ units: 1, kernelInitializer: 'ones', name: 'extra' }));
  assert.notEqual(model.predictFunction, before, 'a changed layer graph gets a new traced step');
  assert.deepEqual(model.predictOnBatch(tf.ones([1, 3], 'float32')).numpy(), [[6]]);
});
