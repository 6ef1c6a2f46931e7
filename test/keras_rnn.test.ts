// Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional and TimeDistributed against Keras 3:
// forward values (with returned states and masks) and gradients of a scalar loss w.r.t. inputs
// and weights, with Keras' weights set in (test/fixtures/generators/rnn_reference.py), run both
// eagerly and inside tf.function; configs and fromConfig round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { pythonTFMissing, runPythonJson } from './helpers/python_tf';

const { layers } = tf.keras;
const { Embedding, Masking, LSTM, GRU, SimpleRNN, Bidirectional, TimeDistributed, Dense } = layers;

interface Case {
  name: string;
  layer: { class_name: string; config: Record<string, unknown> };
  x: number[];
  x_shape: number[];
  ids: boolean;
  mask: boolean[] | null;
  /** States the call starts from (absent: zeros); gradients w.r.t. them follow the inputs'. */
  initial_state?: number[][] | null;
  weights: number[][];
  weight_shapes: number[][];
  weight_paths: string[];
  outputs: number[][];
  output_shapes: number[][];
  cotangents: number[][];
  grads: number[][];
  output_mask: boolean[] | null;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'rnn.json'), 'utf8')) as {
  cases: Case[];
  configs: Record<string, { class_name: string; config: Record<string, unknown> }>;
};

const RTOL = 1e-5;
const ATOL = 1e-6;
let maxDiff = 0;

function assertClose(got: ArrayLike<number>, want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    maxDiff = Math.max(maxDiff, diff);
    assert.ok(diff <= ATOL + RTOL * Math.abs(want[i]), `${what}[${i}]: got ${got[i]}, want ${want[i]} (diff ${diff})`);
  }
}

function shaped(values: readonly number[], shape: readonly number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), shape as number[], dtype);
}

/** Outputs then gradients (inputs first unless ids, then trainable weights). */
function forwardAndGrads(
  layer: tf.keras.layers.Layer,
  c: Case,
  x: tf.Tensor,
  mask: tf.Tensor | null,
): { outputs: tf.Tensor[]; grads: tf.Tensor[]; outMask: tf.Tensor | null } {
  const tape = new tf.GradientTape();
  if (!c.ids) tape.watch(x);
  const states = (c.initial_state ?? []).map((s) => shaped(s, [c.x_shape[0], s.length / c.x_shape[0]], 'float32'));
  for (const s of states) tape.watch(s);
  let outMask: tf.Tensor | null = null;
  const { outputs, loss } = tape.record(() => {
    const options = { ...(mask === null ? {} : { mask }), ...(states.length === 0 ? {} : { initialState: states }) };
    const out = layer.apply(x, options) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    outMask = layers.getKerasMask(outs[0]);
    const terms = outs.map((o, k) => tf.reduceSum(tf.multiply(o, shaped(c.cotangents[k], c.output_shapes[k]))));
    return { outputs: outs, loss: terms.reduce((a, b) => tf.add(a, b)) };
  });
  const sources = [...(c.ids ? [] : [x]), ...states, ...layer.trainableWeights];
  const grads = tape.gradient(loss, sources) as tf.Tensor[];
  return { outputs, grads, outMask };
}

function check(c: Case, result: { outputs: tf.Tensor[]; grads: tf.Tensor[]; outMask: tf.Tensor | null }, where: string): void {
  assert.equal(result.outputs.length, c.outputs.length, `${c.name} (${where}): output count`);
  result.outputs.forEach((o, k) => {
    assert.deepEqual(o.shape, c.output_shapes[k], `${c.name} (${where}): output ${k} shape`);
    assertClose(o.dataSync() as Float32Array, c.outputs[k], `${c.name} (${where}) output ${k}`);
  });
  assert.equal(result.grads.length, c.grads.length, `${c.name}: gradient count`);
  result.grads.forEach((g, k) => assertClose(g.dataSync() as Float32Array, c.grads[k], `${c.name} (${where}) gradient ${k}`));
  if (c.output_mask === null) assert.equal(result.outMask, null, `${c.name} (${where}): no output mask`);
  else assert.deepEqual(Array.from(result.outMask?.dataSync() as Uint8Array, Boolean), c.output_mask, `${c.name} (${where}): output mask`);
}

for (const c of fixture.cases) {
  test(`${c.name}: outputs and gradients match Keras, eagerly and in tf.function`, () => {
    const layer = layers.deserialize(c.layer as never);
    const x = shaped(c.x, c.x_shape, c.ids ? 'int32' : 'float32');
    const mask = c.mask === null ? null : tf.tensor(Uint8Array.from(c.mask, Number), [c.x_shape[0], c.x_shape[1]], 'bool');
    layer.apply(x, mask === null ? {} : { mask });
    assert.deepEqual(
      layer.weights.map((w) => w.shape),
      c.weight_shapes,
    );
    layer.setWeights(c.weights.map((w, k) => shaped(w, c.weight_shapes[k])));
    check(c, forwardAndGrads(layer, c, x, mask), 'eager');
    const traced = tf.function(() => {
      const r = forwardAndGrads(layer, c, x, mask);
      return [...r.outputs, ...r.grads, ...(r.outMask === null ? [] : [r.outMask])];
    });
    const all = traced() as tf.Tensor[];
    const n = c.outputs.length;
    const g = c.grads.length;
    check(c, { outputs: all.slice(0, n), grads: all.slice(n, n + g), outMask: all.length > n + g ? all[n + g] : null }, 'tf.function');
    layer.dispose();
  });
}

test('getConfig equals Keras config; fromConfig round trips', () => {
  for (const [cls, serialized] of Object.entries(fixture.configs)) {
    const layer = layers.deserialize(serialized as never);
    assert.equal(layer.constructor.name, cls);
    assert.deepEqual(layer.getConfig(), serialized.config, cls);
    const again = (layer.constructor as typeof tf.keras.layers.Layer).fromConfig(layer.getConfig());
    assert.deepEqual(again.getConfig(), serialized.config, `${cls} round trip`);
  }
});

test('constructors take Keras leading arguments positionally and validate options', () => {
  assert.equal(new Embedding(1000, 64).outputDim, 64);
  assert.equal(new LSTM(8, { returnSequences: true }).units, 8);
  assert.equal(new GRU(5).resetAfter, true);
  assert.equal(new SimpleRNN(2, 'relu').getConfig().activation, 'relu');
  assert.equal(new Masking(-1).maskValue, -1);
  assert.throws(() => new LSTM(0), /expected a positive integer/);
  assert.throws(() => new LSTM(4, { dropout: 1.5 }), /dropout/);
  assert.throws(() => new LSTM(4, { retrunSequences: true } as never), TypeError);
  assert.throws(() => new Embedding(0, 3), /input_dim/);
  assert.throws(() => new Bidirectional(new Dense(3) as never), /recurrent layer/);
  assert.throws(() => new Bidirectional(new LSTM(3), 'max' as never), /merge mode/i);
  assert.throws(() => new TimeDistributed(3 as never), TypeError);
  assert.throws(() => new LSTM(3).apply(tf.zeros([2, 3])), /expected ndim=3/);
});

test('dropout and recurrentDropout drop in training only, and train', () => {
  const layer = new LSTM(4, { dropout: 0.5, recurrentDropout: 0.5, seed: 1 });
  const x = tf.ones([3, 6, 2]);
  const a = layer.apply(x, { training: false }).dataSync();
  const b = layer.apply(x, { training: false }).dataSync();
  assert.deepEqual(a, b);
  const c = layer.apply(x, { training: true }).dataSync();
  assert.notDeepEqual(Array.from(c), Array.from(a));
});

test('the mask travels: Embedding(maskZero) → LSTM in Sequential, functional and fit', async () => {
  const ids = tf.tensor(Int32Array.from([1, 2, 0, 0, 3, 4, 5, 0]), [2, 4], 'int32');
  const emb = new Embedding(8, 3, { maskZero: true });
  const lstm = new LSTM(2, { returnSequences: true });
  const seq = new tf.keras.Sequential([emb, lstm]);
  const out = seq.apply(ids);
  assert.deepEqual(Array.from(layers.getKerasMask(out)?.dataSync() as Uint8Array, Boolean), [
    true,
    true,
    false,
    false,
    true,
    true,
    true,
    false,
  ]);
  // A masked step repeats the previous output.
  const v = out.arraySync() as number[][][];
  assert.deepEqual(v[0][2], v[0][1]);
  assert.deepEqual(v[1][3], v[1][2]);
  const input = tf.keras.Input({ shape: [4], dtype: 'int32' });
  const model = new tf.keras.Model({
    inputs: input,
    outputs: new Dense(1).apply(new Bidirectional(new LSTM(2)).apply(new Embedding(8, 3, { maskZero: true }).apply(input))),
  });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await model.fit(ids, tf.ones([2, 1]), { epochs: 3, verbose: 0 });
  assert.equal((history as unknown as { history: { loss: number[] } }).history.loss.length, 3);
});

test('returnState in a functional model gives [output, h, c]', () => {
  const input = tf.keras.Input({ shape: [5, 3] });
  const lstm = new LSTM(4, { returnState: true });
  const outs = lstm.apply(input) as unknown as tf.keras.layers.KerasTensor[];
  assert.deepEqual(
    outs.map((o) => o.shape),
    [
      [null, 4],
      [null, 4],
      [null, 4],
    ],
  );
  // The cell state feeds the next layer.
  const model = new tf.keras.Model({ inputs: input, outputs: new Dense(2).apply(outs[2]) });
  const xs = tf.ones([2, 5, 3]);
  assert.deepEqual(model.predictOnBatch(xs).shape, [2, 2]);
  const [output, h, c] = lstm.apply(xs) as unknown as tf.Tensor[];
  assert.deepEqual(output.dataSync(), h.dataSync());
  assert.deepEqual(c.shape, [2, 4]);
});

test('max abs diff against Keras', () => {
  console.log(`rnn parity: max abs diff ${maxDiff.toExponential(2)}`);
  assert.ok(maxDiff < 1e-4);
});

test('Orthogonal (the recurrent kernels default): Qᵀ·Q = gain²·I, seeded, Keras config', () => {
  const init = new tf.keras.initializers.Orthogonal({ gain: 2, seed: 5 });
  for (const shape of [
    [6, 4],
    [4, 6],
  ]) {
    const q = init.call(shape);
    const [r, c] = shape;
    const qtq = (r >= c ? tf.matmul(q, q, { transposeA: true }) : tf.matmul(q, q, { transposeB: true })).arraySync() as number[][];
    qtq.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 4 : 0)) < 1e-5, `${shape}: [${i}][${j}] = ${v}`)));
    assert.deepEqual(init.call(shape).dataSync(), q.dataSync());
  }
  assert.deepEqual(init.getConfig(), { seed: 5, gain: 2 });
  assert.equal(tf.keras.initializers.get('orthogonal').constructor.name, 'Orthogonal');
  assert.throws(() => init.call([3]), /2D/);
});

test('initialState: Keras-style checks; Bidirectional returnState in a functional model', async () => {
  const x = tf.ones([2, 5, 3], 'float32');
  const lstm = new LSTM(4);
  assert.throws(() => lstm.apply(x, { initialState: [tf.zeros([2, 4], 'float32')] }), {
    name: 'RangeError',
    message: /^Layer 'lstm\w*' expects 2 initial state\(s\) \(one per cell state\), but it received 1 initial state\(s\)\.$/,
  });
  assert.throws(() => lstm.apply(x, { initialState: [tf.zeros([2, 3], 'float32'), tf.zeros([2, 4], 'float32')] }), {
    name: 'RangeError',
    message: /initial state 0 must have shape \(2, 4\); received shape \(2, 3\)/,
  });
  // One state given as one tensor (a GRU's h) or as a 2-D host array.
  const gru = new GRU(4);
  const fromTensor = gru.apply(x, { initialState: tf.fill([2, 4], 0.5) }).dataSync();
  const fromHost = gru.apply(x, { initialState: [Array(4).fill(0.5), Array(4).fill(0.5)] }).dataSync();
  assert.deepEqual(Array.from(fromHost), Array.from(fromTensor));
  assert.notDeepEqual(Array.from(gru.apply(x).dataSync()), Array.from(fromTensor));
  const bidi = new Bidirectional(new LSTM(3, { returnState: true }));
  assert.throws(() => bidi.apply(x, { initialState: [tf.zeros([2, 3], 'float32')] }), {
    name: 'RangeError',
    message: /expects 4 initial states \(the forward layer's, then the backward layer's\)/,
  });
  assert.throws(() => new Bidirectional(new LSTM(3, { returnState: true }), { backwardLayer: new LSTM(3, { goBackwards: true }) }), {
    name: 'RangeError',
    message: 'Forward layer and backward layer should have the same `return_state` value.',
  });
  const input = tf.keras.Input([5, 3]);
  assert.throws(() => new LSTM(2).apply(input, { initialState: [tf.zeros([2, 2]), tf.zeros([2, 2])] }), {
    name: 'TypeError',
    message: /on KerasTensors, initialState must be KerasTensors/,
  });
  assert.throws(() => new LSTM(2).apply(input, { initialState: [tf.keras.Input([2])] }), {
    name: 'RangeError',
    message: /expects 2 initial state\(s\) as KerasTensors, but it received 1/,
  });
  // [output, forward h, forward c, backward h, backward c] as KerasTensors; a head on the backward h.
  const outs = bidi.apply(input) as unknown as (typeof input)[];
  assert.deepEqual(
    outs.map((t) => t.shape),
    [
      [null, 6],
      [null, 3],
      [null, 3],
      [null, 3],
      [null, 3],
    ],
  );
  const model = new tf.keras.Model({ inputs: input, outputs: new Dense(1).apply(outs[3]) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit(x, tf.ones([2, 1], 'float32'), { epochs: 2, verbose: 0 });
  assert.equal(history.history.loss.length, 2);
  const [, , , hBackward] = bidi.apply(x) as unknown as tf.Tensor[];
  const head = model.layers[model.layers.length - 1];
  const predicted = await model.predict(x, { verbose: 0 });
  assert.deepEqual(Array.from(predicted.dataSync()), Array.from(head.apply(hBackward).dataSync()));
});

test('a functional encoder-decoder: the decoder LSTM starts from the encoder states (Keras initial_state)', async (t) => {
  const fsMod = await import('node:fs');
  const os = await import('node:os');
  const encoderInput = tf.keras.Input([5, 3], { name: 'encoder_in' });
  const [, h, c] = new LSTM(4, { returnState: true, name: 'encoder' }).apply(encoderInput) as unknown as (typeof encoderInput)[];
  const decoderInput = tf.keras.Input([4, 2], { name: 'decoder_in' });
  const decoder = new LSTM(4, { returnSequences: true, name: 'decoder' });
  const decoded = decoder.apply(decoderInput, { initialState: [h, c] });
  const head = new Dense(2, { name: 'head' });
  const model = new tf.keras.Model({ inputs: [encoderInput, decoderInput], outputs: head.apply(decoded) });
  const wave = (shape: number[], phase: number) =>
    tf.tensor(
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.731 + phase)),
      shape,
      'float32',
    );
  const xe = wave([3, 5, 3], 0);
  const xd = wave([3, 4, 2], 1);
  // The same layers called eagerly.
  const encoderLayer = model.getLayer('encoder');
  const [, he, ce] = encoderLayer.apply(xe) as unknown as tf.Tensor[];
  const eager = head.apply(decoder.apply(xd, { initialState: [he, ce] }));
  const predicted = (await model.predict([xe, xd], { verbose: 0 })) as tf.Tensor;
  assert.deepEqual(predicted.shape, [3, 4, 2]);
  const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${v} vs ${b[i]}`));
  close(predicted.dataSync() as Float32Array, eager.dataSync() as Float32Array);
  // Not the zero-state decoder.
  assert.ok(Math.abs((head.apply(decoder.apply(xd)).dataSync() as Float32Array)[0] - (eager.dataSync() as Float32Array)[0]) > 1e-6);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const history = await model.fit([xe, xd], tf.zeros([3, 4, 2]), { epochs: 3, verbose: 0 });
  assert.ok((history.history.loss[2] as number) < (history.history.loss[0] as number));
  // Keras' config: the states are the decoder call's `initial_state` keyword; a .keras round trip.
  const config = model.getConfig() as { layers: { name: string; inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[] }[] };
  const node = config.layers.find((l) => l.name === 'decoder')?.inbound_nodes[0];
  assert.ok(node !== undefined);
  assert.equal(node.args.length, 1);
  assert.deepEqual(
    (node.kwargs.initial_state as { config: { keras_history: unknown } }[]).map((r) => r.config.keras_history),
    [
      ['encoder', 0, 1],
      ['encoder', 0, 2],
    ],
  );
  const dir = fsMod.mkdtempSync(require('node:path').join(os.tmpdir(), 'tf-napi-seq2seq-'));
  t.after(() => fsMod.rmSync(dir, { recursive: true, force: true }));
  const file = require('node:path').join(dir, 'seq2seq.keras');
  await model.save(file);
  const loaded = await tf.keras.models.loadModel(file);
  const expected = ((await model.predict([xe, xd], { verbose: 0 })) as tf.Tensor).dataSync() as Float32Array;
  close(((await loaded.predict([xe, xd], { verbose: 0 })) as tf.Tensor).dataSync() as Float32Array, expected);
  const missing = pythonTFMissing();
  if (missing !== undefined) {
    t.diagnostic(`Python check skipped: ${missing}`);
    return;
  }
  const script = [
    'import json, sys, numpy as np, keras',
    'm = keras.models.load_model(sys.argv[1])',
    'xe, xd = (np.array(json.loads(a), dtype="float32") for a in sys.argv[2:4])',
    'print(json.dumps(m.predict([xe, xd], verbose=0).reshape(-1).tolist()))',
  ].join('\n');
  close(runPythonJson<number[]>(script, file, JSON.stringify(xe.arraySync()), JSON.stringify(xd.arraySync())), expected);
});
