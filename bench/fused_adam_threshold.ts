// Where splitting TfNapiFusedApplyAdam's CPU pass across TF's intra-op threads starts to pay: one
// Adam step on one float32 variable of n elements, as a tf.function, with the pass on one thread
// (TF_NAPI_FUSED_ADAM_PARALLEL_MIN huge), always split (0), and TF's own ResourceApplyAdam,
// chunks alternating in one process. Prints µs per step (medians of rounds).
// Usage: node dist/bench/fused_adam_threshold.js [--sizes=4096,65536,...] [--rounds=7] [--json]
import * as tf from '../lib';
import { opLibraryStatus } from '../lib/op_library';

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

type Mode = 'serial' | 'split' | 'tf';

function makeStep(n: number, mode: Mode): () => void {
  const w = new tf.Variable(
    tf.tensor(
      Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
      [n],
      'float32',
    ),
  );
  const g = tf.tensor(
    Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 1e-3),
    [n],
    'float32',
  );
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: 1e-3, fused: mode !== 'tf' });
  const step = tf.function(() => {
    optimizer.applyGradients([[g, w]]);
    return null;
  });
  // The kernel reads the threshold when it is made, at the function's first run.
  process.env.TF_NAPI_FUSED_ADAM_PARALLEL_MIN = mode === 'split' ? '0' : '1000000000000';
  step();
  delete process.env.TF_NAPI_FUSED_ADAM_PARALLEL_MIN;
  return () => void step();
}

function main(): void {
  if (!opLibraryStatus().loaded) throw new Error(`no op library: ${opLibraryStatus().reason}`);
  const sizes = (option('sizes') ?? '1024,4096,16384,32768,65536,131072,262144,524288,1048576,4194304').split(',').map(Number);
  const rounds = Number(option('rounds') ?? 7);
  const modes: Mode[] = ['serial', 'split', 'tf'];
  const rows: Record<string, number | string>[] = [];
  for (const n of sizes) {
    const steps = Object.fromEntries(modes.map((m) => [m, makeStep(n, m)])) as Record<Mode, () => void>;
    // About 20 ms of work per chunk.
    const per = Math.max(5, Math.min(2000, Math.round(2e7 / (n * 4 + 40_000))));
    const times: Record<Mode, number[]> = { serial: [], split: [], tf: [] };
    for (let r = 0; r <= rounds; ++r) {
      for (const m of modes) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < per; ++i) steps[m]();
        const us = Number(process.hrtime.bigint() - start) / 1000 / per;
        if (r > 0) times[m].push(us); // round 0 warms up
      }
    }
    const row = { n, serial: median(times.serial), split: median(times.split), tf: median(times.tf) };
    // Per-round ratios pair the two passes in time, which a shared machine's load moves together.
    const ratios = times.split.map((t, i) => t / times.serial[i]);
    rows.push({ ...row, 'split/serial': median(ratios), 'best split/serial': Math.min(...ratios) });
  }
  if (process.argv.includes('--json')) {
    for (const r of rows) console.log(JSON.stringify(r));
    return;
  }
  console.log(`One Adam step on one float32 variable, µs per step (whole tf.function call), medians of ${rounds} rounds\n`);
  console.log(
    '| elements | fused, one thread | fused, split over the intra-op pool | TF ResourceApplyAdam | split / one thread (median, best round) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const f = (v: number | string) => (typeof v === 'number' ? v.toFixed(1) : v);
    console.log(
      `| ${r.n} | ${f(r.serial)} | ${f(r.split)} | ${f(r.tf)} | ${(r['split/serial'] as number).toFixed(2)}, ${(r['best split/serial'] as number).toFixed(2)} |`,
    );
  }
}

main();
