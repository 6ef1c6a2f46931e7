import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { replayCacheSize, REPLAY_CACHE_SIZE } from '../lib/gradient_tape';
import { runtime } from '../lib/runtime';

test('variable.dispose(): later use throws an Error naming it; twice is a no-op; its resource is destroyed', () => {
  const v = new tf.Variable([1, 2, 3], { name: 'disposable', dtype: 'float32' });
  const handle = v.handleOp.name;
  v.dispose();
  v.dispose();
  assert.equal(v.isDisposed, true);
  const disposed = { name: 'Error', message: "Variable 'disposable' was disposed" };
  assert.throws(() => v.numpy(), disposed);
  assert.throws(() => v.assign([4, 5, 6]), disposed);
  assert.throws(() => v.handleOp, disposed);
  assert.throws(() => tf.function(() => v.value())(), disposed);
  assert.match(String(v), /disposed/);
  // The resource is gone from the session: a raw read of the handle fails with TF's error, no abort.
  const graph = runtime.graph;
  const op = graph.operation(handle);
  if (op !== null) {
    const read = graph.addOperation({
      type: 'ReadVariableOp',
      name: runtime.uniqueName('probe'),
      inputs: [{ op, index: 0 }],
      attrs: [['dtype', 'type', 1]],
    });
    assert.throws(() => runtime.session.run({ fetches: [{ op: read, index: 0 }] }), /not found|does not exist|uninitialized/i);
  }
});

test('a tf.function dispose(): later calls throw an Error naming it; twice is a no-op', () => {
  const f = tf.function((x: tf.Tensor) => tf.add(x, 1), { name: 'plus_one' });
  assert.deepEqual((f(tf.tensor([1, 2])) as tf.Tensor).numpy(), [2, 3]);
  f.dispose();
  f.dispose();
  assert.throws(() => f(tf.tensor([1, 2])), { name: 'Error', message: "tf.function 'plus_one' was disposed" });
});

test('compaction: live variables keep their values and names, traces retrace, disposed ones are gone', () => {
  const keep = new tf.Variable([1.5, 2.5], { name: 'survivor' });
  const name = keep.name;
  const bump = tf.function(() => {
    keep.assignAdd([1, 1]);
    return keep.value();
  });
  assert.deepEqual((bump() as tf.Tensor).numpy(), [2.5, 3.5]);
  const writes = keep.writeCount;
  const doomed = Array.from({ length: 50 }, (_, i) => new tf.Variable([i], { name: 'doomed' }));
  for (const v of doomed) v.dispose();
  const before = runtime.compactionCount;
  runtime.compact();
  assert.equal(runtime.compactionCount, before + 1);
  assert.equal(keep.name, name);
  assert.deepEqual(keep.numpy(), [2.5, 3.5]);
  assert.equal(keep.writeCount, writes);
  assert.equal(runtime.graph.operation(doomed[0].name.replace(/:0$/, '')), null);
  assert.deepEqual((bump() as tf.Tensor).numpy(), [3.5, 4.5]);
  assert.equal(bump.tracingCount, 1);
});

test('disposing enough compacts by itself, and the graph stays bounded', () => {
  const before = runtime.compactionCount;
  let peak = 0;
  for (let round = 0; round < 12; ++round) {
    const vs = Array.from({ length: 4 }, () => new tf.Variable(tf.ones([4, 4])));
    const f = tf.function((x: tf.Tensor) => vs.reduce((acc, v) => tf.add(acc, tf.matmul(x, v.value())), x));
    for (let i = 0; i < 5; ++i) f(tf.ones([i + 1, 4]));
    f.dispose();
    for (const v of vs) v.dispose();
    peak = Math.max(peak, runtime.graph.numOperations);
  }
  assert.ok(runtime.compactionCount > before, 'no compaction happened');
  assert.ok(peak < 3000, `the graph grew to ${peak} ops`);
});

test('the eager tape keeps at most REPLAY_CACHE_SIZE replay graphs, none in the runtime graph', () => {
  const w = new tf.Variable(tf.ones([3, 1]));
  const ops = runtime.graph.numOperations;
  for (let batch = 1; batch <= REPLAY_CACHE_SIZE + 8; ++batch) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceSum(tf.matmul(tf.ones([batch, 3]), w.value())));
    const grad = tape.gradient(loss, w) as tf.Tensor;
    assert.deepEqual(grad.numpy(), [[batch], [batch], [batch]]);
  }
  assert.equal(replayCacheSize(), REPLAY_CACHE_SIZE);
  assert.equal(runtime.graph.numOperations, ops);
  w.dispose();
});

const { Sequential, Input, layers, optimizers } = tf.keras;

function smallModel(name?: string): tf.keras.Sequential {
  return new Sequential([Input([4]), new layers.Dense({ units: 8, activation: 'relu' }), new layers.Dense({ units: 1 })], { name });
}

const xs = tf.tensor(
  Array.from({ length: 64 }, (_, i) => [i % 3, (i * 7) % 5, i % 2, 1].map((v) => v / 5)),
  undefined,
  'float32',
);
const ys = tf.tensor(
  Array.from({ length: 64 }, (_, i) => [(i % 3) / 3]),
  undefined,
  'float32',
);

test('model.dispose(): frees its layers, metrics, steps and optimizer; later use throws; another model still trains', async () => {
  const model = smallModel('doomed_model');
  model.compile({ optimizer: new optimizers.Adam(), loss: 'mse', metrics: ['mae'] });
  await model.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0 });
  const owned = [...model.weights, ...model.optimizer.variables, ...model.metrics.flatMap((m) => m.variables)];
  assert.ok(owned.length > 8);
  const optimizer = model.optimizer;
  model.dispose();
  model.dispose();
  assert.ok(owned.every((v) => v.isDisposed));
  await assert.rejects(model.fit(xs, ys, { epochs: 1, verbose: 0 }), { name: 'Error', message: "Model 'doomed_model' was disposed" });
  assert.throws(() => model.predictOnBatch(xs), /was disposed/);
  assert.throws(() => optimizer.iterations.numpy(), /Variable 'adam(_\d+)?\/iteration' was disposed/);
  assert.throws(() => model.layers[0].apply(xs), /Layer 'dense(_\d+)?' was disposed/);

  const other = smallModel();
  other.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await other.fit(xs, ys, { epochs: 3, batchSize: 16, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses[2] < losses[0]);
  other.dispose();
});

test('layer, metric and optimizer dispose() on their own', () => {
  const dense = new layers.Dense({ units: 2 });
  dense.apply(tf.ones([1, 3]));
  const [kernel] = dense.weights;
  dense.dispose();
  dense.dispose();
  assert.equal(kernel.isDisposed, true);
  assert.throws(() => dense.apply(tf.ones([1, 3])), { name: 'Error', message: `Layer '${dense.name}' was disposed` });

  const metric = new tf.keras.metrics.Mean();
  metric.updateState(tf.tensor([1, 2, 3], undefined, 'float32'));
  metric.dispose();
  metric.dispose();
  assert.throws(() => metric.result(), /was disposed/);

  const opt = new optimizers.SGD({ learningRate: 0.1 });
  const w = new tf.Variable(tf.ones([2]));
  opt.applyGradients([[tf.ones([2]), w]]);
  assert.deepEqual(
    Array.from(w.numpy() as number[]),
    [0.9, 0.9].map((v) => Math.fround(v)),
  );
  opt.dispose();
  opt.dispose();
  assert.ok(opt.variables.every((v) => v.isDisposed));
  assert.throws(() => opt.applyGradients([[tf.ones([2]), w]]), /was disposed/);
  assert.equal(w.isDisposed, false);
  w.dispose();
});

test('a shared optimizer is disposed with the last model compiled with it', async () => {
  const shared = new optimizers.Adam();
  const a = smallModel();
  const b = smallModel();
  a.compile({ optimizer: shared, loss: 'mse' });
  b.compile({ optimizer: shared, loss: 'mse' });
  a.dispose();
  assert.equal(shared.iterations.isDisposed, false);
  // Keras builds an optimizer for one set of variables: b is the one that trains with it.
  await b.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0 });
  b.dispose();
  assert.equal(shared.iterations.isDisposed, true);
});

test('a GAN-like custom step trains two models in one tf.function, across compactions and a disposed third model', async () => {
  const generator = new Sequential([Input([2]), new layers.Dense({ units: 4 })]);
  const discriminator = new Sequential([Input([4]), new layers.Dense({ units: 1 })]);
  const gOpt = new optimizers.Adam({ learningRate: 0.01 });
  const dOpt = new optimizers.Adam({ learningRate: 0.01 });
  const step = tf.function((noise: tf.Tensor, real: tf.Tensor) => {
    const dTape = new tf.GradientTape();
    const dLoss = dTape.record(() => {
      const fake = generator.apply(noise);
      const fakeScore = discriminator.apply(fake);
      const realScore = discriminator.apply(real);
      return tf.sub(tf.reduceMean(fakeScore), tf.reduceMean(realScore));
    });
    dOpt.applyGradients(tf.keras.optimizers.zip(dTape.gradient(dLoss, discriminator.trainableVariables), discriminator.trainableVariables));
    const gTape = new tf.GradientTape();
    const gLoss = gTape.record(() => tf.neg(tf.reduceMean(discriminator.apply(generator.apply(noise)))));
    gOpt.applyGradients(tf.keras.optimizers.zip(gTape.gradient(gLoss, generator.trainableVariables), generator.trainableVariables));
    return [dLoss, gLoss];
  });
  const noise = tf.ones([8, 2]);
  const real = tf.ones([8, 4]);
  step(noise, real);
  const kernel = generator.weights[0];
  const before = kernel.numpy();
  // Another model, trained and disposed, then a compaction: the GAN's variables move, its step retraces.
  const third = smallModel();
  third.compile({ optimizer: 'sgd', loss: 'mse' });
  await third.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0 });
  third.dispose();
  runtime.compact();
  assert.deepEqual(kernel.numpy(), before);
  step(noise, real);
  assert.notDeepEqual(kernel.numpy(), before);
  assert.equal(gOpt.iterations.numpy(), 2);
  assert.equal(dOpt.iterations.numpy(), 2);
  for (const x of [generator, discriminator]) x.dispose();
  gOpt.dispose();
  dOpt.dispose();
  step.dispose();
});

test('a sweep of build, compile, fit, dispose keeps the graph from growing', async () => {
  const sizes: number[] = [];
  for (let i = 0; i < 10; ++i) {
    const model = smallModel();
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    await model.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0 });
    model.dispose();
    sizes.push(runtime.graph.numOperations);
  }
  const peak = Math.max(...sizes);
  assert.ok(peak < 3 * Math.max(sizes[0], 256), `graph sizes after each model: ${sizes.join(', ')}`);
});
