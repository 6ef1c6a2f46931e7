import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { readWeightsStore } from '../lib/keras/saving/h5_io_store';
import { optimizerVariables } from '../lib/keras/saving/saveable_walk';
import {
  assertClose,
  makeModel,
  pythonKerasMissing,
  runPythonJson,
  SAVING_FIXTURES,
  savingFixture,
  stateOf,
} from './helpers/saving_fixture';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-weights-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const tempDir = (): string => fs.mkdtempSync(path.join(root, 'case-'));

type CaseName = keyof typeof savingFixture.cases;
const CASES = Object.keys(savingFixture.cases) as CaseName[];

async function trained(name: CaseName): Promise<tf.keras.Model> {
  const model = makeModel(name);
  const c = savingFixture.cases[name];
  await model.fit(tf.tensor(c.x, undefined, 'float32'), tf.tensor(c.y, undefined, 'float32'), {
    batchSize: 4,
    epochs: 1,
    shuffle: false,
    verbose: 0,
  });
  return model;
}

/** The groups, names and shapes of a weights file, without the values (names are auto-made, so only those of the given paths). */
async function layout(file: string): Promise<[string, number[][]][]> {
  const store = await readWeightsStore(file);
  return [...store]
    .map(([key, entry]) => [key, entry.values.map((v) => v.shape)] as [string, number[][]])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

test('.weights.h5 saved by Python loads into the same architecture built in Node: the same predictions', async () => {
  for (const name of CASES) {
    const model = makeModel(name);
    await model.loadWeights(path.join(SAVING_FIXTURES, `${name}.weights.h5`));
    const c = savingFixture.cases[name];
    assertClose(model.predictOnBatch(tf.tensor(c.x, undefined, 'float32')).numpy() as number[][], c.predictions);
    // The optimizer state came too: 4 steps were taken in Python.
    assert.equal(Number(model.optimizer.iterations.numpy()), 4, name);
  }
});

test('Node writes the HDF5 groups, datasets and shapes Keras writes for the same model', async () => {
  const dir = tempDir();
  for (const name of CASES) {
    const model = await trained(name);
    const file = path.join(dir, `${name}.weights.h5`);
    await model.saveWeights(file);
    assert.deepEqual(await layout(file), await layout(path.join(SAVING_FIXTURES, `${name}.weights.h5`)), name);
    const store = await readWeightsStore(file);
    assert.equal(store.get('')?.name, model.name);
    assert.equal(store.get('optimizer')?.name, model.optimizer.name);
    assert.equal(store.get('optimizer')?.values[0].dtype, 'int64');
  }
});

test('a Node round trip through .weights.h5 restores every weight and the optimizer state, so training continues the same', async () => {
  const dir = tempDir();
  for (const name of CASES) {
    const source = await trained(name);
    const file = path.join(dir, `${name}.weights.h5`);
    await source.saveWeights(file);
    const copy = makeModel(name);
    await copy.loadWeights(file); // builds the optimizer's slots from the file
    assert.deepEqual(stateOf(copy), stateOf(source), name);
    const c = savingFixture.cases[name];
    const x = tf.tensor(c.x, undefined, 'float32');
    const y = tf.tensor(c.y, undefined, 'float32');
    const a = await source.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 });
    const b = await copy.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 });
    assert.deepEqual(b.history.loss, a.history.loss, name);
  }
});

test('a path without .weights.h5 is a TF checkpoint: a Node round trip restores weights and optimizer state', async () => {
  const dir = tempDir();
  const source = await trained('conv_bn');
  const prefix = path.join(dir, 'ckpt', 'weights');
  await source.saveWeights(prefix);
  assert.ok(fs.existsSync(`${prefix}.index`));
  const copy = makeModel('conv_bn');
  await copy.loadWeights(prefix);
  assert.deepEqual(stateOf(copy), stateOf(source));
});

test('saveWeights writes atomically: nothing is left beside the file, and a failed save keeps the old file', async () => {
  const dir = tempDir();
  const model = await trained('sequential_mlp');
  const file = path.join(dir, 'm.weights.h5');
  await model.saveWeights(file);
  await model.saveWeights(file);
  assert.deepEqual(fs.readdirSync(dir), ['m.weights.h5']);
  const before = fs.readFileSync(file);
  fs.mkdirSync(path.join(dir, 'taken.weights.h5'));
  await assert.rejects(model.saveWeights(path.join(dir, 'taken.weights.h5')), { name: 'TypeError', message: /is a directory/ });
  assert.deepEqual(fs.readFileSync(file), before);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['m.weights.h5', 'taken.weights.h5']);
});

test('bad input: missing or damaged files, the wrong model, an unbuilt model are typed errors that change no weight', async () => {
  const dir = tempDir();
  const model = await trained('sequential_mlp');
  const state = stateOf(model);
  await assert.rejects(model.loadWeights(path.join(dir, 'missing.weights.h5')), { name: 'NotFoundError', message: /No such file/ });
  const garbage = path.join(dir, 'garbage.weights.h5');
  fs.writeFileSync(garbage, 'not hdf5 at all');
  await assert.rejects(model.loadWeights(garbage), { name: 'DataLossError', message: /not an HDF5 file/ });
  const truncated = path.join(dir, 'truncated.weights.h5');
  fs.writeFileSync(truncated, fs.readFileSync(path.join(SAVING_FIXTURES, 'sequential_mlp.weights.h5')).subarray(0, 3000));
  await assert.rejects(model.loadWeights(truncated), { name: 'DataLossError' });
  // Another architecture: its first layer matches, the second does not; nothing may change.
  await assert.rejects(model.loadWeights(path.join(SAVING_FIXTURES, 'conv_bn.weights.h5')), {
    name: 'InvalidArgumentError',
    message: /cannot load variable 0 .* the file holds shape \[12, 2\], the variable has shape \[4, 8\]/,
  });
  const wider = new tf.keras.Sequential([
    tf.keras.Input([4]),
    new tf.keras.layers.Dense({ units: 8 }),
    new tf.keras.layers.Dense({ units: 3 }),
  ]);
  const widerFile = path.join(dir, 'wider.weights.h5');
  await wider.saveWeights(widerFile);
  await assert.rejects(model.loadWeights(widerFile), {
    name: 'InvalidArgumentError',
    message: /cannot load variable 0 .* the file holds shape \[8, 3\], the variable has shape \[8, 2\]/,
  });
  assert.deepEqual(stateOf(model), state);
  // A fresh model's optimizer makes no slots for a file that does not fit.
  const fresh = makeModel('sequential_mlp');
  await assert.rejects(fresh.loadWeights(path.join(SAVING_FIXTURES, 'conv_bn.weights.h5')), { name: 'InvalidArgumentError' });
  assert.equal(fresh.optimizer.built, false);
  await assert.rejects(model.saveWeights(path.join(dir, 'm.keras')), { name: 'RangeError', message: /does not write \.keras files/ });
  await assert.rejects(model.saveWeights(''), { name: 'TypeError' });
  const unbuilt = new tf.keras.Sequential([new tf.keras.layers.Dense({ units: 2 })]);
  await assert.rejects(unbuilt.saveWeights(path.join(dir, 'u.weights.h5')), { name: 'RangeError', message: /has not yet been built/ });
  await assert.rejects(model.loadWeights(path.join(dir, 'no-such-checkpoint')), { name: 'NotFoundError' });
});

test('Python Keras loads the .weights.h5 Node saved: the same predictions and optimizer iterations', async (t) => {
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const dir = tempDir();
  for (const name of CASES) {
    const model = await trained(name);
    const file = path.join(dir, `${name}.weights.h5`);
    await model.saveWeights(file);
    const c = savingFixture.cases[name];
    const expected = model.predictOnBatch(tf.tensor(c.x, undefined, 'float32')).numpy() as number[][];
    const script = `
import sys, json, numpy as np, keras
sys.path.insert(0, sys.argv[3])
from saving_reference import ${name}
model = ${name}()
model.optimizer.build(model.trainable_variables)
model.load_weights(sys.argv[1])
x = np.array(json.loads(sys.argv[2]), dtype='float32')
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist(), "iterations": int(model.optimizer.iterations.numpy())}))
`;
    const generators = path.join(SAVING_FIXTURES, '..', 'generators');
    const out = runPythonJson<{ predictions: number[][]; iterations: number }>(script, file, JSON.stringify(c.x), generators);
    assertClose(out.predictions, expected);
    assert.equal(out.iterations, 2, name);
  }
});

test('a TF checkpoint written by Python (tf.train.Checkpoint(model=..., optimizer=...)) loads into the Node model: the same predictions', async () => {
  for (const name of CASES) {
    const model = makeModel(name);
    await model.loadWeights(path.join(SAVING_FIXTURES, `${name}_ckpt`));
    const c = savingFixture.cases[name];
    assertClose(model.predictOnBatch(tf.tensor(c.x, undefined, 'float32')).numpy() as number[][], c.predictions);
    assert.equal(Number(model.optimizer.iterations.numpy()), 4, name);
  }
  // And training resumes as in Python, slots included.
  const model = makeModel('sequential_mlp');
  await model.loadWeights(path.join(SAVING_FIXTURES, 'sequential_mlp_ckpt'));
  const c = savingFixture.cases.sequential_mlp;
  const history = await model.fit(tf.tensor(c.x, undefined, 'float32'), tf.tensor(c.y, undefined, 'float32'), {
    batchSize: 4,
    epochs: savingFixture.next_epochs,
    shuffle: false,
    verbose: 0,
  });
  assertClose(history.history.loss as number[], c.next_losses);
});

test('tf.train.Checkpoint tracks models: Python names and object graph, a round trip restores model and optimizer', async () => {
  const dir = tempDir();
  const source = await trained('conv_bn');
  const checkpoint = new tf.train.Checkpoint({ model: source, optimizer: source.optimizer });
  const saved = checkpoint.save(path.join(dir, 'ckpt'));
  const keys = tf.train.listVariables(saved).map(([key]) => key);
  assert.ok(keys.includes('_CHECKPOINTABLE_OBJECT_GRAPH'));
  assert.ok(keys.includes('save_counter/.ATTRIBUTES/VARIABLE_VALUE'));
  assert.ok(keys.includes('model/_functional/_operations/1/_kernel/.ATTRIBUTES/VARIABLE_VALUE'), keys.join('\n'));
  assert.ok(keys.includes('model/_functional/_operations/2/moving_variance/.ATTRIBUTES/VARIABLE_VALUE'));
  // The optimizer is reached first as the root's child, so its values are keyed there (as Python keys them).
  assert.ok(keys.includes('optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE'));
  const copy = makeModel('conv_bn');
  new tf.train.Checkpoint({ model: copy, optimizer: copy.optimizer }).restore(saved);
  assert.deepEqual(stateOf(copy), stateOf(source));
  // A missing value is a NotFoundError that changes nothing.
  const other = makeModel('sequential_mlp');
  const before = stateOf(other);
  assert.throws(() => new tf.train.Checkpoint({ model: other }).restore(saved), { name: 'NotFoundError' });
  assert.deepEqual(stateOf(other), before);
});

test('Python restores the TF checkpoint Node saved with tf.train.Checkpoint(model=model).restore(): assert_consumed passes, same predictions', async (t) => {
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const dir = tempDir();
  for (const name of CASES) {
    const model = await trained(name);
    const prefix = path.join(dir, `${name}_ckpt`);
    await model.saveWeights(prefix);
    const c = savingFixture.cases[name];
    const expected = model.predictOnBatch(tf.tensor(c.x, undefined, 'float32')).numpy() as number[][];
    const script = `
import sys, json, numpy as np, keras, tensorflow as tf
sys.path.insert(0, sys.argv[3])
from saving_reference import ${name}
model = ${name}()
model.optimizer.build(model.trainable_variables)
tf.train.Checkpoint(model=model).restore(sys.argv[1]).assert_consumed()
x = np.array(json.loads(sys.argv[2]), dtype='float32')
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist(), "iterations": int(model.optimizer.iterations.numpy())}))
`;
    const out = runPythonJson<{ predictions: number[][]; iterations: number }>(
      script,
      prefix,
      JSON.stringify(c.x),
      path.join(SAVING_FIXTURES, '..', 'generators'),
    );
    assertClose(out.predictions, expected);
    assert.equal(out.iterations, 2, name);
  }
  // tf.train.Checkpoint({model, optimizer}).save() in Node, Checkpoint(model=..., optimizer=...).restore() in Python.
  const model = await trained('conv_bn');
  const saved = new tf.train.Checkpoint({ model, optimizer: model.optimizer }).save(path.join(dir, 'both', 'ckpt'));
  const c = savingFixture.cases.conv_bn;
  const script = `
import sys, json, numpy as np, keras, tensorflow as tf
sys.path.insert(0, sys.argv[3])
from saving_reference import conv_bn
model = conv_bn()
model.optimizer.build(model.trainable_variables)
checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
checkpoint.restore(sys.argv[1]).assert_consumed()
x = np.array(json.loads(sys.argv[2]), dtype='float32')
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist(), "save_counter": int(checkpoint.save_counter.numpy())}))
`;
  const out = runPythonJson<{ predictions: number[][]; save_counter: number }>(
    script,
    saved,
    JSON.stringify(c.x),
    path.join(SAVING_FIXTURES, '..', 'generators'),
  );
  assertClose(out.predictions, model.predictOnBatch(tf.tensor(c.x, undefined, 'float32')).numpy() as number[][]);
  assert.equal(out.save_counter, 1);
});

test("each optimizer's variables are saved in Keras' order (iterations, learning rate, slots as Keras builds them)", () => {
  const O = tf.keras.optimizers;
  const make: Record<string, () => tf.keras.optimizers.Optimizer> = {
    SGD: () => new O.SGD({ momentum: 0.9 }),
    Adam: () => new O.Adam({ amsgrad: true }),
    RMSprop: () => new O.RMSprop({ momentum: 0.5, centered: true }),
    Nadam: () => new O.Nadam(),
    Adagrad: () => new O.Adagrad(),
    Adadelta: () => new O.Adadelta(),
    Adamax: () => new O.Adamax(),
    AdamW: () => new O.AdamW({ amsgrad: true }),
    Ftrl: () => new O.Ftrl(),
    Lion: () => new O.Lion(),
    Lamb: () => new O.Lamb(),
    Adafactor: () => new O.Adafactor(),
    AdamEma: () => new O.Adam({ useEma: true }),
  };
  const expected = savingFixture.optimizer_variables;
  assert.deepEqual(Object.keys(make).sort(), Object.keys(expected).sort());
  const w = new tf.Variable(tf.zeros([2, 3]));
  const w2 = new tf.Variable(tf.zeros([3]));
  for (const [name, create] of Object.entries(make)) {
    const optimizer = create();
    optimizer.build([w, w2]);
    assert.deepEqual(
      optimizerVariables(optimizer).map((v) => v.shape),
      expected[name],
      name,
    );
  }
});
