// The merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot), Permute
// and RepeatVector against Keras 3.15 (test/fixtures/generators/keras_merging_reference.py): outputs,
// gradients of sum(y·r) w.r.t. each input, output shapes, masks, configs and Keras' errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '../lib';

type Nested = number | boolean | Nested[];
interface Case {
  class_name: string;
  kwargs: Record<string, unknown>;
  list: boolean;
  x: Nested[];
  y: Nested;
  output_shape: number[];
  compute_output_shape: (number | null)[];
  r: Nested;
  grads: Nested[];
  config: Record<string, unknown>;
  masks?: (Nested | null)[];
  y_mask?: Nested | null;
}
interface Fixture {
  cases: Record<string, Case>;
  masked: Record<string, Case>;
  errors: Record<string, { type: string; message: string }>;
  symbolic_shapes: Record<
    string,
    { shapes: (number | null)[][]; kwargs: Record<string, unknown>; class_name: string; output_shape: (number | null)[] }
  >;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'keras_merging.json'), 'utf8')) as Fixture;

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
const layers = tf.keras.layers as unknown as Record<string, new (o: unknown) => tf.keras.layers.Layer>;

function assertClose(actual: tf.Tensor, expected: Nested, what: string, rtol = 1e-5, atol = 1e-6): void {
  const got = Array.from(actual.dataSync() as Float32Array);
  const want = flat(expected);
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= atol + rtol * Math.abs(want[i]), `${what}[${i}]: ${v} vs ${want[i]}`));
}

function makeLayer(c: { class_name: string; kwargs: Record<string, unknown> }): tf.keras.layers.Layer {
  const cls = layers[c.class_name];
  assert.ok(cls, `tf.keras.layers.${c.class_name} exists`);
  return new cls(Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [camel(k), v])));
}

function runCase(name: string, c: Case): void {
  const layer = makeLayer(c);
  const xs = c.x.map((x) => new tf.Variable(tf.constant(x as number[], 'float32')));
  const r = tf.constant(c.r as number[], 'float32');
  const masks = (c.masks ?? []).map((m) => (m === null ? null : tf.constant(m as boolean[], 'bool')));
  const step = tf.function(() => {
    const tape = new tf.GradientTape();
    const { y, loss } = tape.record(() => {
      const values = xs.map((x, i) => {
        const v = tf.identity(x.value());
        if (masks[i]) tf.keras.layers.setKerasMask(v, masks[i]);
        return v;
      });
      const y = c.list ? layer.apply(values) : layer.apply(values[0]);
      return { y, loss: tf.reduceSum(tf.multiply(y, r)) };
    });
    const grads = tape.gradient(loss, xs) as tf.Tensor[];
    const mask = tf.keras.layers.getKerasMask(y);
    return mask === null ? [y, ...grads] : [y, ...grads, mask];
  });
  const [y, ...rest] = step() as tf.Tensor[];
  assert.deepEqual(y.shape, c.output_shape);
  assertClose(y, c.y, `${name} y`);
  c.grads.forEach((g, i) => assertClose(rest[i], g, `${name} dL/dx${i}`));
  if (c.y_mask !== undefined) {
    const mask = rest[c.grads.length];
    if (c.y_mask === null) assert.equal(mask, undefined, `${name}: no output mask`);
    else assert.deepEqual(mask.arraySync(), c.y_mask, `${name} output mask`);
  }
  const shapes = c.x.map((x) => [null, ...tf.constant(x as number[]).shape.slice(1)]);
  assert.deepEqual(layer.computeOutputShape(c.list ? shapes : shapes[0]), c.compute_output_shape, `${name} computeOutputShape`);
  // getConfig is Keras' (with this layer's name); fromConfig and deserialize round-trip it.
  assert.deepEqual(layer.getConfig(), { ...c.config, name: layer.name });
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): tf.keras.layers.Layer };
  assert.deepEqual(cls.fromConfig(c.config).getConfig(), c.config);
  assert.equal(tf.keras.layers.deserialize(tf.keras.layers.serialize(layer)).constructor, layer.constructor);
}

for (const [name, c] of Object.entries(fixture.cases)) {
  test(`${c.class_name} (${name}): Keras' outputs, gradients, output shape and config`, () => {
    runCase(name, c);
    // Eagerly too: the same values.
    const eager = makeLayer(c);
    const inputs = c.x.map((x) => tf.constant(x as number[], 'float32'));
    assertClose(c.list ? eager.apply(inputs) : eager.apply(inputs[0]), c.y, `${name} eager y`);
  });
}

for (const [name, c] of Object.entries(fixture.masked)) {
  test(`${c.class_name} (${name}): masked inputs give Keras' values and output mask`, () => runCase(name, c));
}

test("Keras' errors for bad shapes and arguments, as RangeErrors with Keras' ValueError text", () => {
  const { errors } = fixture;
  const symbolic = (cls: string, kwargs: Record<string, unknown>, shapes: (number | null)[][]) =>
    makeLayer({ class_name: cls, kwargs }).apply(shapes.map((s) => tf.keras.Input({ batchShape: s })));
  const cases: [string, () => unknown][] = [
    [
      'concatenate_mismatch',
      () =>
        symbolic('Concatenate', {}, [
          [null, 3, 4],
          [null, 5, 2],
        ]),
    ],
    [
      'concatenate_ranks',
      () =>
        symbolic('Concatenate', {}, [
          [null, 3],
          [null, 4, 2],
        ]),
    ],
    [
      'add_incompatible',
      () =>
        symbolic('Add', {}, [
          [null, 3],
          [null, 4],
        ]),
    ],
    [
      'add_batches',
      () =>
        symbolic('Add', {}, [
          [2, 3],
          [4, 3],
        ]),
    ],
    [
      'subtract_three',
      () =>
        symbolic('Subtract', {}, [
          [null, 3],
          [null, 3],
          [null, 3],
        ]),
    ],
    [
      'dot_incompatible',
      () =>
        symbolic('Dot', { axes: 1 }, [
          [null, 3],
          [null, 4],
        ]),
    ],
    ['dot_axes_length', () => new tf.keras.layers.Dot({ axes: [1, 2, 3] as never })],
    ['permute_dims', () => new tf.keras.layers.Permute([1, 3])],
    ['repeat_vector_n', () => new tf.keras.layers.RepeatVector(0)],
  ];
  for (const [key, fn] of cases) {
    assert.equal(errors[key].type, 'ValueError');
    assert.throws(fn, { name: 'RangeError', message: errors[key].message }, key);
  }
  // Eager tensors get the same checks.
  assert.throws(() => new tf.keras.layers.Concatenate().apply([tf.zeros([2, 3, 4]), tf.zeros([2, 5, 2])]), {
    name: 'RangeError',
    message:
      'A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(2, 3, 4), (2, 5, 2)]',
  });
  assert.throws(() => new tf.keras.layers.Add().apply(tf.zeros([2, 3])), {
    name: 'RangeError',
    message: 'A merge layer should be called on a list of inputs. Received: input_shape=(2, 3) (not a list of shapes)',
  });
  assert.throws(() => new tf.keras.layers.RepeatVector(1.5), {
    name: 'TypeError',
    message: 'Expected an integer value for `n`, got number.',
  });
  assert.throws(() => new tf.keras.layers.RepeatVector(2).apply(tf.zeros([2, 3, 4])), {
    name: 'RangeError',
    message: /expected ndim=2, found ndim=3/,
  });
  assert.throws(() => new tf.keras.layers.Concatenate({ axis: 1, axes: 2 } as never), { name: 'TypeError', message: /axes/ });
});

test("symbolic shapes: unknown dims, ranks broadcast after the batch axis, Dot's batched matmul", () => {
  for (const [name, s] of Object.entries(fixture.symbolic_shapes)) {
    const y = makeLayer(s).apply(s.shapes.map((shape) => tf.keras.Input({ batchShape: shape })));
    assert.deepEqual(y.shape, s.output_shape, name);
  }
});

test('positional arguments and the functional forms (keras.layers.concatenate, add, ...)', () => {
  assert.equal(new tf.keras.layers.Concatenate(1).axis, 1);
  const d = new tf.keras.layers.Dot([1, 2], true, { name: 'd' });
  assert.deepEqual([d.axes, d.normalize, d.name], [[1, 2], true, 'd']);
  assert.deepEqual(new tf.keras.layers.Permute([2, 1]).dims, [2, 1]);
  assert.equal(new tf.keras.layers.RepeatVector(4).n, 4);
  const a = tf.constant([[1, 2]], 'float32');
  const b = tf.constant([[3, 5]], 'float32');
  const { layers: L } = tf.keras;
  assert.deepEqual(L.concatenate([a, b]).arraySync(), [[1, 2, 3, 5]]);
  assert.deepEqual(L.concatenate([a, b], 0).arraySync(), [
    [1, 2],
    [3, 5],
  ]);
  assert.deepEqual(L.add([a, b]).arraySync(), [[4, 7]]);
  assert.deepEqual(L.subtract([a, b]).arraySync(), [[-2, -3]]);
  assert.deepEqual(L.multiply([a, b]).arraySync(), [[3, 10]]);
  assert.deepEqual(L.average([a, b]).arraySync(), [[2, 3.5]]);
  assert.deepEqual(L.maximum([a, b]).arraySync(), [[3, 5]]);
  assert.deepEqual(L.minimum([a, b]).arraySync(), [[1, 2]]);
  assert.deepEqual(L.dot([a, b], 1).arraySync(), [[13]]);
  // Host values in a list are inputs too (Keras' `Add()([x1, x2])` on numpy arrays).
  assert.deepEqual(new L.Add().apply([[[1, 2]], [[3, 4]]]).arraySync(), [[4, 6]]);
  const x1 = tf.keras.Input([2]);
  const x2 = tf.keras.Input([2]);
  assert.deepEqual(L.concatenate([x1, x2], -1, { name: 'cat' }).shape, [null, 4]);
});

test('a functional model of merging layers saves and loads (.keras), with the list nodes', async () => {
  const x1 = tf.keras.Input([3], { name: 'x1' });
  const h = new tf.keras.layers.Dense({ units: 3, name: 'h' }).apply(x1);
  const cat = new tf.keras.layers.Concatenate({ name: 'cat' }).apply([x1, h]);
  const sum = new tf.keras.layers.Add({ name: 'sum' }).apply([x1, h]);
  const both = new tf.keras.layers.Concatenate({ name: 'both' }).apply([cat, sum]);
  const seq = new tf.keras.layers.RepeatVector(2, { name: 'rep' }).apply(both);
  const out = new tf.keras.layers.Permute([2, 1], { name: 'perm' }).apply(seq);
  const model = new tf.keras.Model({ inputs: x1, outputs: out, name: 'merge_model' });
  assert.deepEqual(out.shape, [null, 9, 2]);
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'merging-'));
  const file = path.join(dir, 'm.keras');
  await model.save(file);
  const copy = await tf.keras.models.loadModel(file);
  const input = tf.constant([[1, -2, 0.5]], 'float32');
  assert.deepEqual(copy.predictOnBatch(input).arraySync(), model.predictOnBatch(input).arraySync());
  assert.deepEqual(copy.getConfig(), model.getConfig());
});
