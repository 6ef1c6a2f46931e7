import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { pythonTFMissing, runPython } from './helpers/python_tf';
import { runtime } from '../lib/runtime';

const { Checkpoint, listVariables, loadVariables, saveVariables } = tf.train;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-ckpt-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const tempDir = (): string => fs.mkdtempSync(path.join(root, 'case-'));

/** Variables of several dtypes and shapes, with the values they start with. */
function sampleVariables(): Record<string, [tf.Variable, unknown]> {
  const make = (value: tf.Tensor): [tf.Variable, unknown] => [new tf.Variable(value), value.numpy()];
  return {
    'dense/kernel': make(
      tf.tensor(
        [
          [0.5, -1.25, 3],
          [4, 5.5, -6],
        ],
        undefined,
        'float32',
      ),
    ),
    'dense/bias': make(tf.tensor([0.125, -0.25, 1e-8], undefined, 'float32')),
    'scalar/float64': make(tf.tensor(Math.PI, undefined, 'float64')),
    'counts/int32': make(
      tf.tensor(
        [
          [1, -2],
          [3, 2147483647],
        ],
        undefined,
        'int32',
      ),
    ),
    'counts/int64': make(tf.tensor([9007199254740993n, -5n], undefined, 'int64')),
    flags: make(tf.tensor([true, false, true], undefined, 'bool')),
    words: make(tf.tensor(['hello', '', 'wörld'], undefined, 'string')),
    pixels: make(tf.tensor([0, 128, 255], undefined, 'uint8')),
    half: make(tf.tensor([1.5, -0.25], undefined, 'float16')),
    brain: make(tf.tensor([2.5, -3], undefined, 'bfloat16')),
    empty: make(tf.zeros([0, 3])),
  };
}

test('saveVariables / loadVariables round-trip several dtypes and shapes in TF V2 format', () => {
  const dir = tempDir();
  const prefix = path.join(dir, 'sub', 'weights');
  const variables = sampleVariables();
  const named = Object.fromEntries(Object.entries(variables).map(([key, [variable]]) => [key, variable]));
  saveVariables(prefix, named);
  assert.deepEqual(fs.readdirSync(path.dirname(prefix)).sort(), ['weights.data-00000-of-00001', 'weights.index']);
  assert.deepEqual(
    listVariables(prefix),
    Object.entries(variables)
      .map(([key, [variable]]): [string, number[]] => [key, variable.shape])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  for (const [variable] of Object.values(variables)) variable.assign(tf.zerosLike(variable.value()));
  // The pairs form takes the same keys.
  loadVariables(prefix, Object.entries(named));
  for (const [key, [variable, initial]] of Object.entries(variables)) assert.deepEqual(variable.numpy(), initial, key);
});

test('save and load each run one cached graph per variable set', () => {
  const dir = tempDir();
  const a = new tf.Variable([1, 2], { dtype: 'float32' });
  const b = new tf.Variable(3n);
  saveVariables(path.join(dir, 'first'), { a, b });
  loadVariables(path.join(dir, 'first'), { a, b });
  const operations = runtime.graph.operations().length;
  saveVariables(path.join(dir, 'second'), { a, b });
  loadVariables(path.join(dir, 'second'), [
    ['a', a],
    ['b', b],
  ]);
  assert.equal(runtime.graph.operations().length, operations);
});

test('loading checks keys, dtypes and shapes first, and a failed load changes no variable', () => {
  const prefix = path.join(tempDir(), 'ckpt');
  const kernel = new tf.Variable(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'float32', name: 'kernel' },
  );
  const step = new tf.Variable(7n, { name: 'step' });
  saveVariables(prefix, { 'dense/kernel': kernel, step });
  kernel.assign([
    [0, 0],
    [0, 0],
  ]);
  assert.throws(() => loadVariables(prefix, { 'dense/kernel': kernel, 'dense/bias': step }), {
    name: 'NotFoundError',
    message: `Key 'dense/bias' (variable '${step.name}') not found in checkpoint '${prefix}'`,
  });
  const wide = new tf.Variable(tf.zeros([2, 3]), { name: 'wide' });
  assert.throws(() => loadVariables(prefix, { 'dense/kernel': wide }), {
    name: 'InvalidArgumentError',
    message: `Cannot restore 'dense/kernel' into variable '${wide.name}': the checkpoint holds shape [2, 2], the variable has shape [2, 3]`,
  });
  assert.throws(() => loadVariables(prefix, { 'dense/kernel': kernel, step: new tf.Variable(0, { dtype: 'int32' }) }), {
    name: 'InvalidArgumentError',
    message: /Cannot restore 'step' into variable 'Variable(_\d+)?:0': the checkpoint holds int64, the variable is int32/,
  });
  assert.deepEqual(kernel.numpy(), [
    [0, 0],
    [0, 0],
  ]);
  loadVariables(prefix, { 'dense/kernel': kernel });
  assert.deepEqual(kernel.numpy(), [
    [1, 2],
    [3, 4],
  ]);
  assert.throws(
    () =>
      saveVariables(prefix, [
        ['a', kernel],
        ['a', step],
      ]),
    { name: 'TypeError', message: "Checkpoint key 'a' is given twice" },
  );
  assert.throws(() => saveVariables(prefix, { a: 3 as never }), { name: 'TypeError', message: /must map to a tf.Variable/ });
  assert.throws(() => saveVariables(prefix, {}), { name: 'TypeError', message: 'A checkpoint needs at least one variable' });
});

test('damaged, truncated, missing or foreign files give typed errors, not crashes', () => {
  const dir = tempDir();
  const prefix = path.join(dir, 'good');
  const v = new tf.Variable(tf.range(0, 64, 1, 'float32'));
  saveVariables(prefix, { v });
  const index = fs.readFileSync(`${prefix}.index`);
  const data = fs.readFileSync(`${prefix}.data-00000-of-00001`);
  const variant = (name: string, indexBytes: Uint8Array, dataBytes: Uint8Array): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(`${p}.index`, indexBytes);
    fs.writeFileSync(`${p}.data-00000-of-00001`, dataBytes);
    return p;
  };
  const load = (p: string) => () => loadVariables(p, { v });
  assert.throws(load(variant('short_index', index.subarray(0, index.length - 7), data)), {
    name: 'DataLossError',
    message: /short_index\.index is not a valid TensorFlow checkpoint index: bad magic number/,
  });
  assert.throws(load(variant('tiny_index', index.subarray(0, 10), data)), { name: 'DataLossError', message: /too short/ });
  assert.throws(load(variant('json', Buffer.from(JSON.stringify({ weights: [1, 2, 3], padding: 'x'.repeat(64) })), data)), {
    name: 'DataLossError',
  });
  assert.throws(load(variant('short_data', index, data.subarray(0, data.length - 9))), (e: Error) => {
    assert.ok(e instanceof tf.errors.OpError, String(e));
    assert.equal(e.name, 'OutOfRangeError');
    assert.match(e.message, /^Restoring checkpoint '.*short_data': Read less bytes than requested/);
    return true;
  });
  const flipped = Buffer.from(data);
  flipped[5] ^= 0xff;
  assert.throws(load(variant('flipped', index, flipped)), { name: 'DataLossError', message: /Checksum does not match/ });
  assert.throws(load(path.join(dir, 'absent')), { name: 'NotFoundError', message: /Checkpoint '.*absent' not found/ });
  fs.writeFileSync(path.join(dir, 'index_only.index'), index);
  assert.throws(load(path.join(dir, 'index_only')), { name: 'NotFoundError', message: /index_only\.data-00000-of-00001/ });
  assert.deepEqual(v.numpy(), tf.range(0, 64, 1, 'float32').numpy());
});

test('saving is atomic: a save that fails part way leaves the previous checkpoint loadable', () => {
  const dir = tempDir();
  const prefix = path.join(dir, 'model');
  const kernel = new tf.Variable([[1, 2]], { dtype: 'float32' });
  const other = new tf.Variable([3], { dtype: 'float32' });
  saveVariables(prefix, { kernel, other });
  kernel.assign([[5, 6]]);

  // The writer gets as far as the data file, then cannot write the index (a directory is in the way).
  fs.mkdirSync(`${prefix}_temp.index`);
  assert.throws(() => saveVariables(prefix, { kernel, other }), { name: 'FailedPreconditionError', message: /Is a directory/ });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.data-00000-of-00001', 'model.index', 'model_temp.index']);
  fs.rmdirSync(`${prefix}_temp.index`);

  // A variable whose read fails (its resource was destroyed) stops the save before any file is written.
  const doomed = new tf.Variable([9], { dtype: 'float32' });
  tf.function(() => {
    tf.rawOps.DestroyResourceOp({ resource: doomed.handle });
    return null;
  })();
  assert.throws(() => saveVariables(prefix, { kernel, other: doomed }), {
    name: 'FailedPreconditionError',
    message: /Could not find variable/,
  });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['model.data-00000-of-00001', 'model.index']);

  loadVariables(prefix, { kernel, other });
  assert.deepEqual(kernel.numpy(), [[1, 2]]);
  // A later save succeeds and replaces the checkpoint.
  kernel.assign([[7, 8]]);
  saveVariables(prefix, { kernel, other });
  kernel.assign([[0, 0]]);
  loadVariables(prefix, { kernel });
  assert.deepEqual(kernel.numpy(), [[7, 8]]);
});

test('Python TensorFlow reads our checkpoints (tf.train.load_checkpoint)', (t) => {
  const missing = pythonTFMissing();
  if (missing) return t.skip(missing);
  const prefix = path.join(tempDir(), 'from_node');
  const variables = sampleVariables();
  saveVariables(prefix, Object.fromEntries(Object.entries(variables).map(([key, [variable]]) => [key, variable])));
  const script = `
import json, sys
import tensorflow as tf
reader = tf.train.load_checkpoint(sys.argv[1])
def plain(v):
    if isinstance(v, bytes): return v.decode('utf-8')
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53: return str(v)
    if isinstance(v, list): return [plain(x) for x in v]
    return v
out = {}
for key, dtype in reader.get_variable_to_dtype_map().items():
    value = reader.get_tensor(key)
    out[key] = {'dtype': dtype.name, 'shape': list(value.shape), 'value': plain(value.astype('float64').tolist() if dtype.name == 'bfloat16' else value.tolist())}
print(json.dumps(out))
`;
  const read = JSON.parse(runPython(script, prefix)) as Record<string, { dtype: string; shape: number[]; value: unknown }>;
  assert.deepEqual(Object.keys(read).sort(), Object.keys(variables).sort());
  const asJson = (value: unknown): unknown =>
    typeof value === 'bigint' ? Number(value) : Array.isArray(value) ? value.map(asJson) : value;
  for (const [key, [variable, initial]] of Object.entries(variables)) {
    assert.equal(read[key].dtype, variable.dtype, key);
    assert.deepEqual(read[key].shape, variable.shape, key);
    // Integers past 2^53 come as strings, which JSON numbers cannot hold exactly.
    const expected = key === 'counts/int64' ? ['9007199254740993', -5] : asJson(initial);
    assert.deepEqual(read[key].value, expected, key);
  }
});

test('we read checkpoints written by Python TensorFlow (raw SaveV2 and tf.train.Checkpoint)', (t) => {
  const missing = pythonTFMissing();
  if (missing) return t.skip(missing);
  const dir = tempDir();
  const script = `
import sys
import tensorflow as tf
tf.raw_ops.SaveV2(prefix=sys.argv[1] + '/raw', tensor_names=['dense/kernel', 'dense/bias', 'step'], shape_and_slices=['', '', ''],
                  tensors=[tf.constant([[1.5, -2.0], [3.25, 4.0], [0.0, 1e-3]]), tf.constant([0.5, -0.5], dtype=tf.float64), tf.constant(12345678901, dtype=tf.int64)])
tf.train.Checkpoint(w=tf.Variable([[1, 2, 3]], dtype=tf.int32), v=tf.Variable('text')).write(sys.argv[1] + '/object')
`;
  runPython(script, dir);
  const kernel = new tf.Variable(tf.zeros([3, 2]));
  const bias = new tf.Variable(tf.zeros([2], 'float64'));
  const step = new tf.Variable(0n);
  loadVariables(path.join(dir, 'raw'), { 'dense/kernel': kernel, 'dense/bias': bias, step });
  assert.deepEqual(kernel.numpy(), [
    [1.5, -2],
    [3.25, 4],
    [0, Math.fround(1e-3)],
  ]);
  assert.deepEqual(bias.numpy(), [0.5, -0.5]);
  assert.equal(step.numpy(), 12345678901n);

  const objectPrefix = path.join(dir, 'object');
  const keys = listVariables(objectPrefix).map(([key]) => key);
  assert.deepEqual(keys, ['_CHECKPOINTABLE_OBJECT_GRAPH', 'v/.ATTRIBUTES/VARIABLE_VALUE', 'w/.ATTRIBUTES/VARIABLE_VALUE']);
  const w = new tf.Variable([[0, 0, 0]], { dtype: 'int32' });
  const v = new tf.Variable('');
  loadVariables(objectPrefix, { 'w/.ATTRIBUTES/VARIABLE_VALUE': w, 'v/.ATTRIBUTES/VARIABLE_VALUE': v });
  assert.deepEqual(w.numpy(), [[1, 2, 3]]);
  assert.equal(v.numpy(), 'text');
});

/** A tiny regression problem: y = x·W + b, trained with a GradientTape and an optimizer. */
const X = tf.tensor(
  [
    [1, 2],
    [3, -1],
    [0.5, 0.25],
    [-2, 1],
  ],
  undefined,
  'float32',
);
const Y = tf.tensor([[1], [-1], [0.5], [2]], undefined, 'float32');

function makeModel(): { kernel: tf.Variable; bias: tf.Variable } {
  return {
    kernel: new tf.Variable(tf.tensor([[0.1], [-0.2]], undefined, 'float32'), { name: 'dense/kernel' }),
    bias: new tf.Variable(tf.tensor([0.05], undefined, 'float32'), { name: 'dense/bias' }),
  };
}

function train(
  optimizer: tf.keras.optimizers.Optimizer,
  { kernel, bias }: { kernel: tf.Variable; bias: tf.Variable },
  steps: number,
): unknown {
  for (let i = 0; i < steps; ++i) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.add(tf.matmul(X, kernel.value()), bias.value()), Y))));
    optimizer.applyGradients(tf.zip(tape.gradient(loss, [kernel, bias]), [kernel, bias]));
  }
  return [kernel.numpy(), bias.numpy()];
}

test('Checkpoint saves optimizer state so training resumes exactly (Adam, 5 + 5 steps)', () => {
  const dir = tempDir();
  const model = makeModel();
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: 0.05, amsgrad: true });
  const checkpoint = new Checkpoint({ optimizer, dense: model });
  train(optimizer, model, 5);
  const saved = checkpoint.save(path.join(dir, 'ckpt'));
  assert.equal(saved, path.join(dir, 'ckpt-1'));
  assert.deepEqual(
    listVariables(saved).map(([key]) => key),
    [
      'dense/bias',
      'dense/kernel',
      'optimizer/iterations',
      'optimizer/learning_rate',
      'optimizer/slots/dense/bias/momentum',
      'optimizer/slots/dense/bias/velocity',
      'optimizer/slots/dense/bias/velocity_hat',
      'optimizer/slots/dense/kernel/momentum',
      'optimizer/slots/dense/kernel/velocity',
      'optimizer/slots/dense/kernel/velocity_hat',
      'save_counter',
    ],
  );
  const continued = train(optimizer, model, 5);
  assert.equal(optimizer.iterations.numpy(), 10);

  optimizer.learningRate.assign(0.5);
  checkpoint.restore(saved);
  assert.equal(optimizer.iterations.numpy(), 5);
  assert.equal(optimizer.learningRate.numpy(), Math.fround(0.05));
  assert.deepEqual(train(optimizer, model, 5), continued);

  assert.equal(checkpoint.save(path.join(dir, 'ckpt')), path.join(dir, 'ckpt-2'));
  checkpoint.restore(saved);
  assert.equal(checkpoint.saveCounter.numpy(), 1n);
});

test('restoring into a fresh optimizer builds its slots and resyncs a schedule with iterations', () => {
  const dir = tempDir();
  const schedule = () => new tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
  const model = makeModel();
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: schedule() });
  train(optimizer, model, 5);
  const saved = new Checkpoint({ optimizer, dense: model }).write(path.join(dir, 'scheduled'));
  assert.ok(!listVariables(saved).some(([key]) => key === 'optimizer/learning_rate'));
  const continued = train(optimizer, model, 5);

  const fresh = makeModel();
  fresh.kernel.assign([[9], [9]]);
  const freshOptimizer = new tf.keras.optimizers.Adam({ learningRate: schedule() });
  new Checkpoint({ optimizer: freshOptimizer, dense: fresh }).restore(saved);
  assert.equal(freshOptimizer.variables.length, 2 + 4);
  assert.equal(freshOptimizer.learningRate.numpy(), Math.fround(0.1 * 0.5 ** 2.5));
  assert.deepEqual(train(freshOptimizer, fresh, 5), continued);
});

test('Checkpoint tracks nested objects and rejects what it cannot save', () => {
  const dir = tempDir();
  const a = new tf.Variable([1], { dtype: 'float32' });
  const b = new tf.Variable([2], { dtype: 'float32' });
  const path1 = new Checkpoint({ encoder: { layer: { kernel: a } }, b }).write(path.join(dir, 'nested'));
  assert.deepEqual(
    listVariables(path1).map(([key]) => key),
    ['b', 'encoder/layer/kernel', 'save_counter'],
  );
  // Checkpoints from saveVariables have no save_counter; Checkpoint still restores them.
  saveVariables(path.join(dir, 'plain'), { 'encoder/layer/kernel': b, b: a });
  new Checkpoint({ encoder: { layer: { kernel: a } }, b }).restore(path.join(dir, 'plain'));
  assert.deepEqual([a.numpy(), b.numpy()], [[2], [1]]);
  assert.throws(() => new Checkpoint({ model: new Date() as never }), { name: 'TypeError', message: /'model' is / });
});
