// The attention layers in functional models: MultiHeadAttention's node records its separate
// positional inputs (Keras' `args: [query, value, key]`) and call kwargs, Attention's its list;
// such a model trains with fit, saves and loads as .keras in Node, Python Keras loads it and predicts
// the same, and Node loads Python's (`key=` given by keyword, returned scores, causal masks).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { pythonTFMissing, runPythonJson } from './helpers/python_tf';

const { layers } = tf.keras;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-attention-functional-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function pattern(shape: number[], phase: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + phase)),
    shape,
    'float32',
  );
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor | number[][]) => {
  const x = Array.from(a.dataSync() as Float32Array);
  const y = b instanceof tf.Tensor ? Array.from(b.dataSync() as Float32Array) : (b.flat(3 as 1) as number[]);
  assert.equal(x.length, y.length);
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
};

/** Input → MultiHeadAttention (causal self-attention) → Attention over it and the input → pooling → Dense. */
function attentionModel(): tf.keras.Model {
  const x = tf.keras.Input([5, 8], { name: 'x' });
  const a = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' }).apply(x, x, { useCausalMask: true });
  const c = new layers.Attention({ useScale: true, name: 'att' }).apply([a, x]);
  const y = new layers.Dense(1, { name: 'out' }).apply(new layers.GlobalAveragePooling1D().apply(c));
  return new tf.keras.Model({ inputs: x, outputs: y, name: 'attention_model' });
}

test('a functional model with MultiHeadAttention and Attention trains with fit and round-trips through .keras', async () => {
  tf.random.setSeed(3);
  const model = attentionModel();
  assert.deepEqual(model.outputs[0].shape, [null, 1]);
  const x = pattern([32, 5, 8], 0.2);
  const y = tf.reduceMean(x, [1, 2], true);
  model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const history = await model.fit(x, tf.reshape(y, [32, 1]), { epochs: 20, batchSize: 8, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `loss fell: ${losses[0]} → ${losses[losses.length - 1]}`);
  const config = model.getConfig() as { layers: { name: string; inbound_nodes: { args: unknown[]; kwargs: unknown }[] }[] };
  const mha = config.layers.find((l) => l.name === 'mha');
  assert.equal(mha?.inbound_nodes[0].args.length, 2, 'query and value as separate arguments');
  assert.deepEqual(mha?.inbound_nodes[0].kwargs, { use_causal_mask: true });
  const att = config.layers.find((l) => l.name === 'att');
  assert.ok(Array.isArray(att?.inbound_nodes[0].args[0]), 'Attention is called on one list');
  const file = path.join(root, 'attention.keras');
  await model.save(file);
  const copy = await tf.keras.models.loadModel(file);
  const probe = pattern([3, 5, 8], 1.3);
  assert.ok(
    maxDiff(copy.predictOnBatch(probe) as tf.Tensor, model.predictOnBatch(probe) as tf.Tensor) === 0,
    'the loaded model predicts the same',
  );
});

test('Python Keras loads the Node-saved .keras and predicts the same; Node loads a Python-saved one', async (t) => {
  const missing = pythonTFMissing();
  if (missing) return t.skip(missing);
  tf.random.setSeed(9);
  const model = attentionModel();
  const probe = pattern([3, 5, 8], 0.4);
  const file = path.join(root, 'for_python.keras');
  await model.save(file);
  const pythonFile = path.join(root, 'from_python.keras');
  const script = `
import sys, json, numpy as np, keras
x = np.array(json.loads(sys.argv[2]), dtype="float32")
ours = keras.models.load_model(sys.argv[1]).predict(x, verbose=0).tolist()
q = keras.Input((5, 8), name="q")
k = keras.layers.Dense(3, name="key_proj")(q)
m1 = keras.layers.MultiHeadAttention(2, 3, value_dim=2, name="mha")
a, s = m1(q, q, key=k, return_attention_scores=True, use_causal_mask=True)
b = keras.layers.Attention(score_mode="concat", name="att")([a, q], use_causal_mask=True)
out = keras.layers.Dense(2, name="out")(keras.layers.Flatten()(b))
m = keras.Model(q, out)
m.compile(optimizer="adam", loss="mse")
m.save(sys.argv[3])
theirs = m.predict(x, verbose=0).tolist()
print(json.dumps({"ours": ours, "theirs": theirs}))
`;
  const out = runPythonJson<{ ours: number[][]; theirs: number[][] }>(script, file, JSON.stringify(probe.arraySync()), pythonFile);
  assert.ok(maxDiff(model.predictOnBatch(probe), out.ours) < 1e-5, 'Python predicts what Node does');
  const loaded = await tf.keras.models.loadModel(pythonFile);
  assert.ok(maxDiff(loaded.predictOnBatch(probe), out.theirs) < 1e-5, 'Node predicts what Python does');
});

test('functional calls: masks given as arguments are refused with a clear error, inputs carrying masks are fine', () => {
  const x = tf.keras.Input([4, 6]);
  const mha = new layers.MultiHeadAttention(2, 3);
  assert.throws(
    () => mha.apply(x, x, { attentionMask: tf.keras.Input([4, 4]) as never }),
    (e: Error) => e instanceof TypeError && /`attentionMask` is not supported in a functional call yet/.test(e.message),
  );
  assert.throws(
    () => new layers.Attention().apply([x, x], { mask: [null, null] }),
    (e: Error) => e instanceof TypeError && /`mask` is not supported in a functional call yet/.test(e.message),
  );
  const [out, scores] = mha.apply(x, x, { returnAttentionScores: true });
  assert.deepEqual(out.shape, [null, 4, 6]);
  assert.deepEqual(scores.shape, [null, 2, 4, 4]);
});
