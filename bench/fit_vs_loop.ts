// fit against the hand-written loop, paired in one process: chunks of loop steps and of fit epochs
// alternate on the same model and data, so both see the same machine state and the per-round ratio
// cancels most of a shared machine's noise (bench/run.js measures each in its own process).
// Usage: node dist/bench/fit_vs_loop.js [--workloads=tiny,mlp,cnn] [--rounds=8] [--threads=N] [--json]
//   --compare-fused: instead, Adam on tf-napi's fused op against TF's per-variable kernels, loop and
//   fit each, four trainers on four copies of the model, chunks alternating in the same way.
import * as tf from '../lib';
import { common, makeTrainers, type Workload } from './workloads/tfnapi_model';

/** Epochs of the 60 batches per chunk: about a tenth of a second or more per chunk here. */
const EPOCHS_PER_CHUNK: Record<string, number> = { tiny: 20, mlp: 2, cnn: 1, mlp_cosine: 2, mlp_assign: 2 };

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Paired {
  workload: string;
  rounds: number;
  loop: number;
  fit: number;
  /** fit over loop per round: median, min, max. */
  ratio: number;
  min: number;
  max: number;
}

async function measure(name: string, rounds: number): Promise<Paired> {
  const w = common.parseArgs([name, 'loop', '0', '60']).w as Workload;
  const { loop, fit } = makeTrainers(w);
  const steps = (EPOCHS_PER_CHUNK[name] ?? 1) * common.spec.batches;
  const rate = async (train: (count: number) => Promise<number>) => {
    const start = performance.now();
    await train(steps);
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
  return {
    workload: name,
    rounds,
    loop: median(loopRates),
    fit: median(fitRates),
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
}

interface FusedPaired {
  workload: string;
  rounds: number;
  /** steps/s medians: TF's per-variable kernels (unfused) and the fused op. */
  loopUnfused: number;
  loopFused: number;
  fitUnfused: number;
  fitFused: number;
  /** fused over unfused per round (median, min, max), loop and fit. */
  loopSpeedup: [number, number, number];
  fitSpeedup: [number, number, number];
}

async function measureFused(name: string, rounds: number): Promise<FusedPaired> {
  const w = common.parseArgs([name, 'loop', '0', '60']).w as Workload;
  // TF_NAPI_FUSED_ADAM is read when the Adam of each model is made.
  const trainers = (fused: '0' | '1') => {
    process.env.TF_NAPI_FUSED_ADAM = fused;
    try {
      return makeTrainers(w);
    } finally {
      delete process.env.TF_NAPI_FUSED_ADAM;
    }
  };
  const unfused = trainers('0');
  const fused = trainers('1');
  const steps = (EPOCHS_PER_CHUNK[name] ?? 1) * common.spec.batches;
  const rate = async (train: (count: number) => Promise<number>) => {
    const start = performance.now();
    await train(steps);
    return steps / ((performance.now() - start) / 1000);
  };
  const runs = [unfused.loop, fused.loop, unfused.fit, fused.fit];
  for (const run of runs) await rate(run);
  const rates: number[][] = [[], [], [], []];
  for (let r = 0; r < rounds; ++r) for (let i = 0; i < runs.length; ++i) rates[i].push(await rate(runs[i]));
  const speedup = (a: number[], b: number[]): [number, number, number] => {
    const ratios = b.map((x, i) => x / a[i]);
    return [median(ratios), Math.min(...ratios), Math.max(...ratios)];
  };
  return {
    workload: name,
    rounds,
    loopUnfused: median(rates[0]),
    loopFused: median(rates[1]),
    fitUnfused: median(rates[2]),
    fitFused: median(rates[3]),
    loopSpeedup: speedup(rates[0], rates[1]),
    fitSpeedup: speedup(rates[2], rates[3]),
  };
}

async function compareFused(workloads: string[], rounds: number, threads: string | undefined): Promise<void> {
  const results: FusedPaired[] = [];
  for (const name of workloads) results.push(await measureFused(name, rounds));
  if (process.argv.includes('--json')) {
    for (const r of results) console.log(JSON.stringify(r));
    return;
  }
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const range = ([m, lo, hi]: [number, number, number]) => `${m.toFixed(2)}× (${lo.toFixed(2)}..${hi.toFixed(2)})`;
  console.log(
    `Adam: tf-napi's fused op vs TF's per-variable kernels, paired in one process, ${rounds} rounds` +
      `${threads === undefined ? '' : `, ${threads} TF thread(s) per pool`} (steps/s medians; speedup: median (min..max) of rounds)\n`,
  );
  console.log('| workload | loop, per-variable | loop, fused | loop speedup | fit, per-variable | fit, fused | fit speedup |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.workload} | ${fmt(r.loopUnfused)} | ${fmt(r.loopFused)} | ${range(r.loopSpeedup)} | ${fmt(r.fitUnfused)} | ${fmt(r.fitFused)} | ${range(r.fitSpeedup)} |`,
    );
  }
}

async function main(): Promise<void> {
  const threads = option('threads');
  if (threads !== undefined) {
    tf.config.threading.setIntraOpParallelismThreads(Number(threads));
    tf.config.threading.setInterOpParallelismThreads(Number(threads));
  }
  const workloads = (option('workloads') ?? 'tiny,mlp,cnn').split(',');
  const rounds = Number(option('rounds') ?? 8);
  if (process.argv.includes('--compare-fused')) return compareFused(workloads, rounds, threads);
  const results: Paired[] = [];
  for (const name of workloads) results.push(await measure(name, rounds));
  if (process.argv.includes('--json')) {
    for (const r of results) console.log(JSON.stringify(r));
    return;
  }
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(
    `fit vs loop, paired in one process, ${rounds} rounds${threads === undefined ? '' : `, ${threads} TF thread(s) per pool`} (steps/s medians; target: fit ≥ 0.95 × loop)\n`,
  );
  console.log('| workload | loop | fit | fit / loop (median of rounds) | min..max | target |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.workload} | ${fmt(r.loop)} | ${fmt(r.fit)} | ${r.ratio.toFixed(3)} | ${r.min.toFixed(2)}..${r.max.toFixed(2)} | ${r.ratio >= 0.95 ? 'held' : 'missed'} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
