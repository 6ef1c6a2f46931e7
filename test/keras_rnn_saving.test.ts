// Recurrent models save and load with Keras' names: the .weights.h5 layout is the one Python Keras
// writes for the same model, Node reloads what it saved, and Python Keras loads the .keras file
// Node saved with the same predictions (skipped without a Python Keras).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { readWeightsStore } from '../lib/keras/saving/h5_io_store';
import { assertClose, pythonKerasMissing, runPythonJson } from './helpers/saving_fixture';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-rnn-saving-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const { Embedding, LSTM, GRU, SimpleRNN, Bidirectional, TimeDistributed, Dense } = tf.keras.layers;

function makeModel(): tf.keras.Sequential {
  tf.random.setSeed(3);
  const model = new tf.keras.Sequential([
    tf.keras.Input({ shape: [6], dtype: 'int32' }),
    new Embedding(20, 4, { maskZero: true }),
    new Bidirectional(new LSTM(3, { returnSequences: true })),
    new GRU(3, { returnSequences: true }),
    new TimeDistributed(new Dense(2)),
    new SimpleRNN(2),
    new Dense(1),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

const x = tf.tensor(Int32Array.from([1, 5, 7, 0, 0, 0, 3, 4, 9, 12, 2, 0, 8, 8, 8, 8, 8, 8, 19, 0, 0, 0, 0, 0]), [4, 6], 'int32');
const y = tf.tensor(Float32Array.from([0.5, -0.2, 1, 0]), [4, 1]);

const PYTHON_MODEL = `
import keras
L = keras.layers
model = keras.Sequential([keras.Input((6,), dtype="int32"), L.Embedding(20, 4, mask_zero=True),
    L.Bidirectional(L.LSTM(3, return_sequences=True)), L.GRU(3, return_sequences=True),
    L.TimeDistributed(L.Dense(2)), L.SimpleRNN(2), L.Dense(1)])
model.compile(optimizer="adam", loss="mse")
`;

test('weights file: Keras layout, and Node reloads the same predictions', async (t) => {
  const model = makeModel();
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const file = path.join(root, 'rnn.weights.h5');
  await model.saveWeights(file);
  const layout = await readWeightsStore(file);
  const ours = Object.fromEntries([...layout.entries()].map(([k, v]) => [k, v.values.length]));
  assert.deepEqual(ours['layers/bidirectional/forward_layer/cell'], 3);
  assert.deepEqual(ours['layers/gru/cell'], 3);
  const copy = makeModel();
  copy.build([null, 6]);
  await copy.loadWeights(file);
  assertClose(copy.predictOnBatch(x).numpy() as number[][], model.predictOnBatch(x).numpy() as number[][]);
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const python = runPythonJson<Record<string, number>>(
    `${PYTHON_MODEL}
import sys, json, h5py
model.save_weights(sys.argv[1])
out = {}
with h5py.File(sys.argv[1]) as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Group) and "vars" in obj: out[name] = len(obj["vars"])
    f.visititems(visit)
print(json.dumps(out))`,
    path.join(root, 'python.weights.h5'),
  );
  // The layers' paths that hold variables, and how many each.
  const layers = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([k, n]) => k.startsWith('layers/') && n > 0));
  assert.deepEqual(layers(ours), layers(python));
});

test('Python Keras loads the .keras file Node saved: the same predictions', async (t) => {
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  const model = makeModel();
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const file = path.join(root, 'rnn.keras');
  await model.save(file);
  const reloaded = await tf.keras.models.loadModel(file);
  const predictions = model.predictOnBatch(x).numpy() as number[][];
  assertClose(reloaded.predictOnBatch(x).numpy() as number[][], predictions);
  const out = runPythonJson<{ predictions: number[][] }>(
    `
import sys, json, numpy as np, keras
model = keras.models.load_model(sys.argv[1])
x = np.array(json.loads(sys.argv[2]), dtype="int32")
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist()}))`,
    file,
    JSON.stringify(x.arraySync()),
  );
  assertClose(out.predictions, predictions);
});
