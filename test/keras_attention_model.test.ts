// The attention layers in models: a subclassed model (Embedding(maskZero) → MultiHeadAttention →
// pooling → Dense) trains with fit, its weights round-trip through .weights.h5 under Keras' names,
// and Python Keras loads them into the same model and predicts the same (and the other way round).
// Also the call-time errors and options.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { readWeightsStore } from '../lib/keras/saving/h5_io_store';
import { pythonTFMissing, runPythonJson } from './helpers/python_tf';

const { layers } = tf.keras;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-attention-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_attention.json'), 'utf8')) as {
  errors: Record<string, { type: string; message: string }>;
};

class Classifier extends tf.keras.Model {
  readonly embedding = new layers.Embedding({ inputDim: 12, outputDim: 8, maskZero: true });
  readonly attention = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1, seed: 3, useGate: true, slidingWindow: 3 });
  readonly cross = new layers.Attention({ useScale: true });
  readonly pooling = new layers.GlobalAveragePooling1D();
  readonly head = new layers.Dense(1, 'sigmoid');

  override call(x: tf.Tensor, options: tf.keras.layers.CallOptions): tf.Tensor {
    const e = this.embedding.apply(x);
    const a = this.attention.apply(e, e, { training: options.training, useCausalMask: true });
    const c = this.cross.apply([a, e]);
    return this.head.apply(this.pooling.apply(c));
  }
}

const PYTHON_MODEL = `
import sys, json, numpy as np, keras
class Classifier(keras.Model):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.embedding = keras.layers.Embedding(12, 8, mask_zero=True)
        self.attention = keras.layers.MultiHeadAttention(2, 4, dropout=0.1, seed=3, use_gate=True, sliding_window=3)
        self.cross = keras.layers.Attention(use_scale=True)
        self.pooling = keras.layers.GlobalAveragePooling1D()
        self.head = keras.layers.Dense(1, activation="sigmoid")
    def call(self, x, training=None):
        e = self.embedding(x)
        a = self.attention(e, e, training=training, use_causal_mask=True)
        c = self.cross([a, e])
        return self.head(self.pooling(c))
`;

/** Token rows with zero padding at the end (masked by the Embedding). */
function tokens(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: 6 }, (_, t) => (t < 3 + (i % 4) ? 1 + ((i * 5 + t * 3) % 11) : 0)));
}

test('a subclassed model with MultiHeadAttention and Attention trains with fit and round-trips its weights', async () => {
  tf.random.setSeed(11);
  const x = tokens(32);
  const y = x.map((row) => [row.filter((v) => v > 5).length >= 2 ? 1 : 0]);
  const model = new Classifier({ name: 'classifier' });
  model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy' });
  const history = await model.fit(tf.constant(x, 'int32'), y, { epochs: 15, batchSize: 8, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses[losses.length - 1] < 0.8 * losses[0], `loss fell: ${losses[0]} → ${losses[losses.length - 1]}`);
  const file = path.join(root, 'classifier.weights.h5');
  await model.saveWeights(file);
  const store = await readWeightsStore(file);
  for (const sub of ['query_dense', 'key_dense', '_gate_dense', 'value_dense', 'output_dense']) {
    assert.equal(store.get(`attention/${sub}`)?.values.length, 2, `attention/${sub} kernel and bias`);
  }
  assert.equal(store.get('cross')?.values.length, 1, 'the Attention scale');
  const copy = new Classifier({ name: 'copy' });
  copy.apply(tf.constant(tokens(2), 'int32'));
  await copy.loadWeights(file);
  const probe = tf.constant(tokens(5), 'int32');
  assert.deepEqual(copy.predictOnBatch(probe).arraySync(), model.predictOnBatch(probe).arraySync());
});

test('Python Keras loads the Node-saved weights into the same model and predicts the same; Node loads Python-saved ones', async (t) => {
  const missing = pythonTFMissing();
  if (missing) return t.skip(missing);
  tf.random.setSeed(5);
  const model = new Classifier({ name: 'classifier' });
  const probe = tokens(5);
  const ours = model.apply(tf.constant(probe, 'int32'));
  const file = path.join(root, 'for_python.weights.h5');
  await model.saveWeights(file);
  const pythonFile = path.join(root, 'from_python.weights.h5');
  const script = `${PYTHON_MODEL}
model = Classifier()
x = np.array(json.loads(sys.argv[2]), dtype="int32")
model(x)
model.load_weights(sys.argv[1])
ours = model(x).numpy().tolist()
fresh = Classifier()
fresh(x)
fresh.save_weights(sys.argv[3])
print(json.dumps({"predictions": ours, "fresh": fresh(x).numpy().tolist()}))
`;
  const out = runPythonJson<{ predictions: number[][]; fresh: number[][] }>(script, file, JSON.stringify(probe), pythonFile);
  const diff = (a: number[][], b: number[][]) => Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i])));
  assert.ok(diff(out.predictions, ours.arraySync() as number[][]) < 1e-6, 'Python predicts what Node does with Node weights');
  await model.loadWeights(pythonFile);
  assert.ok(
    diff(model.apply(tf.constant(probe, 'int32')).arraySync() as number[][], out.fresh) < 1e-6,
    'Node predicts what Python does with Python weights',
  );
});

test("MultiHeadAttention and Attention: Keras' errors and call options", () => {
  const e = fixture.errors;
  const q = tf.zeros([2, 3, 4]);
  assert.throws(
    () => new layers.MultiHeadAttention(2, 3).apply(q, tf.zeros([2, 5, 4]), tf.zeros([2, 6, 4])),
    (err: Error) => err instanceof RangeError && err.message === e.mha_key_value_dims.message,
  );
  assert.throws(
    () => new layers.MultiHeadAttention(0, 3),
    (err: Error) => err instanceof RangeError && err.message === e.mha_num_heads.message,
  );
  assert.throws(
    () => new layers.MultiHeadAttention(2, -1),
    (err: Error) => err instanceof RangeError && err.message === e.mha_key_dim.message,
  );
  assert.throws(
    () => new layers.Attention().apply(q),
    (err: Error) => err instanceof TypeError && err.message === e.attention_not_list.message,
  );
  assert.throws(
    () => new layers.Attention().apply([q]),
    (err: Error) => err instanceof RangeError && err.message === e.attention_length.message,
  );
  assert.throws(
    () => new layers.Attention({ scoreMode: 'add' as never }),
    (err: Error) => err instanceof RangeError && err.message === e.attention_score_mode.message,
  );
  assert.throws(
    () => new layers.EinsumDense('ab->b', 2).build([2, 3]),
    (err: Error) => err instanceof RangeError && err.message === e.einsum_equation.message,
  );
  assert.throws(
    () => new layers.EinsumDense('ab,bc->ac', 2, null, 'x').build([2, 3]),
    (err: Error) => err instanceof RangeError && err.message === e.einsum_bias_axes.message,
  );
  // Options: unknown keys are TypeErrors (constructor and call), value is required, key once.
  assert.throws(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, keyDims: 3 } as never), /keyDims/);
  const mha = new layers.MultiHeadAttention(2, 2);
  assert.throws(
    () => mha.apply(q, q, { useCasualMask: true } as never),
    (err: Error) => err instanceof TypeError && /useCausalMask/.test(err.message),
  );
  assert.throws(
    () => mha.apply(q),
    (err: Error) => err instanceof TypeError && /missing 1 required positional argument: 'value'/.test(err.message),
  );
  assert.throws(() => mha.apply(q, q, q, { key: q }), /multiple values for argument 'key'/);
  // The key as an option is the key given positionally; scores come back on request.
  const v = tf.random.normal([2, 5, 4], { seed: 1 });
  const k = tf.random.normal([2, 5, 4], { seed: 2 });
  assert.deepEqual(mha.apply(q, v, { key: k }).arraySync(), mha.apply(q, v, k).arraySync());
  const [out, scores] = mha.apply(q, v, { key: k, returnAttentionScores: true });
  assert.deepEqual(out.shape, [2, 3, 4]);
  assert.deepEqual(scores.shape, [2, 2, 3, 5]);
  // An explicit queryMask acts as the query's Keras mask (Keras 3.15 ignores the argument itself).
  const query = tf.random.normal([2, 3, 4], { seed: 3 });
  const qMask = tf.cast(
    tf.constant([
      [1, 1, 0],
      [1, 0, 0],
    ]),
    'bool',
  );
  const viaOption = mha.apply(query, v, { queryMask: qMask, returnAttentionScores: true })[0];
  const carried = tf.multiply(query, 1);
  tf.keras.layers.setKerasMask(carried, qMask);
  assert.deepEqual(viaOption.arraySync(), mha.apply(carried, v, { returnAttentionScores: true })[0].arraySync());
  assert.deepEqual(tf.keras.layers.getKerasMask(viaOption)?.arraySync(), qMask.arraySync());
});
