// The single-input layers of issue #15 against Keras 3.15 (test/fixtures/generators/keras_layers_more_reference.py):
// forward values with Keras' weights, gradients of sum(y·r) w.r.t. the input and each weight, and configs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { assertConfigEqual, closeness, Nested } from './helpers/layer_parity';

interface Case {
  class_name: string;
  kwargs: Record<string, unknown>;
  x: Nested;
  weights: Nested[];
  weight_paths: string[];
  y: Nested;
  output_shape: number[];
  r: Nested;
  grad_x: Nested;
  grad_weights: Nested[];
  config: Record<string, unknown>;
}
interface Fixture {
  cases: Record<string, Case>;
  normalization_adapt: Record<string, unknown> & {
    data: number[][];
    x: number[][];
    data3: Nested;
    axis_last: { mean: number[]; variance: number[]; y: number[][]; config: Record<string, unknown> };
    axis_none: { mean: number; variance: number; y: number[][] };
    dataset_batch4: { mean: number[]; variance: number[] };
    axis_12: { mean: number[][]; variance: number[][]; y: Nested };
  };
  category_encoding: {
    x: number[][];
    multi_hot: { y: number[][]; config: Record<string, unknown> };
    count: { y: number[][]; config: Record<string, unknown> };
    one_hot: { x: number[]; y: number[][]; config: Record<string, unknown> };
  };
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_layers_more.json'), 'utf8'),
) as Fixture;

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const { worst, assertClose } = closeness(1e-6);

function makeLayer(c: Case): tf.keras.layers.Layer {
  const cls = (tf.keras.layers as unknown as Record<string, new (o: unknown) => tf.keras.layers.Layer>)[c.class_name];
  assert.ok(cls, `tf.keras.layers.${c.class_name} exists`);
  const options = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v]));
  return new cls(options);
}

for (const [name, c] of Object.entries(fixture.cases)) {
  test(`${c.class_name} (${name}): Keras' outputs, gradients, weight names and config`, () => {
    const layer = makeLayer(c);
    const xValue = tf.constant(c.x as number[], 'float32');
    layer.build(xValue.shape);
    assert.deepEqual(
      layer.weights.map((w) => layer.weightPath(w).replace(/^[^/]+/, c.weight_paths[0]?.split('/')[0] ?? '')),
      c.weight_paths,
    );
    if (c.weights.length > 0) layer.setWeights(c.weights as number[][]);
    assert.deepEqual(layer.computeOutputShape(xValue.shape), c.output_shape, 'computeOutputShape');
    const x = new tf.Variable(xValue);
    const r = tf.constant(c.r as number[], 'float32');
    const step = tf.function(() => {
      const tape = new tf.GradientTape();
      const { y, loss } = tape.record(() => {
        const y = layer.apply(x.value());
        return { y, loss: tf.reduceSum(tf.multiply(y, r)) };
      });
      const grads = tape.gradient(loss, [x, ...layer.trainableWeights]) as tf.Tensor[];
      return [y, ...grads];
    });
    const [y, gradX, ...gradWeights] = step() as tf.Tensor[];
    assert.deepEqual(y.shape, c.output_shape);
    assertClose(y, c.y, `${name} y`);
    assertClose(gradX, c.grad_x, `${name} dL/dx`);
    assert.equal(gradWeights.length, c.grad_weights.length);
    gradWeights.forEach((g, i) => assertClose(g, c.grad_weights[i], `${name} dL/d${c.weight_paths[i]}`));
    // Eagerly too (no tape): the same forward values.
    assertClose(layer.apply(xValue), c.y, `${name} eager y`);
    // getConfig is Keras' (with this layer's name), and fromConfig round-trips it.
    const config = layer.getConfig();
    const expected = { ...c.config, name: layer.name };
    delete (expected as Record<string, unknown>).dtype;
    const { dtype, ...rest } = config;
    assert.deepEqual(dtype, { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    assertConfigEqual(rest, expected, `${name} config`);
    const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): tf.keras.layers.Layer };
    const copy = cls.fromConfig({ ...c.config, name: `${layer.name}_copy` });
    assertConfigEqual({ ...copy.getConfig(), name: layer.name }, { ...config }, `${name} fromConfig round trip`);
    const restored = tf.keras.layers.deserialize(tf.keras.layers.serialize(layer));
    assert.equal(restored.constructor, layer.constructor);
  });
}

test('parity summary: the largest differences from Keras over every case', () => {
  // Printed for the record (the per-case asserts hold rtol 1e-5, atol 1e-6).
  console.log(`max abs diff ${worst.abs.toExponential(2)}, max rel diff (|ref| > 1e-3) ${worst.rel.toExponential(2)}`);
  assert.ok(worst.abs < 1e-5);
});
