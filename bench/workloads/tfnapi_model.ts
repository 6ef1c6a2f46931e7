// The tf-napi side of the bench workloads, shared by the bench worker (tfnapi.ts) and the paired
// fit-vs-loop measurement (../fit_vs_loop.ts): the spec's model as a Keras Sequential with the shared
// initial weights, its optimizer and loss, the data as host arrays, and the hand-written training step.
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
export function build(w: Workload) {
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

/** The loop's training step: forward pass under a tape, gradients, applyGradients; one session run per call. */
export function makeTrainStep(model: tf.keras.Sequential, optimizer: tf.keras.optimizers.Adam, lossFn: tf.keras.losses.Loss) {
  return tf.function((xb: tf.Tensor, yb: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => lossFn.apply(yb, model.call(xb, { training: true })));
    const grads = tape.gradient(loss, model.trainableVariables);
    optimizer.applyGradients(tf.zip(grads, model.trainableVariables));
    return loss;
  });
}

/** The data's 60 batches as tensors, made once (the loop's inputs). */
export function batchTensors(w: Workload) {
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const xs = Array.from({ length: batches }, (_, i) => tf.tensor(x.subarray(i * w.batch * features, (i + 1) * w.batch * features), [w.batch, ...w.input]));
  const ys = Array.from({ length: batches }, (_, i) => tf.tensor(y.subarray(i * w.batch * outputs, (i + 1) * w.batch * outputs), [w.batch, outputs]));
  return { xs, ys };
}
