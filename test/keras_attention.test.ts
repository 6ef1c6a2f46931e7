// The attention layers of issue #15 against Keras 3.15 (test/fixtures/generators/keras_attention_reference.py):
// MultiHeadAttention, Attention, AdditiveAttention and EinsumDense. Forward values (and attention
// scores, and the output's Keras mask) with Keras' weights, gradients of sum(y·r) w.r.t. every input
// and weight inside a tf.function, eager values, configs, and Keras' errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';
import { assertConfigEqual, closeness, flat, Nested } from './helpers/layer_parity';

interface BaseCase {
  kwargs: Record<string, unknown>;
  weights: Nested[];
  y: Nested;
  r: Nested;
  grad_weights: Nested[];
  output_shape: number[];
  config: Record<string, unknown>;
}
interface AttentionCase extends BaseCase {
  class_name?: string;
  inputs: Nested[];
  call: Record<string, unknown>;
  masks: Nested[] | null;
  weight_paths: string[];
  scores: Nested | null;
  y_mask: Nested | null;
  grad_inputs: Nested[];
  build_config?: Record<string, unknown>;
}
interface EinsumCase extends BaseCase {
  x: Nested;
  weight_shapes: number[][];
  grad_x: Nested;
}
interface Fixture {
  mha: Record<string, AttentionCase>;
  attention: Record<string, AttentionCase>;
  einsum_dense: Record<string, EinsumCase>;
  errors: Record<string, { type: string; message: string }>;
  pooling_mask: { x: Nested; mask: Nested; default: Nested; keepdims: Nested };
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_attention.json'), 'utf8'),
) as Fixture;

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
const { worst, assertClose } = closeness(2e-6);

const boolTensor = (v: Nested) => tf.cast(tf.constant(flat(v), 'float32', shapeOf(v)), 'bool');
function shapeOf(v: Nested): number[] {
  const shape: number[] = [];
  let x: Nested = v;
  while (Array.isArray(x)) {
    shape.push(x.length);
    x = x[0];
  }
  return shape;
}

/** The call's keyword arguments as tf-napi options (masks as bool tensors). */
function callOptions(call: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(call)) {
    if (k === 'mask') out.mask = (v as Nested[]).map(boolTensor);
    else out[camel(k)] = k.endsWith('_mask') && k !== 'use_causal_mask' ? boolTensor(v as Nested) : v;
  }
  return out;
}

type Runner = (values: tf.Tensor[], options: Record<string, unknown>) => tf.Tensor | [tf.Tensor, tf.Tensor];

/** One case: forward + gradients in a tf.function, then eagerly (not for dropout, whose draw differs per call). */
function checkCase(name: string, c: AttentionCase, layer: tf.keras.layers.Layer, run: Runner): void {
  assert.deepEqual(
    layer.weights.map((w) => layer.weightPath(w).replace(`${layer.name}/`, '')),
    c.weight_paths.map((p) => p.replace(/^[^/]+\//, '')),
  );
  if (c.weights.length > 0) layer.setWeights(c.weights as number[][]);
  const inputs = c.inputs.map((x) => new tf.Variable(tf.constant(flat(x), 'float32', shapeOf(x))));
  const r = tf.constant(flat(c.r), 'float32', shapeOf(c.r));
  const withMasks = (values: tf.Tensor[]) => {
    c.masks?.forEach((m, i) => tf.keras.layers.setKerasMask(values[i], m === null ? null : boolTensor(m)));
    return values;
  };
  const step = tf.function(() => {
    const tape = new tf.GradientTape();
    const { out, loss } = tape.record(() => {
      const values = withMasks(inputs.map((v) => tf.multiply(v.value(), 1)));
      const out = run(values, callOptions(c.call));
      const y = Array.isArray(out) ? out[0] : out;
      return { out, loss: tf.reduceSum(tf.multiply(y, r)) };
    });
    const grads = tape.gradient(loss, [...inputs, ...layer.trainableWeights]) as tf.Tensor[];
    const [y, scores] = Array.isArray(out) ? out : [out, null];
    const yMask = tf.keras.layers.getKerasMask(y);
    return [y, ...(scores === null ? [] : [scores]), ...(yMask === null ? [] : [tf.cast(yMask, 'float32')]), ...grads];
  });
  const results = step() as tf.Tensor[];
  const y = results.shift() as tf.Tensor;
  assert.deepEqual(y.shape, c.output_shape);
  assertClose(y, c.y, `${name} y`);
  if (c.scores !== null) assertClose(results.shift() as tf.Tensor, c.scores, `${name} scores`);
  if (c.y_mask !== null)
    assert.deepEqual(flat(c.y_mask), Array.from((results.shift() as tf.Tensor).dataSync() as Float32Array), `${name} mask`);
  results.slice(0, inputs.length).forEach((g, i) => assertClose(g, c.grad_inputs[i], `${name} dL/dinput${i}`));
  const gradWeights = results.slice(inputs.length);
  assert.equal(gradWeights.length, c.grad_weights.length);
  gradWeights.forEach((g, i) => assertClose(g, c.grad_weights[i], `${name} dL/d${c.weight_paths[i]}`));
  if (c.call.training !== true) {
    const out = run(withMasks(inputs.map((v) => v.value())), callOptions(c.call));
    const eagerY = Array.isArray(out) ? out[0] : out;
    assertClose(eagerY, c.y, `${name} eager y`);
    if (c.y_mask !== null)
      assert.deepEqual(flat(c.y_mask), flat((tf.keras.layers.getKerasMask(eagerY) as tf.Tensor).arraySync() as Nested));
    else assert.equal(tf.keras.layers.getKerasMask(eagerY), null);
  }
}

function checkConfig(name: string, layer: tf.keras.layers.Layer, expectedConfig: Record<string, unknown>): void {
  const config = layer.getConfig();
  assertConfigEqual({ ...config, name: 'x' }, { ...expectedConfig, name: 'x' }, `${name} config`);
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): tf.keras.layers.Layer };
  const copy = cls.fromConfig({ ...expectedConfig, name: `${layer.name}_copy` });
  assertConfigEqual({ ...copy.getConfig(), name: 'x' }, { ...expectedConfig, name: 'x' }, `${name} fromConfig round trip`);
  const restored = tf.keras.layers.deserialize(tf.keras.layers.serialize(layer));
  assert.equal(restored.constructor, layer.constructor);
}

for (const [name, c] of Object.entries(fixture.mha)) {
  test(`MultiHeadAttention (${name}): Keras' outputs, scores, masks, gradients, weight names and config`, () => {
    const layer = new tf.keras.layers.MultiHeadAttention({ ...camelKeys(c.kwargs), name: 'mha' } as never);
    const shapes = c.inputs.map(shapeOf);
    layer.build(shapes[0], shapes[1], shapes[2]);
    assert.deepEqual(layer.computeOutputShape(shapes[0], shapes[1], shapes[2]), c.output_shape);
    assert.deepEqual(layer.getBuildConfig(), c.build_config);
    checkCase(name, c, layer, ([q, v, k], options) => layer.apply(q, v, k ?? null, options));
    checkConfig(name, layer, c.config);
  });
}

for (const [name, c] of Object.entries(fixture.attention)) {
  test(`${c.class_name} (${name}): Keras' outputs, scores, masks, gradients, weight names and config`, () => {
    const cls = (tf.keras.layers as unknown as Record<string, new (o: unknown) => tf.keras.layers.Layer>)[c.class_name as string];
    const layer = new cls(camelKeys(c.kwargs)) as tf.keras.layers.Attention;
    layer.build(c.inputs.map(shapeOf));
    assert.deepEqual(layer.computeOutputShape(c.inputs.map(shapeOf)), c.output_shape);
    checkCase(name, c, layer, (values, options) => layer.apply(values, options));
    checkConfig(name, layer, c.config);
  });
}

for (const [name, c] of Object.entries(fixture.einsum_dense)) {
  test(`EinsumDense (${name}): Keras' weight shapes, outputs, gradients and config`, () => {
    const layer = new tf.keras.layers.EinsumDense(camelKeys(c.kwargs) as never);
    const xValue = tf.constant(flat(c.x), 'float32', shapeOf(c.x));
    layer.build(xValue.shape);
    assert.deepEqual(
      layer.weights.map((w) => w.shape),
      c.weight_shapes,
    );
    layer.setWeights(c.weights as number[][]);
    assert.deepEqual(layer.computeOutputShape(xValue.shape), c.output_shape);
    const x = new tf.Variable(xValue);
    const r = tf.constant(flat(c.r), 'float32', shapeOf(c.r));
    const step = tf.function(() => {
      const tape = new tf.GradientTape();
      const { y, loss } = tape.record(() => {
        const y = layer.apply(x.value());
        return { y, loss: tf.reduceSum(tf.multiply(y, r)) };
      });
      return [y, ...(tape.gradient(loss, [x, ...layer.trainableWeights]) as tf.Tensor[])];
    });
    const [y, gradX, ...gradWeights] = step() as tf.Tensor[];
    assertClose(y, c.y, `${name} y`);
    assertClose(gradX, c.grad_x, `${name} dL/dx`);
    gradWeights.forEach((g, i) => assertClose(g, c.grad_weights[i], `${name} dL/dweight${i}`));
    assertClose(layer.apply(xValue), c.y, `${name} eager y`);
    checkConfig(name, layer, c.config);
  });
}

test('GlobalAveragePooling1D averages over the unmasked steps only (what follows attention on masked sequences)', () => {
  const c = fixture.pooling_mask;
  for (const keepdims of [false, true]) {
    const x = tf.constant(flat(c.x), 'float32', shapeOf(c.x));
    tf.keras.layers.setKerasMask(x, boolTensor(c.mask));
    const y = new tf.keras.layers.GlobalAveragePooling1D({ keepdims }).apply(x);
    assertClose(y, keepdims ? c.keepdims : c.default, `pooling keepdims=${keepdims}`);
    assert.equal(tf.keras.layers.getKerasMask(y), null);
  }
});

test('parity summary: the largest differences from Keras over every case', () => {
  console.log(`max abs diff ${worst.abs.toExponential(2)}, max rel diff (|ref| > 1e-3) ${worst.rel.toExponential(2)}`);
  assert.ok(worst.abs < 1e-5);
});
