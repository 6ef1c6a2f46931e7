// The one seeded shuffler (lib/data/shuffle.ts), behind Dataset.shuffle and fit's shuffle: orders
// are permutations, fixed by an explicit seed or, without one, by tf.random.setSeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as tf from '../lib';
import { Shuffler } from '../lib/data/shuffle';
import { ArraySource, toHostArray } from '../lib/keras/training/data_adapter';

const { Sequential, Input, layers, optimizers } = tf.keras;

function isPermutation(order: ArrayLike<number>, n: number): boolean {
  return (
    order.length === n &&
    Array.from(order)
      .sort((a, b) => a - b)
      .every((v, i) => v === i)
  );
}

test('Shuffler.permutation: a permutation, the same per seed and epoch, a new one each epoch', () => {
  for (const n of [0, 1, 2, 10, 1000]) assert.ok(isPermutation(new Shuffler(3).permutation(n), n), `n=${n}`);
  const a = new Shuffler(42);
  const b = new Shuffler(42);
  const epochs = [a.permutation(100), a.permutation(100)];
  assert.deepEqual([b.permutation(100), b.permutation(100)], epochs);
  assert.notDeepEqual(epochs[0], epochs[1]);
  assert.notDeepEqual(
    epochs[0],
    Uint32Array.from({ length: 100 }, (_, i) => i),
  );
  assert.notDeepEqual(new Shuffler(43).permutation(100), epochs[0]);
  const fixed = new Shuffler(42, false);
  assert.deepEqual(fixed.permutation(100), epochs[0]);
  assert.deepEqual(fixed.permutation(100), epochs[0]);
  assert.throws(() => new Shuffler(1.5), { name: 'RangeError', message: 'seed must be an integer, got 1.5' });
});

test('Dataset.shuffle and fit share the shuffler: a full buffer gives the permutation', () => {
  const ds = tf.data.Dataset.range(64).shuffle(64, { seed: 9 });
  const shuffler = new Shuffler(9);
  for (let epoch = 0; epoch < 2; ++epoch) {
    assert.deepEqual(ds.asArray().map(Number), Array.from(shuffler.permutation(64)));
  }
});

test('without a seed, the shuffle seed comes from tf.random.setSeed', () => {
  const draw = (seed: number) => {
    tf.random.setSeed(seed);
    return [new Shuffler().permutation(50), tf.data.Dataset.range(50).shuffle(50).asArray().map(Number)];
  };
  const first = draw(1234);
  assert.deepEqual(draw(1234), first);
  assert.notDeepEqual(draw(4321)[0], first[0]);
  assert.notDeepEqual(draw(4321)[1], first[1]);
});

/** The x values of each batch an ArraySource hands out over `epochs` shuffled epochs. */
function shuffledBatches(seed: number, epochs: number): number[][] {
  tf.random.setSeed(seed);
  const source = new ArraySource(
    toHostArray(
      Float32Array.from({ length: 10 }, (_, i) => i),
      'x',
    ),
    undefined,
    4,
  );
  const batches: number[][] = [];
  for (let epoch = 0; epoch < epochs; ++epoch) {
    const iterator = source.batches(true);
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      batches.push(Array.from(next.value.x.dataSync() as Float32Array));
      next.value.dispose();
    }
  }
  return batches;
}

test("fit's array batches: every sample once per epoch, a new order each epoch, the same orders after one setSeed", () => {
  const batches = shuffledBatches(1234, 2);
  assert.deepEqual(
    batches.map((b) => b.length),
    [4, 4, 2, 4, 4, 2],
  );
  const [epoch0, epoch1] = [batches.slice(0, 3).flat(), batches.slice(3).flat()];
  assert.ok(isPermutation(epoch0, 10) && isPermutation(epoch1, 10));
  assert.notDeepEqual(epoch0, epoch1);
  assert.deepEqual(shuffledBatches(1234, 2), batches);
  assert.notDeepEqual(shuffledBatches(4321, 2), batches);
});

test('fit with shuffle: one global seed trains identically twice; another seed trains differently', async () => {
  const model = new Sequential([Input([2]), new layers.Dense({ units: 4, activation: 'tanh' }), new layers.Dense({ units: 1 })]);
  const initial = model.getWeights().map((w) => w.numpy() as number[][]);
  const x = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
  const y = x.map(([a, b]) => [2 * a - b + 0.5]);
  const train = async (seed: number) => {
    model.setWeights(initial);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    tf.random.setSeed(seed);
    const history = await model.fit(x, y, { batchSize: 2, epochs: 3, shuffle: true, verbose: 0 });
    return { loss: history.history.loss, weights: model.getWeights().map((w) => w.numpy()) };
  };
  const first = await train(1234);
  const again = await train(1234);
  assert.deepEqual(again.loss, first.loss);
  assert.deepEqual(again.weights, first.weights);
  const other = await train(4321);
  assert.notDeepEqual(other.loss, first.loss);
  assert.notDeepEqual(other.weights, first.weights);
});

test('tf.random.opSeed: an unseeded op seed in [0, 2^31), repeatable after setSeed', () => {
  tf.random.setSeed(99);
  const first = [tf.random.opSeed(), tf.random.opSeed()];
  tf.random.setSeed(99);
  assert.deepEqual([tf.random.opSeed(), tf.random.opSeed()], first);
  for (const s of first) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 31);
  assert.notEqual(first[0], first[1]);
});
