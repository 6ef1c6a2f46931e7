import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';

import * as tf from '../lib';
import { Layer } from '../lib/keras/layers/layer';
import { readWeightsStore } from '../lib/keras/saving/h5_io_store';
import {
  assertClose,
  makeModel,
  pythonKerasMissing,
  runPythonJson,
  SAVING_FIXTURES,
  savingFixture,
  stateOf,
} from './helpers/saving_fixture';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-keras-file-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const tempDir = (): string => fs.mkdtempSync(path.join(root, 'case-'));

type CaseName = keyof typeof savingFixture.cases;
const CASES = Object.keys(savingFixture.cases) as CaseName[];
const data = (name: CaseName) => {
  const c = savingFixture.cases[name];
  return [tf.tensor(c.x, undefined, 'float32'), tf.tensor(c.y, undefined, 'float32')] as const;
};
const FIT = { batchSize: 4, shuffle: false, verbose: 0 } as const;

test('.keras files saved by Python load in Node: Keras classes, the same predictions, and training resumes with the same losses', async () => {
  for (const name of CASES) {
    const model = await tf.keras.models.loadModel(path.join(SAVING_FIXTURES, `${name}.keras`));
    assert.equal(model.constructor.name, name === 'functional_mlp' ? 'Functional' : 'Sequential');
    assert.equal(model.name, name);
    const [x, y] = data(name);
    const c = savingFixture.cases[name];
    assertClose(model.predictOnBatch(x).numpy() as number[][], c.predictions);
    assert.equal(Number(model.optimizer.iterations.numpy()), 4);
    const history = await model.fit(x, y, { ...FIT, epochs: savingFixture.next_epochs });
    assertClose(history.history.loss as number[], c.next_losses);
  }
});

test('the .keras zip Node writes: metadata.json, config.json (with compile_config), model.weights.h5', async () => {
  const dir = tempDir();
  const model = makeModel('functional_mlp');
  const file = path.join(dir, 'm.keras');
  await model.save(file);
  const entries = unzipSync(fs.readFileSync(file));
  assert.deepEqual(Object.keys(entries).sort(), ['config.json', 'metadata.json', 'model.weights.h5']);
  const metadata = JSON.parse(new TextDecoder().decode(entries['metadata.json']));
  assert.equal(metadata.keras_version, '3.15.1');
  assert.match(metadata.date_saved, /^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
  const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
  assert.equal(config.class_name, 'Functional');
  assert.equal(config.module, 'keras.src.models.functional');
  assert.deepEqual(config.config.input_layers, [model.layers[0].name, 0, 0]);
  assert.equal(config.config.layers[1].inbound_nodes[0].args[0].class_name, '__keras_tensor__');
  assert.equal(config.compile_config.optimizer.class_name, 'SGD');
  assert.equal(config.compile_config.optimizer.config.learning_rate.class_name, 'ExponentialDecay');
  assert.equal(config.compile_config.loss, 'mse');
  assert.deepEqual(config.compile_config.metrics, ['mae']);
  // The same layout as Python's file for the same model.
  const python = JSON.parse(
    new TextDecoder().decode(unzipSync(fs.readFileSync(path.join(SAVING_FIXTURES, 'functional_mlp.keras')))['config.json']),
  );
  assert.deepEqual(Object.keys(config).sort(), Object.keys(python).sort());
  assert.deepEqual(Object.keys(config.config).sort(), Object.keys(python.config).sort());
  assert.deepEqual(Object.keys(config.compile_config).sort(), Object.keys(python.compile_config).sort());
});

test('a Node round trip through .keras: Sequential and functional, the same config, weights, optimizer state and next losses', async () => {
  const dir = tempDir();
  for (const name of CASES) {
    const source = makeModel(name);
    const [x, y] = data(name);
    await source.fit(x, y, { ...FIT, epochs: 1 });
    const file = path.join(dir, `${name}.keras`);
    await source.save(file);
    await source.save(file); // replaced atomically: no temporary file stays beside it
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => !f.endsWith('.keras')),
      [],
    );
    const copy = await tf.keras.models.loadModel(file);
    assert.deepEqual(copy.getConfig(), source.getConfig());
    assert.deepEqual(stateOf(copy), stateOf(source));
    const a = await source.fit(x, y, { ...FIT, epochs: 2 });
    const b = await copy.fit(x, y, { ...FIT, epochs: 2 });
    assert.deepEqual(b.history.loss, a.history.loss, name);
  }
  // An uncompiled model saves and loads uncompiled; compile: false skips the compile config.
  const plain = new tf.keras.Sequential([tf.keras.Input([3]), new tf.keras.layers.Dense({ units: 2 })]);
  await tf.keras.saving.saveModel(plain, path.join(dir, 'plain.keras'));
  assert.equal((await tf.keras.saving.loadModel(path.join(dir, 'plain.keras'))).compiled, false);
  assert.equal((await tf.keras.models.loadModel(path.join(dir, 'sequential_mlp.keras'), { compile: false })).compiled, false);
  // The functional forms of the methods.
  const weightsFile = path.join(dir, 'plain.weights.h5');
  await tf.keras.saving.saveWeights(plain, weightsFile);
  const plainCopy = new tf.keras.Sequential([tf.keras.Input([3]), new tf.keras.layers.Dense({ units: 2 })]);
  await tf.keras.saving.loadWeights(plainCopy, weightsFile);
  assert.deepEqual(stateOf(plainCopy), stateOf(plain));
  // loadWeights also reads the weights of a .keras file.
  const target = makeModel('sequential_mlp');
  await target.loadWeights(path.join(dir, 'sequential_mlp.keras'));
  assert.deepEqual(
    stateOf(target).slice(0, 4),
    stateOf(await tf.keras.models.loadModel(path.join(dir, 'sequential_mlp.keras'))).slice(0, 4),
  );
});

test('user layers: registered with registerKerasSerializable, or named in customObjects', async () => {
  class Scale extends Layer {
    static override readonly optionKeys = [...Layer.optionKeys, 'factor'];
    readonly factor: number;
    scale!: tf.Variable;
    constructor(options: tf.keras.layers.LayerOptions & { factor?: number } = {}) {
      super(options);
      this.factor = options.factor ?? 1;
    }
    override build(inputShape: tf.Shape): void {
      this.scale = this.addWeight({ name: 'scale', shape: [inputShape[inputShape.length - 1] as number], initializer: 'ones' });
    }
    override call(inputs: tf.Tensor): tf.Tensor {
      return tf.multiply(tf.multiply(inputs, this.scale.value()), this.factor);
    }
    override getConfig(): Record<string, unknown> {
      return { ...super.getConfig(), factor: this.factor };
    }
  }
  const dir = tempDir();
  const build = () => new tf.keras.Sequential([tf.keras.Input([2]), new Scale({ factor: 3 })]);
  const model = build();
  const scale = model.layers[0] as Scale;
  scale.scale.assign(tf.tensor([2, 5], undefined, 'float32'));
  const file = path.join(dir, 'custom.keras');
  await model.save(file);
  await assert.rejects(tf.keras.models.loadModel(file), { name: 'TypeError', message: /Cannot deserialize object of type `Scale`/ });
  const viaOption = await tf.keras.models.loadModel(file, { customObjects: { Scale } });
  assert.deepEqual(viaOption.predictOnBatch(tf.tensor([[1, 1]], undefined, 'float32')).arraySync(), [[6, 15]]);
  // Keras' custom_object_scope: names resolvable by every deserialization made inside it.
  const serialized = tf.keras.layers.serialize(new Scale({ factor: 2 }));
  assert.throws(() => tf.keras.layers.deserialize(serialized), { name: 'TypeError' });
  const inScope = tf.keras.saving.customObjectScope({ Scale }, () => tf.keras.layers.deserialize(serialized)) as Scale;
  assert.ok(inScope instanceof Scale);
  assert.equal(inScope.factor, 2);
  tf.keras.saving.registerKerasSerializable('SavingTest')(Scale);
  const registered = build();
  (registered.layers[0] as Scale).scale.assign(tf.tensor([1, -1], undefined, 'float32'));
  await registered.save(file);
  const config = JSON.parse(new TextDecoder().decode(unzipSync(fs.readFileSync(file))['config.json']));
  assert.equal(config.config.layers[1].registered_name, 'SavingTest>Scale');
  const loaded = await tf.keras.models.loadModel(file);
  assert.deepEqual(loaded.predictOnBatch(tf.tensor([[1, 1]], undefined, 'float32')).arraySync(), [[3, -3]]);
});

test('bad input: missing file, wrong extension, damaged zip or entries are typed errors', async () => {
  const dir = tempDir();
  const load = tf.keras.models.loadModel;
  await assert.rejects(load(path.join(dir, 'missing.keras')), { name: 'NotFoundError', message: /No such file/ });
  await assert.rejects(load(path.join(dir, 'model.h5')), { name: 'RangeError', message: /File format not supported/ });
  const model = makeModel('sequential_mlp');
  await assert.rejects(model.save(path.join(dir, 'model.h5')), { name: 'RangeError', message: /add a `\.keras` extension/ });
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  await assert.rejects(load(write('garbage.keras', 'not a zip')), { name: 'DataLossError', message: /not a readable zip archive/ });
  const good = unzipSync(fs.readFileSync(path.join(SAVING_FIXTURES, 'sequential_mlp.keras')));
  const truncated = fs.readFileSync(path.join(SAVING_FIXTURES, 'sequential_mlp.keras')).subarray(0, 5000);
  await assert.rejects(load(write('truncated.keras', truncated)), { name: 'DataLossError' });
  await assert.rejects(load(write('noweights.keras', zipSync({ 'config.json': good['config.json'] }))), {
    name: 'DataLossError',
    message: /has no 'model\.weights\.h5'/,
  });
  await assert.rejects(
    load(write('badjson.keras', zipSync({ 'config.json': strToU8('{nope'), 'model.weights.h5': good['model.weights.h5'] }))),
    {
      name: 'DataLossError',
      message: /config\.json is not valid JSON/,
    },
  );
  await assert.rejects(
    load(write('badh5.keras', zipSync({ 'config.json': good['config.json'], 'model.weights.h5': strToU8('garbage') }))),
    { name: 'DataLossError', message: /not an HDF5 file/ },
  );
  // Weights of another model: the config builds, the weights do not fit.
  const other = unzipSync(fs.readFileSync(path.join(SAVING_FIXTURES, 'conv_bn.keras')));
  await assert.rejects(
    load(write('mixed.keras', zipSync({ 'config.json': good['config.json'], 'model.weights.h5': other['model.weights.h5'] }))),
    { name: 'InvalidArgumentError' },
  );
  // An entry outside the three is never read (nor written anywhere).
  const extra = write('extra.keras', zipSync({ ...good, '../../evil.txt': strToU8('x') }));
  assert.equal((await load(extra)).name, 'sequential_mlp');
  assert.equal(fs.existsSync(path.join(dir, '..', '..', 'evil.txt')), false);
});

test('Python Keras loads the .keras file Node saved: the same predictions, and training resumes with the losses Node gets', async (t) => {
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const dir = tempDir();
  for (const name of CASES) {
    const model = makeModel(name);
    const [x, y] = data(name);
    await model.fit(x, y, { ...FIT, epochs: 2 });
    const file = path.join(dir, `${name}.keras`);
    await model.save(file);
    const predictions = model.predictOnBatch(x).numpy() as number[][];
    const losses = (await model.fit(x, y, { ...FIT, epochs: 2 })).history.loss as number[];
    const script = `
import sys, json, numpy as np, keras
model = keras.models.load_model(sys.argv[1])
c = json.loads(sys.argv[2])
x = np.array(c["x"], dtype="float32"); y = np.array(c["y"], dtype="float32")
p = model.predict(x, verbose=0).tolist()
h = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
print(json.dumps({"class": type(model).__name__, "predictions": p, "losses": h.history["loss"]}))
`;
    const out = runPythonJson<{ class: string; predictions: number[][]; losses: number[] }>(
      script,
      file,
      JSON.stringify(savingFixture.cases[name]),
    );
    assert.equal(out.class, name === 'functional_mlp' ? 'Functional' : 'Sequential');
    assertClose(out.predictions, predictions);
    assertClose(out.losses, losses);
  }
});

test('nested models: a functional model inside a Sequential saves and loads, in Node and in Python', async (t) => {
  const dir = tempDir();
  const { Dense } = tf.keras.layers;
  const innerInput = tf.keras.Input([4]);
  const inner = new tf.keras.Model({
    inputs: innerInput,
    outputs: new Dense({ units: 3, activation: 'tanh' }).apply(innerInput),
    name: 'inner',
  });
  const model = new tf.keras.Sequential([tf.keras.Input([4]), inner, new Dense({ units: 2 })], { name: 'outer' });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const [x, y] = data('sequential_mlp');
  await model.fit(x, y, { ...FIT, epochs: 1 });
  const file = path.join(dir, 'nested.keras');
  await model.save(file);
  const config = JSON.parse(new TextDecoder().decode(unzipSync(fs.readFileSync(file))['config.json']));
  assert.equal(config.config.layers[1].class_name, 'Functional');
  await model.saveWeights(path.join(dir, 'w.weights.h5'));
  const layout = await readWeightsStore(path.join(dir, 'w.weights.h5'));
  assert.deepEqual([...layout.keys()].sort(), [
    '',
    'layers/dense',
    'layers/functional',
    'layers/functional/layers/dense',
    'layers/functional/layers/input_layer',
    'optimizer',
  ]);
  const copy = await tf.keras.models.loadModel(file);
  assert.equal(copy.layers[0].constructor.name, 'Functional');
  assert.deepEqual(stateOf(copy), stateOf(model));
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const out = runPythonJson<{ predictions: number[][] }>(
    `
import sys, json, numpy as np, keras
model = keras.models.load_model(sys.argv[1])
model.load_weights(sys.argv[2])
x = np.array(json.loads(sys.argv[3]), dtype="float32")
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist()}))
`,
    file,
    path.join(dir, 'w.weights.h5'),
    JSON.stringify(savingFixture.cases.sequential_mlp.x),
  );
  assertClose(out.predictions, model.predictOnBatch(x).numpy() as number[][]);
});

test("an uncompiled Python model's compile_config {} loads uncompiled (Keras' `if compile_config:`)", async () => {
  const x = tf.keras.Input([3]);
  const model = new tf.keras.Model(x, new tf.keras.layers.Dense(2).apply(x));
  const file = path.join(tempDir(), 'uncompiled.keras');
  await model.save(file);
  const entries = unzipSync(fs.readFileSync(file));
  const config = JSON.parse(Buffer.from(entries['config.json']).toString('utf8'));
  config.compile_config = {};
  entries['config.json'] = strToU8(JSON.stringify(config));
  fs.writeFileSync(file, zipSync(entries));
  const loaded = await tf.keras.models.loadModel(file);
  assert.equal(loaded.compiled, false);
  const probe = tf.tensor([[1, 2, 3]], undefined, 'float32');
  assert.deepEqual(loaded.predictOnBatch(probe).arraySync(), model.predictOnBatch(probe).arraySync());
});

test("optimizer numbers Keras type-checks as floats are written as floats (SGD's momentum 0, a learning rate of 1)", async (t) => {
  const cases = [new tf.keras.optimizers.SGD(1), new tf.keras.optimizers.Adadelta(1, { rho: 0.9 })];
  const files: string[] = [];
  for (const optimizer of cases) {
    const model = new tf.keras.Sequential([tf.keras.Input([3]), new tf.keras.layers.Dense(1)]);
    model.compile({ optimizer, loss: 'mse' });
    const file = path.join(tempDir(), 'floats.keras');
    await model.save(file);
    const text = new TextDecoder().decode(unzipSync(fs.readFileSync(file))['config.json']);
    assert.match(text, /"learning_rate":1\.0[,}]/);
    if (optimizer instanceof tf.keras.optimizers.SGD) assert.match(text, /"momentum":0\.0[,}]/);
    // Node reads them back as the same numbers.
    const loaded = await tf.keras.models.loadModel(file);
    assert.equal(loaded.optimizer.learningRate.numpy(), 1);
    files.push(file);
  }
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const script = `
import sys, json, keras
out = []
for f in sys.argv[1:]:
    m = keras.models.load_model(f)
    out.append([type(m.optimizer).__name__, float(m.optimizer.learning_rate)])
print(json.dumps(out))
`;
  assert.deepEqual(runPythonJson<[string, number][]>(script, ...files), [
    ['SGD', 1],
    ['Adadelta', 1],
  ]);
});
