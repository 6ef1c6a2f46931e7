'use strict';
// TensorFlow.js worker of bench/run.js, for the peers installed by scripts/setup-bench-peers.sh:
//   node tfjs.js WORKLOAD loop|fit WARMUP STEPS --backend=cpu|wasm|tensorflow   one JSON result line
//   node tfjs.js --matmul --backend=tensorflow                                  {"gflops": ...}
// cpu and wasm are @tensorflow/tfjs (+ tfjs-backend-wasm) from bench/peers/tfjs; tensorflow is
// @tensorflow/tfjs-node from bench/peers/tfjs-node, built against TF 2.21.
const path = require('node:path');
const { createRequire } = require('node:module');
const common = require('./common.js');

// tfjs prints notices with console.log/warn: stdout carries only the result line.
const stdout = process.stdout.write.bind(process.stdout);
console.log = console.info = console.warn = console.error;

const PEERS = path.join(__dirname, '..', 'peers');

async function loadTf(backend) {
  if (backend === 'tensorflow') {
    const tf = createRequire(path.join(PEERS, 'tfjs-node', 'package.json'))('@tensorflow/tfjs-node');
    return { tf, version: `tfjs-node ${tf.version['tfjs-node']} (TF ${tf.backend().binding.TF_Version})` };
  }
  const peer = createRequire(path.join(PEERS, 'tfjs', 'package.json'));
  const tf = peer('@tensorflow/tfjs');
  if (backend === 'wasm') peer('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' is unavailable`);
  await tf.ready();
  return { tf, version: `tfjs ${tf.version.tfjs} ${backend}` };
}

function build(tf, w) {
  const model = tf.sequential();
  w.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: w.input } : {};
    const activation = layer.activation || 'linear';
    if (layer.type === 'dense') model.add(tf.layers.dense({ units: layer.units, activation, ...first }));
    if (layer.type === 'conv2d') model.add(tf.layers.conv2d({ filters: layer.filters, kernelSize: layer.kernel, activation, ...first }));
    if (layer.type === 'maxpool') model.add(tf.layers.maxPooling2d({ poolSize: layer.size }));
    if (layer.type === 'flatten') model.add(tf.layers.flatten());
  });
  model.setWeights(common.initialWeights(w).map((v) => tf.tensor(v.values, v.shape)));
  const { learningRate, beta1, beta2, epsilon } = common.spec.adam;
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  const loss =
    w.loss === 'softmax_cross_entropy'
      ? (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits)
      : (targets, predictions) => tf.losses.meanSquaredError(targets, predictions);
  return { model, optimizer, loss };
}

async function run(tf, w, mode, warmup, steps) {
  const { model, optimizer, loss } = build(tf, w);
  const { x, y, features, outputs } = common.makeData(w);
  const batch = w.batch;
  const batches = common.spec.batches;
  // tfjs has no learning-rate schedules or variables: the optimizer reads its plain learningRate field
  // every update, so both 'cosine' and 'assign' set it before each step.
  const scheduled = w.lr !== 'constant';
  let done = 0;

  let train;
  if (mode === 'loop') {
    const xs = [];
    const ys = [];
    for (let b = 0; b < batches; ++b) {
      xs.push(tf.tensor(x.subarray(b * batch * features, (b + 1) * batch * features), [batch, ...w.input]));
      ys.push(tf.tensor(y.subarray(b * batch * outputs, (b + 1) * batch * outputs), [batch, outputs]));
    }
    train = async (count) => {
      let cost = null;
      for (let i = 0; i < count; ++i) {
        if (scheduled) optimizer.learningRate = common.learningRate(w, done);
        if (cost) cost.dispose();
        cost = optimizer.minimize(() => loss(ys[i % batches], model.apply(xs[i % batches], { training: true })), true);
        done += 1;
      }
      return (await cost.data())[0];
    };
  } else {
    model.compile({ optimizer, loss });
    const callbacks = scheduled
      ? {
          onBatchBegin: () => {
            optimizer.learningRate = common.learningRate(w, done);
            done += 1;
          },
        }
      : undefined;
    train = async (count) => {
      const perEpoch = Math.min(count, batches);
      const rows = perEpoch * batch;
      const [xFit, yFit] = [
        tf.tensor(x.subarray(0, rows * features), [rows, ...w.input]),
        tf.tensor(y.subarray(0, rows * outputs), [rows, outputs]),
      ];
      const history = await model.fit(xFit, yFit, { batchSize: batch, epochs: count / perEpoch, shuffle: false, verbose: 0, callbacks });
      tf.dispose([xFit, yFit]);
      return history.history.loss[history.history.loss.length - 1];
    };
  }

  if (warmup) await train(warmup);
  const start = process.hrtime.bigint();
  const finalLoss = await train(steps);
  return { finalLoss, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function matmulGflops(tf, n = 2048, reps = 3, rounds = 5) {
  const [a, b] = [tf.randomUniform([n, n]), tf.randomUniform([n, n])];
  const chain = () =>
    tf.tidy(() => {
      let c = a;
      for (let i = 0; i < reps; ++i) c = tf.matMul(c, b).mul(1 / n);
      return c;
    });
  await chain().data();
  let best = Infinity;
  for (let r = 0; r < rounds; ++r) {
    const start = process.hrtime.bigint();
    await chain().data();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { gflops: (2 * n ** 3 * reps) / best / 1e9, n };
}

async function main(argv) {
  const backend = (argv.find((a) => a.startsWith('--backend=')) || '--backend=cpu').slice('--backend='.length);
  const { tf, version } = await loadTf(backend);
  let result;
  if (argv.includes('--matmul')) {
    result = { ...(await matmulGflops(tf)), tf: version };
  } else {
    const { w, mode, warmup, steps } = common.parseArgs(argv);
    const { finalLoss, seconds } = await run(tf, w, mode, warmup, steps);
    const impl = backend === 'tensorflow' ? 'tfjs-node' : `tfjs-${backend}`;
    result = {
      impl,
      backend: version,
      workload: w.name,
      mode,
      steps,
      seconds,
      stepsPerSec: steps / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      finalLoss,
    };
  }
  stdout(JSON.stringify(result) + '\n');
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e?.stack ? e.stack : e);
  process.exit(1);
});
