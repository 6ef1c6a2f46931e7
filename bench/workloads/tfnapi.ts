// tf-napi worker of bench/run.js (protocol: bench/README.md), a port of python_tf.py: the spec's model
// as a Keras Sequential; `loop` trains it with a tf.function step (tape + applyGradients), one session
// run per batch, `fit` with model.fit; `--async` awaits each loop step off the event loop instead.
import * as path from 'node:path';
import * as tf from '../../lib';

interface Layer {
  type: 'dense' | 'conv2d' | 'maxpool' | 'flatten';
  units?: number;
  filters?: number;
  kernel?: number;
  size?: number;
  activation?: string;
}
interface Workload {
  name: string;
  batch: number;
  input: number[];
  loss: 'softmax_cross_entropy' | 'mse';
  lr: 'constant' | 'cosine' | 'assign';
  decaySteps?: number;
  layers: Layer[];
}
interface Common {
  spec: { batches: number; adam: { learningRate: number; beta1: number; beta2: number; epsilon: number } };
  makeData(w: Workload): { x: Float32Array; y: Float32Array; features: number; outputs: number };
  initialWeights(w: Workload): { values: Float32Array; shape: number[] }[];
  learningRate(w: Workload, step: number): number;
  parseArgs(argv: string[]): { w: Workload; mode: 'loop' | 'fit'; warmup: number; steps: number; flags: Record<string, string | boolean> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const common = require(path.join(__dirname, '..', '..', '..', 'bench', 'workloads', 'common.js')) as Common;

/** The spec's model as a Keras Sequential, weights set from the shared initial values (Python's build()). */
function build(w: Workload) {
  const model = new tf.keras.Sequential([tf.keras.Input({ shape: w.input })]);
  for (const layer of w.layers) {
    if (layer.type === 'dense') model.add(new tf.keras.layers.Dense({ units: layer.units as number, activation: layer.activation }));
    if (layer.type === 'conv2d') {
      model.add(new tf.keras.layers.Conv2D({ filters: layer.filters as number, kernelSize: layer.kernel as number, activation: layer.activation }));
    }
    if (layer.type === 'maxpool') model.add(new tf.keras.layers.MaxPooling2D({ poolSize: layer.size }));
    if (layer.type === 'flatten') model.add(new tf.keras.layers.Flatten());
  }
  model.setWeights(common.initialWeights(w).map((v) => tf.tensor(v.values, v.shape)));
  const { learningRate, beta1, beta2, epsilon } = common.spec.adam;
  const lr = w.lr === 'cosine' ? new tf.keras.optimizers.schedules.CosineDecay({ initialLearningRate: learningRate, decaySteps: w.decaySteps as number }) : learningRate;
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: lr, beta1, beta2, epsilon });
  const loss = w.loss === 'softmax_cross_entropy' ? new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true }) : new tf.keras.losses.MeanSquaredError();
  return { model, optimizer, loss };
}

async function main(): Promise<void> {
  const { w, mode, warmup, steps, flags } = common.parseArgs(process.argv.slice(2));
  const runAsync = flags.async === true;
  const { model, optimizer, loss: lossFn } = build(w);
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const assign = w.lr === 'assign';
  let done = 0; // optimizer updates so far: the step of common.learningRate()
  let train: (count: number) => Promise<number>;
  if (mode === 'loop') {
    const xs = Array.from({ length: batches }, (_, i) =>
      tf.tensor(x.subarray(i * w.batch * features, (i + 1) * w.batch * features), [w.batch, ...w.input]),
    );
    const ys = Array.from({ length: batches }, (_, i) => tf.tensor(y.subarray(i * w.batch * outputs, (i + 1) * w.batch * outputs), [w.batch, outputs]));
    const trainStep = tf.function((xb: tf.Tensor, yb: tf.Tensor) => {
      const tape = new tf.GradientTape();
      const loss = tape.record(() => lossFn.apply(yb, model.call(xb, { training: true })));
      const grads = tape.gradient(loss, model.trainableVariables);
      optimizer.applyGradients(tf.zip(grads, model.trainableVariables));
      return loss;
    });
    train = async (count) => {
      let loss: tf.Tensor | undefined;
      for (let i = 0; i < count; ++i) {
        if (assign) optimizer.learningRate.assign(common.learningRate(w, done));
        loss?.dispose();
        loss = runAsync ? await trainStep.callAsync(xs[i % batches], ys[i % batches]) : trainStep(xs[i % batches], ys[i % batches]);
        done += 1;
      }
      return (loss as tf.Tensor).numpy() as number;
    };
  } else {
    class AssignLearningRate extends tf.keras.callbacks.Callback {
      override onTrainBatchBegin(): void {
        optimizer.learningRate.assign(common.learningRate(w, done));
        done += 1;
      }
    }
    model.compile({ optimizer, loss: lossFn });
    const callbacks = assign ? [new AssignLearningRate()] : [];
    train = async (count) => {
      const perEpoch = Math.min(count, batches);
      const rows = perEpoch * w.batch;
      const history = await model.fit(
        { data: x.subarray(0, rows * features), shape: [rows, ...w.input] },
        { data: y.subarray(0, rows * outputs), shape: [rows, outputs] },
        { batchSize: w.batch, epochs: count / perEpoch, shuffle: false, verbose: 0, callbacks },
      );
      const losses = history.history.loss as number[];
      return losses[losses.length - 1];
    };
  }
  if (warmup > 0) await train(warmup);
  const start = process.hrtime.bigint();
  const finalLoss = await train(steps);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    JSON.stringify({
      impl: runAsync ? 'tf-napi-async' : 'tf-napi',
      backend: `tf-napi ${tf.version.tfNapi} (TF ${tf.version.tensorflow})`,
      workload: w.name,
      mode,
      steps,
      seconds,
      stepsPerSec: steps / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      finalLoss,
    }) + '\n',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
