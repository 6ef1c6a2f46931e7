// fit against the hand-written loop, paired in one process: chunks of loop steps and of fit epochs
// alternate on the same model and data, so both see the same machine state and the per-round ratio
// cancels most of a shared machine's noise (bench/run.js measures each in its own process).
// Usage: node dist/bench/fit_vs_loop.js [--workloads=tiny,mlp,cnn] [--rounds=8] [--threads=N]
import * as tf from '../lib';
import { batchTensors, build, common, makeTrainStep, type Workload } from './workloads/tfnapi_model';

/** Epochs of the 60 batches per chunk: about a tenth of a second or more per chunk here. */
const EPOCHS_PER_CHUNK: Record<string, number> = { tiny: 20, mlp: 2, cnn: 1 };

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(name: string, rounds: number): Promise<string> {
  const w = common.parseArgs([name, 'loop', '0', '60']).w as Workload;
  const { model, optimizer, loss } = build(w);
  const step = makeTrainStep(model, optimizer, loss);
  const { xs, ys } = batchTensors(w);
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const rows = batches * w.batch;
  model.compile({ optimizer, loss });
  const epochs = EPOCHS_PER_CHUNK[name] ?? 1;
  const steps = epochs * batches;
  const loop = async () => {
    let last: tf.Tensor | undefined;
    for (let i = 0; i < steps; ++i) {
      last?.dispose();
      last = step(xs[i % batches], ys[i % batches]);
    }
    (last as tf.Tensor).dataSync();
  };
  const fit = async () => {
    await model.fit({ data: x.subarray(0, rows * features), shape: [rows, ...w.input] }, { data: y.subarray(0, rows * outputs), shape: [rows, outputs] }, {
      batchSize: w.batch,
      epochs,
      shuffle: false,
      verbose: 0,
    });
  };
  const rate = async (body: () => Promise<void>) => {
    const start = performance.now();
    await body();
    return steps / ((performance.now() - start) / 1000);
  };
  await rate(loop);
  await rate(fit);
  const loopRates: number[] = [];
  const fitRates: number[] = [];
  for (let r = 0; r < rounds; ++r) {
    loopRates.push(await rate(loop));
    fitRates.push(await rate(fit));
  }
  const ratios = fitRates.map((f, i) => f / loopRates[i]);
  const held = median(ratios) >= 0.9 ? 'held' : 'missed';
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return `| ${name} | ${fmt(median(loopRates))} | ${fmt(median(fitRates))} | ${median(ratios).toFixed(3)} | ${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)} | ${held} |`;
}

async function main(): Promise<void> {
  const threads = option('threads');
  if (threads !== undefined) {
    tf.config.threading.setIntraOpParallelismThreads(Number(threads));
    tf.config.threading.setInterOpParallelismThreads(Number(threads));
  }
  const workloads = (option('workloads') ?? 'tiny,mlp,cnn').split(',');
  const rounds = Number(option('rounds') ?? 8);
  const rows: string[] = [];
  for (const name of workloads) rows.push(await measure(name, rounds));
  console.log(`fit vs loop, paired in one process, ${rounds} rounds${threads === undefined ? '' : `, ${threads} TF thread(s) per pool`} (steps/s medians; target: fit ≥ 0.9 × loop)\n`);
  console.log('| workload | loop | fit | fit / loop (median of rounds) | min..max | target |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
