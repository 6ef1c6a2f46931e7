// A sequence model with Keras: Embedding(maskZero) → Bidirectional(LSTM) → Dense learns the
// sentiment of synthetic "reviews" of variable length (padded with 0, masked), where a "not"
// flips the word after it, so word order matters. Adam with a warmup + cosine-decay learning
// rate, the progress bar, the test accuracy, and the learning-rate and loss curves as an SVG.
//
// The data are generated here from a seed: nothing is downloaded.
//
//   npm run demo:text -- [--epochs=8] [--batch-size=64] [--train-samples=4000] [--chart=text-training.svg]
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '../lib';
import { lineChart } from './chart';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '8' },
    'batch-size': { type: 'string', default: '64' },
    'train-samples': { type: 'string', default: '4000' },
    chart: { type: 'string', default: 'text-training.svg' },
  },
});
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);

const MAX_LENGTH = 32;
const VOCAB = 100;
/** Token ids: 0 padding, 1 "not", then 20 positive words, 20 negative words, the rest neutral. */
const NOT = 1;
const sentimentOf = (id: number): number => (id >= 2 && id < 22 ? 1 : id >= 22 && id < 42 ? -1 : 0);

/** mulberry32: a small seeded generator, so every run sees the same reviews. */
function generator(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` reviews of 8–32 tokens, 0-padded, labelled 1 when their (negation-aware) score is positive. */
export function makeReviews(count: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const random = generator(seed);
  const ids = new Int32Array(count * MAX_LENGTH);
  const labels = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    let score = 0;
    let tokens: number[] = [];
    while (score === 0) {
      tokens = [];
      const length = 8 + Math.floor(random() * (MAX_LENGTH - 7));
      for (let t = 0; t < length; t++) tokens.push(random() < 0.15 ? NOT : 2 + Math.floor(random() * (VOCAB - 2)));
      score = tokens.reduce((s, id, t) => s + (t > 0 && tokens[t - 1] === NOT ? -1 : 1) * sentimentOf(id), 0);
    }
    ids.set(tokens, r * MAX_LENGTH);
    labels[r] = score > 0 ? 1 : 0;
  }
  return { x: tf.tensor(ids, [count, MAX_LENGTH], 'int32'), y: tf.tensor(labels, [count, 1]) };
}

async function main(): Promise<void> {
  tf.random.setSeed(0);
  const trainSamples = Number(args['train-samples']);
  const train = makeReviews(trainSamples, 1);
  const test = makeReviews(1000, 2);
  console.log(`${trainSamples} training and 1000 test reviews of up to ${MAX_LENGTH} tokens`);

  const model = new tf.keras.Sequential([
    tf.keras.Input({ shape: [MAX_LENGTH], dtype: 'int32' }),
    new tf.keras.layers.Embedding(VOCAB, 16, { maskZero: true }),
    new tf.keras.layers.Bidirectional(new tf.keras.layers.LSTM(32)),
    new tf.keras.layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.summary();

  const steps = epochs * Math.ceil(trainSamples / batchSize);
  const warmupSteps = Math.floor(steps / 10);
  const schedule = new tf.keras.optimizers.schedules.CosineDecay({
    initialLearningRate: 0.0,
    decaySteps: steps - warmupSteps,
    warmupTarget: 1e-2,
    warmupSteps,
  });
  model.compile({
    optimizer: new tf.keras.optimizers.Adam({ learningRate: schedule }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });

  /** Per step: the learning rate (for the next step) and the epoch's running mean loss. */
  class Curves extends tf.keras.callbacks.Callback {
    step: number[] = [];
    learningRate: number[] = [];
    loss: number[] = [];

    override onTrainBatchEnd(_batch: number, logs: tf.keras.callbacks.Logs = {}): void {
      this.step.push(this.step.length + 1);
      this.learningRate.push(this.model.optimizer.learningRate.numpy());
      this.loss.push(logs.loss);
    }
  }

  const curves = new Curves();
  const start = performance.now();
  const history = await model.fit(train.x, train.y, { batchSize, epochs, verbose: 1, callbacks: [curves] });
  console.log(`Trained in ${((performance.now() - start) / 1000).toFixed(1)}s`);

  const [testLoss, testAccuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  console.log(`Test accuracy: ${testAccuracy.toFixed(4)} (loss ${testLoss.toFixed(4)})`);

  const stepsPerEpoch = Math.floor(curves.step.length / epochs);
  const epochEnds = history.epoch.map((e) => stepsPerEpoch * (e + 1));
  const svg = lineChart({
    title: `Synthetic sentiment: test accuracy ${(testAccuracy * 100).toFixed(2)}%`,
    subtitle: `Embedding(maskZero) → Bidirectional(LSTM(32)) → Dense; ${trainSamples} reviews, batch ${batchSize}, ${epochs} epochs; Adam, CosineDecay with ${warmupSteps} warmup steps to 1e-2`,
    xLabel: 'step',
    bands: epochEnds.map((to, e) => ({ from: to - stepsPerEpoch, to, label: `epoch ${e + 1}` })),
    panels: [
      {
        yLabel: 'learning rate',
        series: [{ label: 'optimizer.learningRate', x: curves.step, y: curves.learningRate, color: '#1f6feb', width: 2 }],
      },
      {
        yLabel: 'loss',
        logY: true,
        series: [
          { label: 'running mean (progress bar)', x: curves.step, y: curves.loss, color: '#cf222e', width: 2 },
          { label: 'epoch loss', x: epochEnds, y: history.history.loss, color: '#111111', width: 0, dots: 3.5 },
        ],
      },
    ],
  });
  fs.writeFileSync(args.chart, svg);
  console.log(`Wrote ${args.chart}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
