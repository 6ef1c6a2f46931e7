// The all-reduce cost per training step on a local cluster: for the MNIST MLP and the demo's CNN,
// with 2 and 3 workers, the median time of one session run that all-reduces the model's gradient
// bytes (packed into one CollectiveReduceV2), minus the same run without the collective.
// `npm run bench:allreduce` (the parent launches the clusters; each worker measures).

import * as tf from '../lib';
import { launch } from '../lib/distribute/launcher';

const ITERATIONS = 60;

function model(kind: string): tf.keras.Sequential {
  const L = tf.keras.layers;
  const layers =
    kind === 'cnn'
      ? [
          new L.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
          new L.MaxPooling2D({ poolSize: 2 }),
          new L.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
          new L.MaxPooling2D({ poolSize: 2 }),
          new L.Flatten(),
          new L.Dense({ units: 128, activation: 'relu' }),
          new L.Dense({ units: 10, activation: 'softmax' }),
        ]
      : [new L.Flatten(), new L.Dense({ units: 128, activation: 'relu' }), new L.Dense({ units: 10, activation: 'softmax' })];
  return new tf.keras.Sequential([tf.keras.Input({ shape: [28, 28, 1] }), ...layers]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function worker(kind: string): void {
  const strategy = new tf.distribute.MultiWorkerMirroredStrategy();
  const variables = strategy.scope(() => model(kind)).trainableVariables;
  const bytes = variables.reduce((n, v) => n + 4 * v.shape.reduce((a, b) => a * b, 1), 0);
  const reduce = tf.function(() =>
    tf.concat(
      strategy.allReduceValues(variables.map((v) => v.value())).map((t) => tf.reshape(t, [-1])),
      0,
    ),
  );
  const local = tf.function(() =>
    tf.concat(
      variables.map((v) => tf.reshape(v.value(), [-1])),
      0,
    ),
  );
  const timings: Record<'reduce' | 'local', number[]> = { reduce: [], local: [] };
  for (let i = 0; i < ITERATIONS + 5; i++) {
    for (const [name, fn] of [
      ['reduce', reduce],
      ['local', local],
    ] as const) {
      const start = process.hrtime.bigint();
      fn().dispose();
      if (i >= 5) timings[name].push(Number(process.hrtime.bigint() - start) / 1e3);
    }
  }
  const reduceUs = median(timings.reduce);
  const localUs = median(timings.local);
  console.log(JSON.stringify({ kind, workers: strategy.numReplicasInSync, bytes, reduceUs, localUs, allReduceUs: reduceUs - localUs }));
}

async function main(): Promise<void> {
  if (process.env.TF_CONFIG) return worker(process.argv[2] ?? 'mlp');
  console.log('| model | gradient bytes | workers | step run with all-reduce (µs) | same run without (µs) | all-reduce (µs) | µs per MB |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const kind of ['mlp', 'cnn']) {
    for (const workers of [2, 3]) {
      const run = await launch({ workers, script: __filename, args: [kind], env: { TF_CPP_MIN_LOG_LEVEL: '3' }, onLine: () => {} });
      if (run.code !== 0) throw new Error(`${kind} with ${workers} workers failed`);
      const r = JSON.parse(run.stdout[0].find((l) => l.startsWith('{')) as string);
      const perMB = r.allReduceUs / (r.bytes / 1e6);
      console.log(
        `| ${kind} | ${r.bytes} | ${workers} | ${r.reduceUs.toFixed(0)} | ${r.localUs.toFixed(0)} | ${r.allReduceUs.toFixed(0)} | ${perMB.toFixed(0)} |`,
      );
    }
  }
}

void main().then(() => process.exit(0));
