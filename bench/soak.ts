// Soak: trains the MNIST-size MLP (784-256-256-10, batch 128, synthetic data) with Adam and a
// CosineDecay schedule for many steps, reading optimizer.learningRate every step, and watches RSS
// and the addon's live tensor/handle counts. Fails (exit 1) when RSS grows more than 2% after
// warm-up, or when native tensors outlive the run beyond the ones the program holds on purpose.
//
//   npm run soak                          # 100000 steps
//   npm run soak -- --steps 20000         # fewer steps
//   npm run soak -- --seconds 300         # a time budget (whichever of the two ends first)
import * as tf from '../lib';
import { binding } from '../lib/native';

interface Options {
  steps: number;
  seconds: number;
  /** Steps before the RSS baseline is taken (allocator pools, traces, caches fill up). */
  warmup: number;
  sampleEvery: number;
  tolerance: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { steps: 100_000, seconds: Infinity, warmup: 0, sampleEvery: 1000, tolerance: 0.02 };
  const flags: Record<string, keyof Options> = {
    '--steps': 'steps',
    '--seconds': 'seconds',
    '--warmup': 'warmup',
    '--sample-every': 'sampleEvery',
    '--tolerance': 'tolerance',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = flags[argv[i]];
    const value = Number(argv[i + 1]);
    if (key === undefined || !(value > 0))
      throw new RangeError(`soak: bad argument '${argv[i]} ${argv[i + 1]}'; flags: ${Object.keys(flags).join(', ')}`);
    options[key] = value;
  }
  // A tenth of the run, between 500 and 5000 steps, unless given.
  options.warmup ||= Math.min(5000, Math.max(500, Math.floor(options.steps / 10)));
  return options;
}

/** Deterministic pseudo-random floats in [-scale, scale). */
function uniform(count: number, scale: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; ++i) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 * scale - scale;
  }
  return out;
}

function dense(inputs: number, units: number, seed: number): [tf.Variable, tf.Variable] {
  const limit = Math.sqrt(6 / (inputs + units));
  return [
    new tf.Variable(tf.tensor(uniform(inputs * units, limit, seed), [inputs, units], 'float32'), { name: `kernel_${seed}` }),
    new tf.Variable(tf.zeros([units], 'float32'), { name: `bias_${seed}` }),
  ];
}

/** A batch whose label is a fixed function of the input, so the loss falls. */
function batch(seed: number): [tf.Tensor, tf.Tensor] {
  const x = uniform(128 * 784, 1, seed);
  const labels = new Float32Array(128 * 10);
  for (let i = 0; i < 128; ++i) labels[i * 10 + (Math.abs(Math.floor(x[i * 784] * 10)) % 10)] = 1;
  return [tf.tensor(x, [128, 784], 'float32'), tf.tensor(labels, [128, 10], 'float32')];
}

interface Sample {
  step: number;
  seconds: number;
  rssMiB: number;
  heapMiB: number;
  tensors: number;
  handles: number;
  loss: number;
  learningRate: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;

/** Collects garbage (and lets finalizers run) when node runs with --expose-gc. */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!(globalThis as { gc?: unknown }).gc) console.warn('soak: run node with --expose-gc for comparable RSS samples');
  const layers = [dense(784, 256, 1), dense(256, 256, 2), dense(256, 10, 3)];
  const variables = layers.flat();
  const batches = [batch(11), batch(12), batch(13), batch(14)];
  const optimizer = new tf.keras.optimizers.Adam({
    learningRate: new tf.keras.optimizers.schedules.CosineDecay({ initialLearningRate: 1e-3, decaySteps: options.steps, alpha: 0.1 }),
  });
  const trainStep = tf.function(
    (x: tf.Tensor, y: tf.Tensor) => {
      const tape = new tf.GradientTape();
      const loss = tape.record(() => {
        let h = x;
        layers.forEach(([kernel, bias], i) => {
          const z = tf.nn.biasAdd(tf.matmul(h, kernel.value()), bias.value());
          h = i < layers.length - 1 ? tf.nn.relu(z) : z;
        });
        return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y, logits: h }));
      });
      optimizer.applyGradients(tf.zip(tape.gradient(loss, variables), variables));
      return loss;
    },
    { inputSignature: [new tf.TensorSpec([128, 784]), new tf.TensorSpec([128, 10])] },
  );

  // What the program holds on purpose: the data batches and what the traced step keeps (its
  // captured constants), counted after one step.
  trainStep(...batches[0]).dispose();
  await settle();
  const held = { tensors: tf.raw.liveTensorCount(), handles: binding.liveHandleCount() };
  const samples: Sample[] = [];
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const sample = async (step: number, loss: number, learningRate: number) => {
    await settle();
    const memory = process.memoryUsage();
    const s = {
      step,
      seconds: elapsed(),
      rssMiB: mib(memory.rss),
      heapMiB: mib(memory.heapUsed),
      tensors: tf.raw.liveTensorCount(),
      handles: binding.liveHandleCount(),
      loss,
      learningRate,
    };
    samples.push(s);
    console.log(
      `step ${String(step).padStart(7)}  ${s.seconds.toFixed(0).padStart(5)} s  rss ${s.rssMiB.toFixed(1)} MiB  heap ${s.heapMiB.toFixed(1)} MiB  ` +
        `tensors ${s.tensors}  handles ${s.handles}  loss ${loss.toFixed(4)}  lr ${learningRate.toExponential(3)}`,
    );
  };

  let step = 1;
  let baseline: Sample | undefined;
  let loss = NaN;
  let learningRate = NaN;
  while (step < options.steps && elapsed() < options.seconds) {
    learningRate = optimizer.learningRate.numpy();
    const [x, y] = batches[step % batches.length];
    const result = trainStep(x, y);
    ++step;
    if (step % options.sampleEvery === 0 || step === options.warmup) {
      loss = result.numpy() as number;
      result.dispose();
      await sample(step, loss, learningRate);
      if (step === options.warmup) baseline = samples[samples.length - 1];
    } else {
      result.dispose();
    }
  }
  if (samples[samples.length - 1]?.step !== step) await sample(step, loss, learningRate);
  const last = samples[samples.length - 1];
  const failures: string[] = [];
  if (optimizer.iterations.numpy() !== step) failures.push(`optimizer.iterations is ${optimizer.iterations.numpy()} after ${step} steps`);
  if (!Number.isFinite(loss)) failures.push(`the loss is ${loss}`);
  if (baseline === undefined) {
    failures.push(`the run ended at step ${step}, before the end of warm-up (${options.warmup}): no RSS verdict`);
  } else {
    const growth = (last.rssMiB - baseline.rssMiB) / baseline.rssMiB;
    console.log(
      `rss after warm-up ${baseline.rssMiB.toFixed(1)} MiB (step ${baseline.step}), at the end ${last.rssMiB.toFixed(1)} MiB: ${(growth * 100).toFixed(2)}%`,
    );
    if (growth > options.tolerance)
      failures.push(`RSS grew ${(growth * 100).toFixed(2)}% after warm-up (limit ${options.tolerance * 100}%)`);
  }
  if (last.tensors > held.tensors || last.handles > held.handles) {
    failures.push(
      `native objects outlive the steps: ${last.tensors} tensors / ${last.handles} handles, the program holds ${held.tensors} / ${held.handles}`,
    );
  }
  for (const [x, y] of batches) {
    x.dispose();
    y.dispose();
  }
  await settle();
  console.log(
    `soak: ${step} steps in ${elapsed().toFixed(0)} s (${(step / elapsed()).toFixed(1)} steps/s); ` +
      `rss ${samples[0].rssMiB.toFixed(1)} -> ${last.rssMiB.toFixed(1)} MiB; held ${held.tensors} tensors / ${held.handles} handles; ` +
      `after disposing the data: ${tf.raw.liveTensorCount()} tensors / ${binding.liveHandleCount()} handles`,
  );
  for (const failure of failures) console.error(`soak: FAIL: ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
