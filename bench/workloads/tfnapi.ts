// tf-napi worker of bench/run.js (protocol: bench/README.md). The model is the spec's layers as
// variables and tf.nn ops; `loop` trains it with a tf.function step (tape + applyGradients), one
// session run per batch; `--async` awaits each step off the event loop instead.
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

function forward(w: Workload, weights: tf.Variable[], x: tf.Tensor): tf.Tensor {
  let h = x;
  let next = 0;
  for (const layer of w.layers) {
    if (layer.type === 'dense') {
      h = tf.nn.biasAdd(tf.matmul(h, weights[next++].value()), weights[next++].value());
    } else if (layer.type === 'conv2d') {
      h = tf.nn.biasAdd(tf.nn.conv2d(h, weights[next++].value(), 1, 'VALID'), weights[next++].value());
    } else if (layer.type === 'maxpool') {
      h = tf.nn.maxPool2d(h, layer.size as number, layer.size as number, 'VALID');
    } else {
      h = tf.reshape(h, [-1, (h.shape.slice(1) as number[]).reduce((a, b) => a * b, 1)]);
    }
    if (layer.activation === 'relu') h = tf.nn.relu(h);
  }
  return h;
}

function lossOf(w: Workload, labels: tf.Tensor, outputs: tf.Tensor): tf.Tensor {
  if (w.loss === 'mse') return tf.reduceMean(tf.square(tf.subtract(outputs, labels)));
  return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels, logits: outputs }));
}

async function main(): Promise<void> {
  const { w, mode, warmup, steps, flags } = common.parseArgs(process.argv.slice(2));
  if (mode !== 'loop') throw new Error('tf-napi worker: fit mode lands with tf.keras.Model.fit');
  const runAsync = flags.async === true;
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const xs = Array.from({ length: batches }, (_, i) =>
    tf.tensor(x.subarray(i * w.batch * features, (i + 1) * w.batch * features), [w.batch, ...w.input]),
  );
  const ys = Array.from({ length: batches }, (_, i) => tf.tensor(y.subarray(i * w.batch * outputs, (i + 1) * w.batch * outputs), [w.batch, outputs]));
  const weights = common.initialWeights(w).map((v, i) => new tf.Variable(tf.tensor(v.values, v.shape), { name: `w${i}` }));
  const { learningRate, beta1, beta2, epsilon } = common.spec.adam;
  const schedule = w.lr === 'cosine' ? new tf.keras.optimizers.schedules.CosineDecay({ initialLearningRate: learningRate, decaySteps: w.decaySteps as number }) : learningRate;
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: schedule, beta1, beta2, epsilon });
  const trainStep = tf.function((xb: tf.Tensor, yb: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => lossOf(w, yb, forward(w, weights, xb)));
    optimizer.applyGradients(tf.zip(tape.gradient(loss, weights), weights));
    return loss;
  });
  let done = 0;
  const train = async (count: number): Promise<number> => {
    let loss: tf.Tensor | undefined;
    for (let i = 0; i < count; ++i) {
      if (w.lr === 'assign') optimizer.learningRate.assign(common.learningRate(w, done));
      loss?.dispose();
      loss = runAsync ? await trainStep.callAsync(xs[i % batches], ys[i % batches]) : trainStep(xs[i % batches], ys[i % batches]);
      done += 1;
    }
    return (loss as tf.Tensor).numpy() as number;
  };
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
