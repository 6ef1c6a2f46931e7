// Layers called on a list of inputs (Keras' `layer([a, b])`): call() gets the list, build() and
// computeOutputShape() a list of shapes, masks travel as a list, and functional nodes record,
// run and save every input (Keras 3's `args: [[t1, t2]]`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import type { CallOptions, LayerShape, ListCallOptions } from '../lib/keras/layers/layer';
import { pythonTFMissing, runPythonJson } from './helpers/python_tf';

/** a·w + b for inputs [a, b]: a weight built from the first shape of the list. */
class ScaledSum extends tf.keras.layers.Layer {
  w!: tf.Variable;
  builtWith: LayerShape | null = null;
  masksSeen: readonly (tf.Tensor | null)[] | null = null;

  override build(inputShape: LayerShape): void {
    this.builtWith = inputShape;
    const first = (inputShape as tf.Shape[])[0];
    this.w = this.addWeight({ name: 'w', shape: [first[first.length - 1] as number], initializer: 'ones' });
  }

  override call(inputs: tf.Tensor[], options: ListCallOptions): tf.Tensor {
    this.masksSeen = options.mask ?? null;
    return tf.add(tf.mul(inputs[0], this.w.value()), inputs[1]);
  }

  override computeMask(_inputs: tf.Tensor[], mask: readonly (tf.Tensor | null)[] | null): tf.Tensor | null {
    return mask?.find((m) => m !== null) ?? null;
  }
}
tf.keras.saving.registerKerasSerializable('ListInputsTest')(ScaledSum);

/** A single-input layer keeps its typed call(inputs: Tensor). */
class Twice extends tf.keras.layers.Layer {
  override call(inputs: tf.Tensor, _options: CallOptions): tf.Tensor {
    return tf.mul(inputs, 2);
  }
}

test('apply([a, b]) on tensors: call gets the list, build the list of shapes', () => {
  const layer = new ScaledSum({ name: 'ss' });
  const y = layer.apply([tf.tensor([[1, 2]], undefined, 'float32'), tf.tensor([[10, 20]], undefined, 'float32')]);
  assert.deepEqual(y.arraySync(), [[11, 22]]);
  assert.deepEqual(layer.builtWith, [
    [1, 2],
    [1, 2],
  ]);
  assert.deepEqual(layer.getBuildConfig(), {
    input_shape: [
      [1, 2],
      [1, 2],
    ],
  });
  // A nested number array is still one host input for a single-input layer.
  assert.deepEqual(new Twice().apply([[1, 2]]).arraySync(), [[2, 4]]);
});

test('masks: a list of the inputs masks reaches call(); computeMask gives the output mask', () => {
  const layer = new ScaledSum();
  const a = tf.tensor([[1, 2]], undefined, 'float32');
  const b = tf.tensor([[3, 4]], undefined, 'float32');
  const mask = tf.tensor([[true, false]], undefined, 'bool');
  tf.keras.layers.setKerasMask(b, mask);
  const y = layer.apply([a, b]);
  assert.equal(layer.masksSeen?.length, 2);
  assert.equal(layer.masksSeen?.[0], null);
  assert.equal(layer.masksSeen?.[1], mask);
  assert.equal(tf.keras.layers.getKerasMask(y), mask);
});

test('KerasTensors: a node records both inputs; the model runs, infers shapes, summarizes', () => {
  const x = tf.keras.Input([3], { name: 'x' });
  const a = new tf.keras.layers.Dense({ units: 2, name: 'da', kernelInitializer: 'ones' }).apply(x);
  const b = new tf.keras.layers.Dense({ units: 2, name: 'db', kernelInitializer: 'ones' }).apply(x);
  const layer = new ScaledSum({ name: 'ss' });
  const y = layer.apply([a, b]);
  assert.deepEqual(y.shape, [null, 2]);
  assert.deepEqual(layer.inboundNodes[0].inputs, [a, b]);
  assert.equal(layer.inboundNodes[0].listInput, true);
  const model = new tf.keras.Model({ inputs: x, outputs: y, name: 'm' });
  assert.deepEqual(model.predictOnBatch(tf.tensor([[1, 2, 3]], undefined, 'float32')).arraySync(), [[12, 12]]);
  assert.deepEqual(model.computeOutputShape([5, 3]), [5, 2]);
  let text = '';
  model.summary({ printFn: (line: string) => (text += `${line}\n`) });
  // Connected to: both inputs (the column wraps as in Keras).
  assert.match(text, /ss \(ScaledSum\) +│ \(None, 2\) +│ +2 │ da\[0\]\[0\], +│\n│ +│ +│ +│ db\[0\]\[0\] +│/);
  assert.throws(() => layer.apply([a, tf.tensor([[1, 2]])] as never), {
    name: 'TypeError',
    message: "Layer 'ss' was called on a list mixing KerasTensors and tensors; pass only one kind.",
  });
});

test("config: Keras 3's inbound node of a list call is one argument, the list; it round-trips", async () => {
  const x = tf.keras.Input([2], { name: 'x' });
  const a = new tf.keras.layers.Dense({ units: 2, name: 'da' }).apply(x);
  const y = new ScaledSum({ name: 'ss' }).apply([a, x]);
  const model = new tf.keras.Model({ inputs: x, outputs: y, name: 'm' });
  const config = model.getConfig() as { layers: { name: string; inbound_nodes: { args: unknown[] }[] }[] };
  const node = config.layers.find((l) => l.name === 'ss')?.inbound_nodes[0];
  assert.deepEqual(node, {
    args: [
      [
        { class_name: '__keras_tensor__', config: { shape: [null, 2], dtype: 'float32', keras_history: ['da', 0, 0] } },
        { class_name: '__keras_tensor__', config: { shape: [null, 2], dtype: 'float32', keras_history: ['x', 0, 0] } },
      ],
    ],
    kwargs: {},
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'list-inputs-'));
  const file = path.join(dir, 'm.keras');
  await model.save(file);
  const copy = await tf.keras.models.loadModel(file);
  const input = tf.tensor([[1, -2]], undefined, 'float32');
  assert.deepEqual(copy.predictOnBatch(input).arraySync(), model.predictOnBatch(input).arraySync());
  assert.equal(copy.getLayer('ss').inboundNodes[0].inputs.length, 2);
});

test('Python Keras reads the list node of our config', { skip: pythonTFMissing() }, () => {
  const x = tf.keras.Input([2], { name: 'x' });
  const a = new tf.keras.layers.Dense({ units: 2, name: 'da' }).apply(x);
  const y = new ScaledSum({ name: 'ss' }).apply([a, x]);
  const model = new tf.keras.Model({ inputs: x, outputs: y, name: 'm' });
  const script = `
import json, sys, keras
@keras.saving.register_keras_serializable('ListInputsTest')
class ScaledSum(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name='w', shape=(input_shape[0][-1],), initializer='ones')
    def call(self, inputs):
        return inputs[0] * self.w + inputs[1]
m = keras.Model.from_config(json.loads(sys.argv[1]))
node = m.get_layer('ss')._inbound_nodes[0]
print(json.dumps([t._keras_history[0].name for t in node.input_tensors]))`;
  const names = runPythonJson<string[]>(script, JSON.stringify(model.getConfig()));
  assert.deepEqual(names, ['da', 'x']);
});
