// The issue-#15 layers save and load with Keras' weight names: a Node round trip through .keras and
// .weights.h5, and (when Python Keras is present) Python loads the Node-saved file and predicts the same.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { readWeightsStore } from '../lib/keras/saving/h5_io_store';
import { assertClose, pythonKerasMissing, runPythonJson } from './helpers/saving_fixture';

const { layers, Sequential, Input, regularizers, constraints } = tf.keras;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-layers-more-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function pattern(shape: number[], phase: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.731 + phase)),
    shape,
    'float32',
  );
}

function imageModel(): tf.keras.Model {
  return new Sequential(
    [
      Input([6, 6, 2]),
      new layers.SeparableConv2D(4, 3, { padding: 'same', depthMultiplier: 2, pointwiseRegularizer: 'l2' }),
      new layers.DepthwiseConv2D(3, { depthMultiplier: 1 }),
      new layers.Conv2DTranspose(3, 3, 2, 'same', { kernelConstraint: new constraints.MaxNorm(1.5) }),
      new layers.ZeroPadding2D(1),
      new layers.Cropping2D([
        [1, 1],
        [2, 0],
      ]),
      new layers.Conv2D(3, 3, { dilationRate: 2, padding: 'same' }),
      new layers.AveragePooling2D(2),
      new layers.UpSampling2D(2, 'channels_last', 'bilinear'),
      new layers.LayerNormalization({ gammaRegularizer: new regularizers.L1(0.01) }),
      new layers.GlobalMaxPooling2D(),
      new layers.Dense(2),
    ],
    { name: 'images' },
  );
}

function sequenceModel(): tf.keras.Model {
  const normalization = new layers.Normalization();
  normalization.adapt(pattern([16, 8, 3], 0.3));
  return new Sequential(
    [
      Input([8, 3]),
      normalization,
      new layers.Conv1D(4, 3, { padding: 'causal', dilationRate: 2, kernelRegularizer: new regularizers.L1L2(0.01, 0.01) }),
      new layers.MaxPooling1D(2),
      new layers.AveragePooling1D(2, 1, 'same'),
      new layers.GlobalAveragePooling1D(),
      new layers.Rescaling(0.5, 0.25),
      new layers.Dense(2),
    ],
    { name: 'sequences' },
  );
}

const cases = [
  { name: 'images', make: imageModel, x: () => pattern([4, 6, 6, 2], 0.1) },
  { name: 'sequences', make: sequenceModel, x: () => pattern([4, 8, 3], 0.7) },
];

test('the new layers round-trip through .keras and .weights.h5 in Node, under Keras weight names', async () => {
  for (const c of cases) {
    const model = c.make();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = c.x();
    await model.fit(x, tf.ones([4, 2]), { epochs: 1, batchSize: 2, verbose: 0 });
    const file = path.join(root, `${c.name}.keras`);
    await model.save(file);
    const copy = await tf.keras.models.loadModel(file);
    assert.deepEqual(copy.getConfig(), model.getConfig(), `${c.name} config`);
    assertClose(copy.predictOnBatch(x).numpy() as number[][], model.predictOnBatch(x).numpy() as number[][]);
    const weightsFile = path.join(root, `${c.name}.weights.h5`);
    await model.saveWeights(weightsFile);
    const fresh = c.make();
    fresh.build([null, ...x.shape.slice(1)] as (number | null)[]);
    await fresh.loadWeights(weightsFile);
    assertClose(fresh.predictOnBatch(x).numpy() as number[][], model.predictOnBatch(x).numpy() as number[][]);
    const store = await readWeightsStore(weightsFile);
    const keys = [...store.keys()].filter((k) => k.startsWith('layers/')).sort();
    if (c.name === 'images') {
      assert.deepEqual(store.get('layers/separable_conv2d')?.values.length, 3, 'depthwise_kernel, pointwise_kernel, bias');
      assert.ok(keys.includes('layers/conv2d_transpose') && keys.includes('layers/layer_normalization'), keys.join());
    } else {
      assert.equal(store.get('layers/normalization')?.values.length, 3, 'mean, variance, count');
    }
  }
});

test('Python Keras loads the .keras files Node saved with these layers and predicts the same', async (t) => {
  const missing = pythonKerasMissing();
  if (missing) return t.skip(missing);
  for (const c of cases) {
    const model = c.make();
    const x = c.x();
    const file = path.join(root, `${c.name}_for_python.keras`);
    await model.save(file);
    const script = `
import sys, json, numpy as np, keras
model = keras.models.load_model(sys.argv[1])
x = np.array(json.loads(sys.argv[2]), dtype="float32")
print(json.dumps({"predictions": model.predict(x, verbose=0).tolist(), "names": [w.path for w in model.weights]}))
`;
    const out = runPythonJson<{ predictions: number[][]; names: string[] }>(script, file, JSON.stringify(x.arraySync()));
    assertClose(out.predictions, model.predictOnBatch(x).numpy() as number[][]);
  }
});
