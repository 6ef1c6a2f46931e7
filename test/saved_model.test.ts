// tf.savedModel.load (TF's own loader: SavedModels from Keras' model.export and TF1's builder, in
// test/fixtures/saved_model/, made by test/fixtures/generators/saved_model_reference.py) and
// model.export (read back here, and by Python's tf.saved_model.load where Python TF is present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { pythonTFMissing, runPython } from './helpers/python_tf';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'saved_model');
const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'saved_model.json'), 'utf8')) as {
  keras: { x: number[][]; inputs: Record<string, [string, (number | null)[]]>; outputs: { output_0: number[][] }; predict: number[][] };
  tf1: { x: number[][]; y: number[][]; top: number[] };
};

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-saved-model-'));
}

function assertClose(actual: unknown, expected: unknown, what: string, rtol = 1e-6): void {
  const a = (actual as number[][]).flat();
  const b = (expected as number[][]).flat();
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= rtol * Math.abs(b[i]) + 1e-7, `${what}[${i}]: ${v} vs ${b[i]}`));
}

function smallModel(): tf.keras.Model {
  const inputs = tf.keras.Input([4], { name: 'features' });
  let h = new tf.keras.layers.Dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(inputs);
  h = new tf.keras.layers.BatchNormalization({ name: 'norm' }).apply(h);
  const outputs = new tf.keras.layers.Dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(h);
  return new tf.keras.Model({ inputs, outputs });
}

const X = tf.tensor(fixture.keras.x, undefined, 'float32');

test("a SavedModel from Keras' model.export loads with its signatures, specs and Python's outputs", () => {
  const loaded = tf.savedModel.load(path.join(FIXTURES, 'keras_mlp'));
  assert.deepEqual(Object.keys(loaded.signatures), ['serve', 'serving_default']);
  assert.deepEqual(loaded.tags, ['serve']);
  assert.equal(loaded.tensorflowVersion, '2.21.0');
  const signature = loaded.signatures.serving_default;
  assert.equal(signature.methodName, 'tensorflow/serving/predict');
  assert.deepEqual(Object.keys(signature.inputs), ['features']);
  assert.deepEqual(signature.inputs.features.shape, fixture.keras.inputs.features[1]);
  assert.equal(signature.inputs.features.dtype, 'float32');
  assert.deepEqual(Object.keys(signature.outputs), ['output_0']);
  const out = signature({ features: X });
  assertClose(out.output_0.numpy(), fixture.keras.outputs.output_0, 'output_0');
  assertClose(loaded.signatures.serve({ features: X }).output_0.numpy(), fixture.keras.predict, 'serve');
  loaded.dispose();
});

test('a TF1 SavedModel: two signatures, an int32 input, callAsync', async () => {
  const loaded = tf.savedModel.load(path.join(FIXTURES, 'tf1_two_signatures'), { tags: ['serve'] });
  assert.deepEqual(Object.keys(loaded.signatures), ['first_k', 'serving_default']);
  const x = tf.tensor(fixture.tf1.x, undefined, 'float32');
  assert.deepEqual(loaded.signatures.serving_default({ x }).y.numpy(), fixture.tf1.y);
  assert.deepEqual(loaded.signatures.first_k.inputs.k.dtype, 'int32');
  const top = await loaded.signatures.first_k.callAsync({ x, k: tf.scalar(2, 'int32') });
  assert.deepEqual(top.top.numpy(), fixture.tf1.top);
  loaded.dispose();
});

test('loading and calling refuse bad input with typed errors', () => {
  assert.throws(() => tf.savedModel.load(path.join(tempDir(), 'nothing')), {
    name: 'TypeError',
    message: /No SavedModel at '.*nothing': the directory does not exist/,
  });
  assert.throws(() => tf.savedModel.load(tempDir()), tf.errors.OpError);
  assert.throws(() => tf.savedModel.load(path.join(FIXTURES, 'keras_mlp'), { tags: ['train'] }), {
    name: 'NotFoundError',
    message: /tags.*train/,
  });
  assert.throws(() => tf.savedModel.load(path.join(FIXTURES, 'keras_mlp'), { tag: ['serve'] } as never), {
    name: 'TypeError',
    message: "tf.savedModel.load got an unknown option 'tag'; the options are: tags, allowOps",
  });
  const loaded = tf.savedModel.load(path.join(FIXTURES, 'keras_mlp'));
  const signature = loaded.signatures.serving_default;
  assert.throws(() => signature({}), { name: 'TypeError', message: "Signature 'serving_default' is missing input 'features'" });
  assert.throws(() => signature({ features: X, extra: X }), {
    name: 'TypeError',
    message: "Signature 'serving_default' got unexpected input 'extra'; its inputs are: features",
  });
  assert.throws(() => signature(X as never), { name: 'TypeError', message: /takes its inputs as an object keyed by name: \{features\}/ });
  assert.throws(() => signature({ features: tf.zeros([2, 5]) }), {
    name: 'TypeError',
    message: "Signature 'serving_default' input 'features' must have shape [None, 4]; got [2, 5]",
  });
  assert.throws(() => signature({ features: tf.tensor([[1, 2, 3, 4]], undefined, 'int32') }), {
    name: 'TypeError',
    message: /Signature 'serving_default' input 'features' must be float32/,
  });
  loaded.dispose();
  assert.throws(() => signature({ features: X }), { name: 'Error', message: 'This SavedModel was disposed' });
});

test('model.export writes a SavedModel that loads back with the same outputs, trained non-trainable state included', async () => {
  const model = smallModel();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const y = tf.tensor([0, 1, 2, 1, 0], undefined, 'int32');
  await model.fit(X, y, { epochs: 2, batchSize: 5, verbose: 0 });
  const expected = (await model.predict(X, { verbose: 0 })).numpy();
  const dir = path.join(tempDir(), 'exported');
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void logged.push(args.join(' '));
  try {
    model.export(dir);
  } finally {
    console.log = log;
  }
  assert.match(logged.join('\n'), /Saved artifact at '.*exported'\. The following endpoints are available:/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['assets', 'saved_model.pb', 'variables']);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'variables')).sort(), ['variables.data-00000-of-00001', 'variables.index']);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o777 & ~process.umask());
  const loaded = tf.savedModel.load(dir);
  assert.deepEqual(Object.keys(loaded.signatures), ['serve', 'serving_default']);
  assertClose(loaded.signatures.serving_default({ features: X }).output_0.numpy(), expected, 'exported');
  loaded.dispose();

  // Exporting again replaces it; the model's later weights are what is written.
  await model.fit(X, y, { epochs: 1, batchSize: 5, verbose: 0 });
  model.export(dir, { verbose: false });
  const again = tf.savedModel.load(dir);
  assertClose(again.signatures.serve({ features: X }).output_0.numpy(), (await model.predict(X, { verbose: 0 })).numpy(), 'replaced');
  again.dispose();
});

test('model.export refuses what it cannot write before writing anything', () => {
  const model = smallModel();
  const occupied = tempDir();
  fs.writeFileSync(path.join(occupied, 'notes.txt'), 'keep me');
  assert.throws(() => model.export(occupied, { verbose: false }), {
    name: 'TypeError',
    message: `'${occupied}' exists and is not a SavedModel directory; choose another path`,
  });
  assert.deepEqual(fs.readdirSync(occupied), ['notes.txt']);
  assert.throws(() => model.export(path.join(tempDir(), 'm'), { format: 'onnx', verbose: false }), {
    name: 'TypeError',
    message: "Unrecognized format=onnx. tf-napi supports format='tf_saved_model'.",
  });
  assert.throws(() => model.export(path.join(tempDir(), 'm'), { input_signature: [] } as never), {
    name: 'TypeError',
    message: /inputSignature/,
  });
  assert.throws(() => model.export('gs://bucket/model', { verbose: false }), {
    name: 'TypeError',
    message: "Only local directories are supported for SavedModels; got 'gs://bucket/model'",
  });

  class Subclassed extends tf.keras.Model {
    readonly dense = new tf.keras.layers.Dense({ units: 2 });
    override call(x: tf.Tensor): tf.Tensor {
      return this.dense.apply(x);
    }
  }
  const sub = new Subclassed();
  assert.throws(() => sub.export(path.join(tempDir(), 'm'), { verbose: false }), { name: 'TypeError', message: /has no input shape yet/ });
  const dir = path.join(tempDir(), 'sub');
  sub.export(dir, { verbose: false, inputSignature: new tf.TensorSpec([null, 3], 'float32', 'x') });
  const loaded = tf.savedModel.load(dir);
  const x = tf.tensor([[1, 2, 3]], undefined, 'float32');
  assertClose(loaded.signatures.serving_default({ x }).output_0.numpy(), sub.apply(x).numpy(), 'subclassed');
  loaded.dispose();
});

test("Python's tf.saved_model.load runs what model.export wrote, with the same outputs", (t) => {
  const missing = pythonTFMissing();
  if (missing) return t.skip(missing);
  const model = smallModel();
  const dir = path.join(tempDir(), 'for_python');
  model.export(dir, { verbose: false });
  const script = `
import json, sys
import tensorflow as tf
loaded = tf.saved_model.load(sys.argv[1])
f = loaded.signatures["serving_default"]
out = f(features=tf.constant(json.loads(sys.argv[2]), tf.float32))
print(json.dumps({"keys": sorted(loaded.signatures.keys()), "output_0": out["output_0"].numpy().tolist()}))
`;
  const read = JSON.parse(runPython(script, dir, JSON.stringify(fixture.keras.x))) as { keys: string[]; output_0: number[][] };
  assert.deepEqual(read.keys, ['serve', 'serving_default']);
  assertClose(read.output_0, model.apply(X, { training: false }).numpy(), 'python');
});

test('a SavedModel whose load or signatures can reach files is refused unless its ops are allowed', () => {
  assert.throws(() => tf.savedModel.load(path.join(FIXTURES, 'tf1_read_file')), {
    name: 'PermissionDeniedError',
    message: /can run op 'ReadFile' from signature 'serving_default', which reaches outside the model .* with allowOps: \['ReadFile'\]\.$/,
  });
  // Nested in the function library: the signature's call reaches a function that writes a file.
  assert.throws(() => tf.savedModel.load(path.join(FIXTURES, 'tf2_write_file')), {
    name: 'PermissionDeniedError',
    message: /can run op 'WriteFile' from signature 'serving_default'/,
  });
  // Allowed explicitly, it loads and runs (reading this test file's own fixture JSON).
  const reader = tf.savedModel.load(path.join(FIXTURES, 'tf1_read_file'), { allowOps: ['ReadFile'] });
  const contents = reader.signatures.serving_default({ name: tf.tensor(path.join(FIXTURES, 'saved_model.json')) }).contents;
  assert.match(String(contents.numpy()), /"keras"/);
  reader.dispose();
  // The saver's SaveV2 (in every SavedModel, never run by a load) does not count.
  assert.doesNotThrow(() => tf.savedModel.load(path.join(FIXTURES, 'keras_mlp')).dispose());
  assert.throws(() => tf.savedModel.load(path.join(FIXTURES, 'keras_mlp'), { allowOps: 'ReadFile' } as never), {
    name: 'TypeError',
    message: 'allowOps must be an array of op type names',
  });
});
