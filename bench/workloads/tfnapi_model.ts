// The tf-napi side of the bench workloads, shared by the bench worker (tfnapi.ts) and the paired
// fit-vs-loop measurement (../fit_vs_loop.ts): the spec's model as a Keras Sequential with the shared
// initial weights, and the two ways to train it: the hand-written loop and fit.
import * as path from 'node:path';
import * as tf from '../../lib';

export interface Layer {
  type: 'dense' | 'conv2d' | 'maxpool' | 'flatten';
  units?: number;
  filters?: number;
  kernel?: number;
  size?: number;
  activation?: string;
}
export interface Workload {
  name: string;
  batch: number;
  input: number[];
  loss: 'softmax_cross_entropy' | 'mse';
  lr: 'constant' | 'cosine' | 'assign';
  decaySteps?: number;
  layers: Layer[];
}
export interface Common {
  spec: { batches: number; adam: { learningRate: number; beta1: number; beta2: number; epsilon: number } };
  makeData(w: Workload): { x: Float32Array; y: Float32Array; features: number; outputs: number };
  initialWeights(w: Workload): { values: Float32Array; shape: number[] }[];
  learningRate(w: Workload, step: number): number;
  parseArgs(argv: string[]): { w: Workload; mode: 'loop' | 'fit'; warmup: number; steps: number; flags: Record<string, string | boolean> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const common = require(path.join(__dirname, '..', '..', '..', 'bench', 'workloads', 'common.js')) as Common;

/** The spec's model as a Keras Sequential, weights set from the shared initial values (Python's build()). */
function build(w: Workload) {
  const model = new tf.keras.Sequential([tf.keras.Input({ shape: w.input })]);
  for (const layer of w.layers) {
    if (layer.type === 'dense') model.add(new tf.keras.layers.Dense({ units: layer.units as number, activation: layer.activation }));
    if (layer.type === 'conv2d') {
      model.add(
        new tf.keras.layers.Conv2D({ filters: layer.filters as number, kernelSize: layer.kernel as number, activation: layer.activation }),
      );
    }
    if (layer.type === 'maxpool') model.add(new tf.keras.layers.MaxPooling2D({ poolSize: layer.size }));
    if (layer.type === 'flatten') model.add(new tf.keras.layers.Flatten());
  }
  model.setWeights(common.initialWeights(w).map((v) => tf.tensor(v.values, v.shape)));
  const { learningRate, beta1, beta2, epsilon } = common.spec.adam;
  const lr =
    w.lr === 'cosine'
      ? new tf.keras.optimizers.schedules.CosineDecay({ initialLearningRate: learningRate, decaySteps: w.decaySteps as number })
      : learningRate;
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: lr, beta1, beta2, epsilon });
  const loss =
    w.loss === 'softmax_cross_entropy'
      ? new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true })
      : new tf.keras.losses.MeanSquaredError();
  return { model, optimizer, loss };
}

/**
 * The workload's two ways to train `count` steps on one model: `loop`, a tf.function step per batch
 * (awaited off the event loop with `runAsync`), and `fit`. Each returns the last loss (fit: the last
 * epoch's mean). With `lr: 'assign'` the learning rate is assigned before every step, in fit by a callback.
 */
export function makeTrainers(w: Workload, runAsync = false) {
  const { model, optimizer, loss: lossFn } = build(w);
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const assign = w.lr === 'assign';
  let done = 0; // optimizer updates so far, counted where the learning rate is assigned: the step of common.learningRate()
  let loopState: { step: tf.TracedFunction<[tf.Tensor, tf.Tensor], tf.Tensor>; xs: tf.Tensor[]; ys: tf.Tensor[] } | undefined;
  const loop = async (count: number): Promise<number> => {
    if (loopState === undefined) {
      const step = tf.function((xb: tf.Tensor, yb: tf.Tensor) => {
        const tape = new tf.GradientTape();
        const loss = tape.record(() => lossFn.apply(yb, model.call(xb, { training: true })));
        optimizer.applyGradients(tf.zip(tape.gradient(loss, model.trainableVariables), model.trainableVariables));
        return loss;
      });
      const xs = Array.from({ length: batches }, (_, i) =>
        tf.tensor(x.subarray(i * w.batch * features, (i + 1) * w.batch * features), [w.batch, ...w.input]),
      );
      const ys = Array.from({ length: batches }, (_, i) =>
        tf.tensor(y.subarray(i * w.batch * outputs, (i + 1) * w.batch * outputs), [w.batch, outputs]),
      );
      loopState = { step, xs, ys };
    }
    const { step, xs, ys } = loopState;
    let loss: tf.Tensor | undefined;
    for (let i = 0; i < count; ++i) {
      if (assign) optimizer.learningRate.assign(common.learningRate(w, done));
      loss?.dispose();
      loss = runAsync ? await step.callAsync(xs[i % batches], ys[i % batches]) : step(xs[i % batches], ys[i % batches]);
      done += 1;
    }
    return (loss as tf.Tensor).numpy() as number;
  };
  class AssignLearningRate extends tf.keras.callbacks.Callback {
    override onTrainBatchBegin(): void {
      optimizer.learningRate.assign(common.learningRate(w, done));
    }
    override onTrainBatchEnd(): void {
      done += 1;
    }
  }
  let compiled = false;
  const fit = async (count: number): Promise<number> => {
    if (!compiled) model.compile({ optimizer, loss: lossFn });
    compiled = true;
    const perEpoch = Math.min(count, batches);
    const rows = perEpoch * w.batch;
    const history = await model.fit(
      { data: x.subarray(0, rows * features), shape: [rows, ...w.input] },
      { data: y.subarray(0, rows * outputs), shape: [rows, outputs] },
      { batchSize: w.batch, epochs: count / perEpoch, shuffle: false, verbose: 0, callbacks: assign ? [new AssignLearningRate()] : [] },
    );
    const losses = history.history.loss as number[];
    return losses[losses.length - 1];
  };
  return { loop, fit };
}
