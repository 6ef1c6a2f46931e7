import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';

const { Dataset } = tf.data;

const numbers = (values: unknown[]): number[] => values.map(Number);

test('fromTensorSlices slices along the first dimension, in order; iteration yields tensors', async () => {
  const ds = Dataset.fromTensorSlices([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(ds.asArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const elements = [...ds];
  assert.equal(elements.length, 3);
  assert.ok(elements[0] instanceof tf.Tensor);
  assert.deepEqual(elements[0].shape, [2]);
  // JS numbers are float32, as everywhere (tf.tensor); an Int32Array gives int32 slices.
  assert.equal(elements[0].dtype, 'float32');
  assert.equal([...Dataset.fromTensorSlices(new Int32Array([1, 2]))][0].dtype, 'int32');
  assert.deepEqual(elements[2].numpy(), [5, 6]);
  const viaAwait: unknown[] = [];
  for await (const x of Dataset.fromTensorSlices(tf.tensor([[1.5], [2.5]]))) viaAwait.push(x.numpy());
  assert.deepEqual(viaAwait, [[1.5], [2.5]]);
  assert.deepEqual([...Dataset.fromTensorSlices(new Float64Array([0.25, 0.5])).asNumpyIterator()], [0.25, 0.5]);
  assert.deepEqual(Dataset.fromTensorSlices({ data: new Int16Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] }).asArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
});

test('Dataset.range gives int64 scalars like Python (stop; start, stop, step)', () => {
  assert.deepEqual(Dataset.range(4).asArray(), [0n, 1n, 2n, 3n]);
  assert.deepEqual(Dataset.range(2, 10, 3).asArray(), [2n, 5n, 8n]);
  assert.deepEqual(Dataset.range(5, 0, -2).asArray(), [5n, 3n, 1n]);
  assert.equal([...Dataset.range(1)][0].dtype, 'int64');
  assert.equal(Dataset.range(3, 3).cardinality(), 0);
});

test('batch stacks along a new first dimension, keeps or drops the remainder', () => {
  const ds = Dataset.range(7);
  assert.deepEqual(ds.batch(3).asArray(), [[0n, 1n, 2n], [3n, 4n, 5n], [6n]]);
  assert.deepEqual(ds.batch(3, { dropRemainder: true }).asArray(), [
    [0n, 1n, 2n],
    [3n, 4n, 5n],
  ]);
  const [first] = Dataset.fromTensorSlices(tf.ones([10, 2, 3])).batch(4);
  assert.deepEqual(first.shape, [4, 2, 3]);
  assert.equal(first.dtype, 'float32');
  assert.deepEqual(Dataset.range(4).batch(2).batch(2).asArray(), [
    [
      [0n, 1n],
      [2n, 3n],
    ],
  ]);
  assert.deepEqual(
    Dataset.range(6)
      .shuffle(6, { seed: 3 })
      .batch(6)
      .map((b) => tf.reduceSum(b))
      .asArray(),
    [15n],
  );
});

test('components of every dtype keep their values through slicing and batching', () => {
  const ds = Dataset.fromTensorSlices([
    [true, false, true],
    ['a', 'bc', ''],
    tf.tensor([1n, 2n, 3n]),
    tf.tensor([0.5, 1.5, -2], undefined, 'float16'),
    tf.tensor([1, 2, 3], undefined, 'uint8'),
  ]);
  assert.deepEqual(ds.asArray()[1], [false, 'bc', 2n, 1.5, 2]);
  assert.deepEqual(
    ds
      .shuffle(3, { seed: 1 })
      .batch(3)
      .map((...columns) => columns.map((c) => c.dtype).join())
      .asArray(),
    ['bool,string,int64,float16,uint8'],
  );
  const [[flags, words, longs, halves, bytes]] = ds.batch(3).asArray();
  assert.deepEqual(
    [flags, words, longs, halves, bytes],
    [
      [true, false, true],
      ['a', 'bc', ''],
      [1n, 2n, 3n],
      [0.5, 1.5, -2],
      [1, 2, 3],
    ],
  );
});

test('tuple and dict elements: map spreads a tuple into arguments, batches keep the structure', () => {
  const features = new Float32Array([1, 2, 3, 4, 5, 6]);
  const ds = Dataset.fromTensorSlices([{ data: features, shape: [3, 2] }, tf.tensor([10, 20, 30])]);
  assert.deepEqual(ds.asArray(), [
    [[1, 2], 10],
    [[3, 4], 20],
    [[5, 6], 30],
  ]);
  const dicts = ds.map((x, y) => ({ x, label: tf.add(y, 1) })).batch(2);
  const [batch] = dicts;
  assert.deepEqual(Object.keys(batch), ['x', 'label']);
  assert.deepEqual(batch.x.shape, [2, 2]);
  assert.deepEqual(dicts.asArray(), [
    {
      x: [
        [1, 2],
        [3, 4],
      ],
      label: [11, 21],
    },
    { x: [[5, 6]], label: [31] },
  ]);
  const nested = Dataset.fromTensorSlices({ image: tf.zeros([4, 2]), meta: { id: [7, 8, 9, 10], name: ['p', 'q', 'r', 's'] } });
  assert.deepEqual(nested.skip(2).batch(2).asArray(), [
    {
      image: [
        [0, 0],
        [0, 0],
      ],
      meta: { id: [9, 10], name: ['r', 's'] },
    },
  ]);
});

test('map may return host values (numbers, nested arrays, TypedArrays); they become tensors', () => {
  const ds = Dataset.range(4).map((x) => Number(x.numpy()) * 1.5);
  const [first] = ds;
  assert.ok(first instanceof tf.Tensor);
  assert.deepEqual(ds.asArray(), [0, 1.5, 3, 4.5]);
  // JS numbers are float32 whatever their value, so whole-number elements and batches match the rest.
  assert.deepEqual(ds.map((x) => x.dtype).asArray(), ['float32', 'float32', 'float32', 'float32']);
  assert.deepEqual(
    ds
      .batch(2)
      .map((b) => b.dtype)
      .asArray(),
    ['float32', 'float32'],
  );
  const typed = Dataset.range(3).map((x) => ({ label: BigInt(x.numpy() as bigint) + 1n, mask: new Int32Array([1, 0]), flag: true }));
  assert.deepEqual(
    typed
      .batch(3)
      .map(({ label, mask, flag }) => [label.dtype, mask.dtype, flag.dtype].join())
      .asArray(),
    ['int64,int32,bool'],
  );
  const pairs = Dataset.range(3).map((x) => [x, [Number(x.numpy()), 0], new Float32Array([0.5])]);
  assert.deepEqual(pairs.batch(3).asArray(), [
    [
      [0n, 1n, 2n],
      [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
      [[0.5], [0.5], [0.5]],
    ],
  ]);
});

test('repeat, take, skip, map and filter compose as in tf.data', () => {
  const ds = Dataset.range(5)
    .repeat(2)
    .skip(3)
    .take(5)
    .map((x) => tf.mul(x, 10));
  assert.deepEqual(ds.asArray(), [30n, 40n, 0n, 10n, 20n]);
  assert.equal(ds.cardinality(), 5);
  assert.deepEqual(numbers(Dataset.range(3).repeat().take(7).asArray()), [0, 1, 2, 0, 1, 2, 0]);
  assert.deepEqual(Dataset.range(3).take(-1).asArray(), [0n, 1n, 2n]);
  assert.deepEqual(Dataset.range(3).skip(-1).asArray(), []);
  assert.deepEqual(Dataset.range(3).repeat(0).asArray(), []);
  assert.deepEqual(
    numbers(
      Dataset.range(10)
        .filter((x) => tf.equal(tf.math.mod(x, 3), 0))
        .asArray(),
    ),
    [0, 3, 6, 9],
  );
  assert.deepEqual(
    numbers(
      Dataset.range(10)
        .filter((x) => Number(x.numpy()) > 7)
        .asArray(),
    ),
    [8, 9],
  );
  // An empty dataset repeated forever ends instead of spinning.
  assert.deepEqual(Dataset.range(0).repeat().asArray(), []);
  const prefetched = Dataset.range(3).prefetch(tf.data.AUTOTUNE);
  assert.deepEqual(prefetched.asArray(), [0n, 1n, 2n]);
  assert.deepEqual(
    Dataset.range(3)
      .map((x) => x, { numParallelCalls: tf.data.AUTOTUNE })
      .asArray(),
    [0n, 1n, 2n],
  );
});

test('cardinality follows TF: known counts, INFINITE (-1) and UNKNOWN (-2)', () => {
  const { INFINITE_CARDINALITY: INFINITE, UNKNOWN_CARDINALITY: UNKNOWN } = tf.data;
  assert.equal(INFINITE, -1);
  assert.equal(UNKNOWN, -2);
  const ds = Dataset.range(10);
  assert.equal(ds.cardinality(), 10);
  assert.equal(ds.batch(3).cardinality(), 4);
  assert.equal(ds.batch(3, { dropRemainder: true }).cardinality(), 3);
  assert.equal(
    ds
      .shuffle(4)
      .map((x) => x)
      .prefetch(1)
      .cardinality(),
    10,
  );
  assert.equal(ds.repeat(3).cardinality(), 30);
  assert.equal(ds.repeat().cardinality(), INFINITE);
  assert.equal(ds.repeat().take(25).cardinality(), 25);
  assert.equal(ds.repeat().skip(25).cardinality(), INFINITE);
  assert.equal(ds.repeat().batch(4).cardinality(), INFINITE);
  assert.equal(ds.take(20).cardinality(), 10);
  assert.equal(ds.skip(4).cardinality(), 6);
  assert.equal(ds.skip(40).cardinality(), 0);
  const filtered = ds.filter(() => true);
  assert.equal(filtered.cardinality(), UNKNOWN);
  assert.equal(filtered.batch(2).repeat(2).take(3).cardinality(), UNKNOWN);
  assert.equal(
    ds
      .repeat()
      .filter(() => true)
      .cardinality(),
    INFINITE,
  );
  assert.equal(Dataset.range(0).repeat().cardinality(), 0);
});

/** Whether `order` is a permutation of 0..n-1. */
function isPermutation(order: number[], n: number): boolean {
  return order.length === n && [...order].sort((a, b) => a - b).every((v, i) => v === i);
}

test('shuffle: a seeded, reproducible permutation with TF buffer semantics', () => {
  const order = (ds: tf.data.Dataset<tf.Tensor>) => numbers(ds.asArray());
  const a = order(Dataset.range(100).shuffle(100, { seed: 42 }));
  const b = order(Dataset.range(100).shuffle(100, { seed: 42 }));
  assert.ok(isPermutation(a, 100));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, numbers(Dataset.range(100).asArray()));
  assert.notDeepEqual(a, order(Dataset.range(100).shuffle(100, { seed: 43 })));
  // A buffer of 1 keeps the order; a buffer of k hands out element i only after reading up to i + k - 1.
  assert.deepEqual(order(Dataset.range(20).shuffle(1, { seed: 1 })), numbers(Dataset.range(20).asArray()));
  const windowed = order(Dataset.range(1000).shuffle(10, { seed: 7 }));
  assert.ok(isPermutation(windowed, 1000));
  windowed.forEach((value, position) => assert.ok(value < position + 10, `element ${value} came out at ${position}`));
  assert.ok(isPermutation(order(Dataset.range(10).shuffle(1000)), 10));
});

test('shuffle reshuffles on each iteration (epoch) unless told not to; seeds fix the sequence of epochs', () => {
  const ds = Dataset.range(50).shuffle(50, { seed: 5 });
  const first = numbers(ds.asArray());
  const second = numbers(ds.asArray());
  assert.ok(isPermutation(second, 50));
  assert.notDeepEqual(first, second);
  const again = Dataset.range(50).shuffle(50, { seed: 5 });
  assert.deepEqual(numbers(again.asArray()), first);
  assert.deepEqual(numbers(again.asArray()), second);
  const repeated = numbers(Dataset.range(50).shuffle(50, { seed: 5 }).repeat(2).asArray());
  assert.deepEqual(repeated, [...first, ...second]);
  const fixed = Dataset.range(50).shuffle(50, { seed: 5, reshuffleEachIteration: false });
  assert.deepEqual(numbers(fixed.asArray()), numbers(fixed.asArray()));
  const unseeded = Dataset.range(50).shuffle(50, { reshuffleEachIteration: false });
  assert.deepEqual(numbers(unseeded.asArray()), numbers(unseeded.asArray()));
});

test('errors are clear', () => {
  assert.throws(() => Dataset.fromTensorSlices([tf.zeros([3, 2]), tf.zeros([4])]), {
    name: 'RangeError',
    message: 'fromTensorSlices needs components with the same first dimension: component [0] has 3, component [1] has 4',
  });
  assert.throws(() => Dataset.fromTensorSlices({ x: [1, 2], y: [1, 2, 3] }), { message: /component \.x has 2, component \.y has 3/ });
  assert.throws(() => Dataset.fromTensorSlices(5), { name: 'RangeError', message: /rank >= 1; the element is a scalar/ });
  assert.throws(() => Dataset.fromTensorSlices({ data: new Float32Array(5), shape: [2, 2] }), {
    message: 'the element: shape [2, 2] needs 4 values, the array has 5',
  });
  assert.throws(() => Dataset.fromTensorSlices([[1, 2], [3]]), { name: 'RangeError', message: /Ragged/ });
  assert.throws(() => Dataset.fromTensorSlices({}), { name: 'TypeError', message: 'fromTensorSlices needs at least one component' });
  assert.throws(() => Dataset.range(3).batch(0), { name: 'RangeError', message: 'batchSize must be an integer >= 1, got 0' });
  assert.throws(() => Dataset.range(3).shuffle(0), { name: 'RangeError', message: 'bufferSize must be an integer >= 1, got 0' });
  assert.throws(() => Dataset.range(3).take(1.5), { name: 'RangeError' });
  assert.throws(() => Dataset.range(3).repeat(-2), { name: 'RangeError' });
  assert.throws(() => Dataset.range(3).repeat().asArray(), { name: 'RangeError', message: /infinite dataset/ });
  const ragged = Dataset.range(3).map((x) => tf.fill([Number(x.numpy()) + 1], 1));
  assert.throws(() => ragged.batch(3).asArray(), {
    name: 'TypeError',
    message: 'Cannot batch elements with different dtypes or shapes in the element: element 0 is float32 [1], element 1 is float32 [2]',
  });
  const unsupported = Dataset.range(2).map(() => new Date() as never);
  assert.throws(() => unsupported.asArray(), { name: 'TypeError', message: /unsupported value for the element/ });
});

test('batching 60000x784 float32 rows into batches of 128 is fast (no per-row tensors)', () => {
  const pixels = new Float32Array(60000 * 784).fill(0.5);
  const labels = new Int32Array(60000).fill(3);
  const start = performance.now();
  let batches = 0;
  for (const [x, y] of Dataset.fromTensorSlices([{ data: pixels, shape: [60000, 784] }, labels]).batch(128)) {
    if (batches === 0) assert.deepEqual([x.shape, y.shape], [[128, 784], [128]]);
    ++batches;
    x.dispose();
    y.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  assert.equal(batches, 469);
  assert.ok(seconds < 2, `took ${seconds.toFixed(2)} s`);
});
