// Functional models with several inputs and outputs (lists and dicts) against Keras 3.15
// (test/fixtures/generators/keras_multi_io_reference.py): fit's history with Keras' log names,
// evaluate (list and dict), predict, the trained weights; datasets; summary; .keras and
// .weights.h5 round trips; Python Keras loading ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { pythonTFMissing, runPythonJson } from './helpers/python_tf';

type Nested = number | Nested[];
interface Run {
  weights: Nested[];
  weight_paths: string[];
  history: Record<string, number[]>;
  evaluate: number[];
  evaluate_dict: Record<string, number>;
  predict: Nested[] | Record<string, Nested>;
  final_weights: Nested[];
  config_inputs: unknown;
  config_outputs: unknown;
}
interface Fixture {
  data: { x_a: number[][]; x_b: number[][]; y_1: number[][]; y_2: number[][]; sw_1: number[]; sw_2: number[] };
  runs: Record<'list' | 'dict' | 'single_loss' | 'sample_weights', Run>;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_multi_io.json'), 'utf8')) as Fixture;
const { x_a: xA, x_b: xB, y_1: y1, y_2: y2, sw_1: sw1, sw_2: sw2 } = fixture.data;

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

function assertClose(actual: number[], expected: number[], what: string, rtol = 1e-5, atol = 1e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) <= atol + rtol * Math.abs(expected[i]), `${what}[${i}]: ${v} vs ${expected[i]}`),
  );
}

function build(dictIO: boolean): tf.keras.Model {
  const a = tf.keras.Input([3], { name: 'a' });
  const b = tf.keras.Input([2], { name: 'b' });
  const h = new tf.keras.layers.Dense({ units: 4, activation: 'tanh', name: 'h' }).apply(a);
  const c = new tf.keras.layers.Concatenate({ name: 'cat' }).apply([h, b]);
  const o1 = new tf.keras.layers.Dense({ units: 2, name: 'out1' }).apply(c);
  const o2 = new tf.keras.layers.Dense({ units: 1, activation: 'sigmoid', name: 'out2' }).apply(c);
  return dictIO
    ? new tf.keras.Model({ inputs: { a, b }, outputs: { reg: o1, cls: o2 }, name: 'dict_model' })
    : new tf.keras.Model({ inputs: [a, b], outputs: [o1, o2], name: 'list_model' });
}

const COMPILE: Record<keyof Fixture['runs'], Omit<tf.keras.CompileOptions, 'optimizer'>> = {
  list: { loss: ['mse', 'binary_crossentropy'], lossWeights: [1.0, 0.5], metrics: [['mae'], ['accuracy']] },
  dict: { loss: { reg: 'mse', cls: 'binary_crossentropy' }, lossWeights: { reg: 2.0, cls: 1.0 }, metrics: { reg: ['mae', 'mse'] } },
  single_loss: { loss: 'mse' },
  sample_weights: { loss: ['mse', 'binary_crossentropy'], weightedMetrics: [['mae'], ['mse']] },
};

function data(dictIO: boolean) {
  return dictIO ? { x: { a: xA, b: xB }, y: { reg: y1, cls: y2 } } : { x: [xA, xB], y: [y1, y2] };
}

for (const name of ['list', 'dict', 'single_loss', 'sample_weights'] as const) {
  test(`two inputs, two outputs (${name}): fit's history, evaluate and predict match Keras (rtol 1e-5)`, async () => {
    const ref = fixture.runs[name];
    const dictIO = name === 'dict';
    const model = build(dictIO);
    assert.deepEqual(
      model.weights.map((w) => model.weightPath(w)),
      ref.weight_paths,
    );
    model.setWeights(ref.weights as number[][]);
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), ...COMPILE[name] });
    const { x, y } = data(dictIO);
    // Keras' sample weights by output: a list (or dict) of one weight array per output.
    const sampleWeight = name === 'sample_weights' ? [sw1, sw2] : undefined;
    const history = await model.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0, sampleWeight });
    // This port also logs the learning rate each epoch (as Keras does with a schedule).
    assert.deepEqual(
      Object.keys(history.history)
        .filter((k) => k !== 'learning_rate')
        .sort(),
      Object.keys(ref.history).sort(),
    );
    for (const [key, values] of Object.entries(ref.history))
      assertClose(history.history[key] as number[], values, `${name} history ${key}`);
    assertClose(
      flat((await model.evaluate(x, y, { batchSize: 8, verbose: 0, sampleWeight })) as number[]),
      ref.evaluate,
      `${name} evaluate`,
    );
    const logs = (await model.evaluate(x, y, { batchSize: 8, verbose: 0, returnDict: true, sampleWeight })) as Record<string, number>;
    assert.deepEqual(Object.keys(logs).sort(), Object.keys(ref.evaluate_dict).sort());
    for (const [key, value] of Object.entries(ref.evaluate_dict)) assertClose([logs[key]], [value], `${name} evaluate ${key}`);
    const predicted = await model.predict<tf.Tensor[] | Record<string, tf.Tensor>>(x, { batchSize: 5, verbose: 0 });
    if (dictIO) {
      const expected = ref.predict as Record<string, Nested>;
      const got = predicted as Record<string, tf.Tensor>;
      assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
      for (const key of Object.keys(expected))
        assertClose(Array.from(got[key].dataSync() as Float32Array), flat(expected[key]), `${name} predict ${key}`);
    } else {
      const got = predicted as tf.Tensor[];
      assert.equal(got.length, 2);
      (ref.predict as Nested[]).forEach((p, i) =>
        assertClose(Array.from(got[i].dataSync() as Float32Array), flat(p), `${name} predict ${i}`),
      );
    }
    model
      .getWeights()
      .forEach((w, i) =>
        assertClose(Array.from(w.dataSync() as Float32Array), flat(ref.final_weights[i]), `${name} weight ${ref.weight_paths[i]}`),
      );
    const config = model.getConfig();
    assert.deepEqual(config.input_layers, ref.config_inputs);
    assert.deepEqual(config.output_layers, ref.config_outputs);
  });
}

test('a dataset of [[xa, xb], [y1, y2]] batches trains like the arrays; predictOnBatch and apply take lists and dicts', async () => {
  const ref = fixture.runs.list;
  const model = build(false);
  model.setWeights(ref.weights as number[][]);
  model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), ...COMPILE.list });
  const batches = [0, 4, 8, 12].map((s) => [
    [tf.constant(xA.slice(s, s + 4), 'float32'), tf.constant(xB.slice(s, s + 4), 'float32')],
    [tf.constant(y1.slice(s, s + 4), 'float32'), tf.constant(y2.slice(s, s + 4), 'float32')],
  ]) as unknown as tf.keras.layers.Layer[];
  const dataset = {
    *[Symbol.iterator]() {
      yield* batches;
    },
  };
  const history = await model.fit(dataset as never, { epochs: 3, verbose: 0 });
  assertClose(history.history.loss as number[], ref.history.loss, 'dataset loss');
  assertClose(history.history.out2_accuracy as number[], ref.history.out2_accuracy, 'dataset out2_accuracy');
  // One session run per step: the step's inputs are the feeds of one run.
  assert.equal(model.trainFunction?.tracingCount, 1);
  const [p1, p2] = model.predictOnBatch<tf.Tensor[]>([xA.slice(0, 2), xB.slice(0, 2)]);
  assert.deepEqual(
    [p1.shape, p2.shape],
    [
      [2, 2],
      [2, 1],
    ],
  );
  const byName = model.predictOnBatch<tf.Tensor[]>({ a: xA.slice(0, 2), b: xB.slice(0, 2) } as never);
  assertClose(Array.from(byName[0].dataSync() as Float32Array), Array.from(p1.dataSync() as Float32Array), 'by name');
  const applied = model.apply([tf.constant(xA.slice(0, 2), 'float32'), tf.constant(xB.slice(0, 2), 'float32')]) as unknown as tf.Tensor[];
  assertClose(Array.from(applied[1].dataSync() as Float32Array), Array.from(p2.dataSync() as Float32Array), 'apply');
  // Wrong structures are clear errors.
  await assert.rejects(model.predict([xA], { verbose: 0 }), {
    name: 'RangeError',
    message: '`x` must hold 2 arrays, one for each of the model\'s inputs or outputs ["a","b"]; got 1',
  });
  await assert.rejects(model.fit({ a: xA, c: xB }, [y1, y2], { verbose: 0 }), { name: 'RangeError', message: /`x` has keys \["c"\]/ });
  await assert.rejects(model.fit([xA, xB.slice(0, 8)], [y1, y2], { verbose: 0 }), {
    name: 'RangeError',
    message: /Data cardinality is ambiguous/,
  });
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: ['mse'] }), {
    name: 'RangeError',
    message: /`loss` must hold one entry per output \(2: \["out1","out2"\]\)/,
  });
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: { out3: 'mse' } }), {
    name: 'RangeError',
    message: 'Expected keys ["out1","out2"] in `loss`, but found ["out3"]',
  });
});

test('nested: a two-input model called inside another functional model', () => {
  const inner = build(false);
  const p = tf.keras.Input([3], { name: 'p' });
  const q = tf.keras.Input([2], { name: 'q' });
  const [r1, r2] = inner.apply([p, q]) as unknown as tf.keras.layers.KerasTensor[];
  assert.deepEqual(
    [r1.shape, r2.shape],
    [
      [null, 2],
      [null, 1],
    ],
  );
  const outer = new tf.keras.Model({ inputs: [p, q], outputs: new tf.keras.layers.Concatenate().apply([r1, r2]) });
  const y = outer.predictOnBatch([xA.slice(0, 3), xB.slice(0, 3)]);
  const [e1, e2] = inner.predictOnBatch<tf.Tensor[]>([xA.slice(0, 3), xB.slice(0, 3)]);
  assert.deepEqual(y.arraySync(), tf.concat([e1, e2], 1).arraySync());
});

test('summary lists both inputs and the merge node', () => {
  let text = '';
  build(false).summary({ printFn: (line: string) => (text += `${line}\n`) });
  assert.match(text, /a \(InputLayer\) +│ \(None, 3\) +│ +0 │ - /);
  assert.match(text, /b \(InputLayer\) +│ \(None, 2\) +│ +0 │ - /);
  assert.match(text, /cat \(Concatenate\) +│ \(None, 6\) +│ +0 │ h\[0\]\[0\], b\[0\]\[0\]/);
  assert.match(text, /Total params: 37/);
});

test('save/load: .keras and .weights.h5 keep the lists and dicts, compiled', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-io-'));
  for (const dictIO of [false, true]) {
    const model = build(dictIO);
    model.compile({ optimizer: 'adam', ...COMPILE[dictIO ? 'dict' : 'list'] });
    const { x, y } = data(dictIO);
    await model.fit(x, y, { epochs: 1, verbose: 0, batchSize: 8 });
    const file = path.join(dir, `${model.name}.keras`);
    await model.save(file);
    const copy = await tf.keras.models.loadModel(file);
    assert.deepEqual(copy.getConfig(), model.getConfig());
    assert.ok(copy.compiled);
    const before = await model.evaluate(x, y, { verbose: 0, returnDict: true });
    assert.deepEqual(await copy.evaluate(x, y, { verbose: 0, returnDict: true }), before);
    const weightsFile = path.join(dir, `${model.name}.weights.h5`);
    await model.saveWeights(weightsFile);
    const fresh = build(dictIO);
    await fresh.loadWeights(weightsFile);
    const a = await fresh.predict<tf.Tensor[] | Record<string, tf.Tensor>>(x, { verbose: 0 });
    const b = await model.predict<tf.Tensor[] | Record<string, tf.Tensor>>(x, { verbose: 0 });
    for (const key of Object.keys(b)) {
      assert.deepEqual((a as Record<string, tf.Tensor>)[key].arraySync(), (b as Record<string, tf.Tensor>)[key].arraySync());
    }
  }
});

test('Python Keras loads our two-input two-output .keras files and predicts the same', { skip: pythonTFMissing() }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-io-py-'));
  for (const dictIO of [false, true]) {
    const model = build(dictIO);
    model.compile({ optimizer: 'adam', ...COMPILE[dictIO ? 'dict' : 'list'] });
    const file = path.join(dir, `${model.name}.keras`);
    await model.save(file);
    const script = `
import json, sys, numpy as np, keras
m = keras.models.load_model(sys.argv[1])
x = json.loads(sys.argv[2])
x = {k: np.array(v, 'float32') for k, v in x.items()} if isinstance(x, dict) else [np.array(v, 'float32') for v in x]
p = m.predict(x, verbose=0)
print(json.dumps({k: v.tolist() for k, v in p.items()} if isinstance(p, dict) else [v.tolist() for v in p]))`;
    const { x } = data(dictIO);
    const theirs = runPythonJson<Nested[] | Record<string, Nested>>(script, file, JSON.stringify(x));
    const ours = await model.predict<tf.Tensor[] | Record<string, tf.Tensor>>(x, { verbose: 0 });
    for (const key of Object.keys(ours)) {
      const t = (ours as Record<string, tf.Tensor>)[key];
      assertClose(Array.from(t.dataSync() as Float32Array), flat((theirs as Record<string, Nested>)[key]), `python ${model.name} ${key}`);
    }
  }
});

test("Keras' positional dicts: new Model({a, b}, {reg, cls}, name) takes them as inputs and outputs", () => {
  const a = tf.keras.Input([3], { name: 'a' });
  const b = tf.keras.Input([2], { name: 'b' });
  const c = tf.keras.layers.concatenate([a, b]);
  const reg = new tf.keras.layers.Dense(2).apply(c);
  const model = new tf.keras.Model({ a, b }, { reg }, 'positional_dicts');
  assert.equal(model.name, 'positional_dicts');
  assert.deepEqual(model.outputStructure.keys, ['reg']);
  const out = model.predictOnBatch<Record<string, tf.Tensor>>({ a: xA.slice(0, 1), b: xB.slice(0, 1) } as never);
  assert.deepEqual(out.reg.shape, [1, 2]);
  assert.throws(() => new tf.keras.Model({ a, b }, { reg }, { inputs: a } as never), {
    name: 'TypeError',
    message: 'Model: `inputs` given both positionally and in the options',
  });
});

test('export: a SavedModel of a two-input model takes both inputs by name; dict outputs keep their keys', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-io-export-'));
  for (const dictIO of [false, true]) {
    const model = build(dictIO);
    const target = path.join(dir, model.name);
    model.export(target, { verbose: false });
    const loaded = tf.savedModel.load(target);
    const signature = loaded.signatures.serving_default;
    assert.deepEqual(Object.keys(signature.inputs).sort(), ['a', 'b']);
    const out = signature({ a: tf.constant(xA.slice(0, 3), 'float32'), b: tf.constant(xB.slice(0, 3), 'float32') });
    const ours = await model.predict<tf.Tensor[] | Record<string, tf.Tensor>>(
      dictIO ? { a: xA.slice(0, 3), b: xB.slice(0, 3) } : [xA.slice(0, 3), xB.slice(0, 3)],
      { verbose: 0 },
    );
    const keys = dictIO ? ['cls', 'reg'] : ['output_0', 'output_1'];
    assert.deepEqual(Object.keys(out).sort(), keys);
    keys.forEach((key, i) => {
      const expected = dictIO ? (ours as Record<string, tf.Tensor>)[key] : (ours as tf.Tensor[])[i];
      assertClose(Array.from(out[key].dataSync() as Float32Array), Array.from(expected.dataSync() as Float32Array), `export ${key}`);
    });
    loaded.dispose();
  }
});

test('Node loads the two-input two-output .keras files Python Keras saved', { skip: pythonTFMissing() }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-io-from-py-'));
  const script = `
import json, sys, os, numpy as np, keras
a = keras.Input((3,), name='a'); b = keras.Input((2,), name='b')
h = keras.layers.Dense(4, activation='tanh', name='h')(a)
c = keras.layers.Concatenate(name='cat')([h, b])
o1 = keras.layers.Dense(2, name='out1')(c)
o2 = keras.layers.Dense(1, activation='sigmoid', name='out2')(keras.layers.Multiply(name='mul')([c, c]))
x = [np.array(v, 'float32') for v in json.loads(sys.argv[2])]
out = {}
for name, m in [('list', keras.Model([a, b], [o1, o2])), ('dict', keras.Model({'a': a, 'b': b}, {'reg': o1, 'cls': o2}))]:
    m.compile(optimizer='adam', loss='mse')
    m.save(os.path.join(sys.argv[1], name + '.keras'))
    p = m.predict(x if name == 'list' else {'a': x[0], 'b': x[1]}, verbose=0)
    out[name] = {k: v.tolist() for k, v in p.items()} if isinstance(p, dict) else [v.tolist() for v in p]
print(json.dumps(out))`;
  const x = [xA.slice(0, 4), xB.slice(0, 4)];
  const theirs = runPythonJson<{ list: Nested[]; dict: Record<string, Nested> }>(script, dir, JSON.stringify(x));
  const list = await tf.keras.models.loadModel(path.join(dir, 'list.keras'));
  const ours = await list.predict<tf.Tensor[]>(x, { verbose: 0 });
  theirs.list.forEach((p, i) => assertClose(Array.from(ours[i].dataSync() as Float32Array), flat(p), `list output ${i}`));
  const dict = await tf.keras.models.loadModel(path.join(dir, 'dict.keras'));
  const byKey = await dict.predict<Record<string, tf.Tensor>>({ a: x[0], b: x[1] }, { verbose: 0 });
  for (const key of ['reg', 'cls']) assertClose(Array.from(byKey[key].dataSync() as Float32Array), flat(theirs.dict[key]), `dict ${key}`);
});

test('validationSplit and validationData with lists: val_ logs per output; one weight per sample weighs every output', async () => {
  const model = build(false);
  model.compile({ optimizer: 'sgd', ...COMPILE.list });
  const split = await model.fit([xA, xB], [y1, y2], { epochs: 1, verbose: 0, validationSplit: 0.25 });
  for (const key of ['val_loss', 'val_out1_loss', 'val_out2_loss', 'val_out1_mae', 'val_out2_accuracy'])
    assert.ok(key in split.history, key);
  const given = await model.fit([xA, xB], [y1, y2], {
    epochs: 1,
    verbose: 0,
    validationData: [
      [xA, xB],
      [y1, y2],
    ],
  });
  assert.ok('val_out1_loss' in given.history);
  // Zero weights for every sample: every output's loss is zero.
  const zero = (await model.evaluate([xA, xB], [y1, y2], { verbose: 0, returnDict: true, sampleWeight: new Array(16).fill(0) })) as Record<
    string,
    number
  >;
  assert.deepEqual([zero.loss, zero.out1_loss, zero.out2_loss], [0, 0, 0]);
  await assert.rejects(model.fit([xA, xB], [y1, y2], { verbose: 0, sampleWeight: { out1: new Array(16).fill(1) } }), {
    name: 'RangeError',
    message: '`sampleWeight` lacks the entry \'out2\'; the model expects ["out1","out2"]',
  });
  // By output, a dict by output name works like the list.
  const byName = (await model.evaluate([xA, xB], [y1, y2], {
    verbose: 0,
    returnDict: true,
    sampleWeight: { out1: new Array(16).fill(0), out2: new Array(16).fill(1) },
  })) as Record<string, number>;
  assert.equal(byName.out1_loss, 0);
  assert.ok(byName.out2_loss > 0);
  await assert.rejects(model.fit([xA, xB], [y1, y2], { verbose: 0, classWeight: { 0: 1 } }), {
    name: 'TypeError',
    message: '`classWeight` is only supported for Models with a single output.',
  });
});

test('a dataset of [[xa, xb], [y1, y2], [sw1, sw2]] batches weighs each output like the arrays (Keras)', async () => {
  const ref = fixture.runs.sample_weights;
  const model = build(false);
  model.setWeights(ref.weights as number[][]);
  model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), ...COMPILE.sample_weights });
  const t = (v: number[] | number[][], s: number) => tf.constant(v.slice(s, s + 4) as number[], 'float32');
  const batches = [0, 4, 8, 12].map((s) => [
    [t(xA, s), t(xB, s)],
    [t(y1, s), t(y2, s)],
    [t(sw1, s), t(sw2, s)],
  ]);
  const dataset = {
    *[Symbol.iterator]() {
      yield* batches;
    },
  };
  const history = await model.fit(dataset as never, { epochs: 3, verbose: 0 });
  for (const key of ['loss', 'out1_loss', 'out2_loss', 'out1_mae', 'out2_mse']) {
    assertClose(history.history[key] as number[], ref.history[key], `dataset ${key}`);
  }
});
