// Long-running-process growth (issue #12 item 8): the per-model cost and RSS of a sweep of
// (build a small MLP, compile with Adam, fit one epoch, dispose); the cost of creating a Variable
// after N others; and an eager GradientTape loop whose batch size changes every step.
// Usage: node --expose-gc dist/bench/sweep.js [--models=100] [--variables=800] [--tape-steps=200] [--json]
import * as tf from '../lib';
import { runtime } from '../lib/runtime';

const { Sequential, Input, layers, optimizers } = tf.keras;

function option(name: string, fallback: number): number {
  const value = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rssMB = () => {
  gc();
  return process.memoryUsage().rss / 2 ** 20;
};

/** 100 × (build, compile, fit one epoch on 2048 samples, dispose): per-model seconds and RSS. */
async function modelSweep(models: number) {
  const samples = 2048;
  const x = tf.random.uniform([samples, 32], { seed: 1 });
  const y = tf.random.uniform([samples], { minval: 0, maxval: 10, dtype: 'int32', seed: 2 });
  const times: number[] = [];
  // CPU time (all threads) as well: on a shared machine it moves less with others' load than wall time.
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < models; ++i) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const model = new Sequential([
      Input([32]),
      new layers.Dense({ units: 64, activation: 'relu' }),
      new layers.Dense({ units: 64, activation: 'relu' }),
      new layers.Dense({ units: 10 }),
    ]);
    model.compile({ optimizer: new optimizers.Adam(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    model.dispose();
    times.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e6);
    rss.push(rssMB());
  }
  const first = median(times.slice(1, 11));
  const last = median(times.slice(-10));
  const cpuFirst = median(cpu.slice(1, 11));
  const cpuLast = median(cpu.slice(-10));
  return {
    models,
    perModelS: times.map((t) => Number(t.toFixed(3))),
    medianModels2to11S: first,
    medianLast10S: last,
    ratio: last / first,
    cpuMedianModels2to11S: cpuFirst,
    cpuMedianLast10S: cpuLast,
    cpuRatio: cpuLast / cpuFirst,
    rssAfterModel1MB: rss[0],
    rssAfterLastMB: rss[rss.length - 1],
    rssGrowthMB: rss[rss.length - 1] - rss[0],
    compactions: runtime.compactionCount,
    graphOps: runtime.graph.numOperations,
  };
}

/** ms to create one Variable after `n` others exist (kept), and after `n` were created and disposed. */
function variableCost(total: number) {
  const probe = (count: number) => {
    const start = performance.now();
    const made = Array.from({ length: count }, () => new tf.Variable(tf.ones([16])));
    return { ms: (performance.now() - start) / count, made };
  };
  const kept: tf.Variable[] = [];
  const live: Record<number, number> = {};
  const disposed: Record<number, number> = {};
  const marks = [0, total / 4, total / 2, total].map(Math.round);
  for (const mark of marks) {
    while (kept.length < mark) kept.push(new tf.Variable(tf.ones([16])));
    const { ms, made } = probe(10);
    live[mark] = ms;
    for (const v of made) v.dispose();
  }
  for (const v of kept) v.dispose();
  let created = 0;
  for (const mark of marks) {
    for (; created < mark; ++created) new tf.Variable(tf.ones([16])).dispose();
    const { ms, made } = probe(10);
    disposed[mark] = ms;
    for (const v of made) v.dispose();
  }
  return { msPerVariableWithNLive: live, msPerVariableAfterNDisposed: disposed };
}

/** An eager tape loop whose batch size changes every step: ms per step, first and last 20. */
function tapeLoop(steps: number) {
  const w = new tf.Variable(tf.random.uniform([32, 10], { minval: -0.1, maxval: 0.1, seed: 3 }));
  const times: number[] = [];
  for (let step = 0; step < steps; ++step) {
    const batch = 8 + ((step * 7) % 97);
    const x = tf.random.uniform([batch, 32], { seed: step });
    const start = performance.now();
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.square(tf.matmul(x, w.value()))));
    const grad = tape.gradient(loss, w) as tf.Tensor;
    w.assignSub(tf.mul(grad, 0.01));
    times.push(performance.now() - start);
  }
  w.dispose();
  return { steps, medianFirst20Ms: median(times.slice(0, 20)), medianLast20Ms: median(times.slice(-20)) };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const sweep = await modelSweep(option('models', 100));
  // --variables=0 or --tape-steps=0 skips that part.
  const variableCount = option('variables', 800);
  const tapeSteps = option('tape-steps', 200);
  const variables = variableCount > 0 ? variableCost(variableCount) : undefined;
  const tape = tapeSteps > 0 ? tapeLoop(tapeSteps) : undefined;
  const result = { sweep, variables, tape };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const s = sweep;
  console.log(`models: ${s.models}; per model ${s.perModelS.join(' ')}`);
  console.log(
    `median models 2-11 ${s.medianModels2to11S.toFixed(3)} s, last 10 ${s.medianLast10S.toFixed(3)} s, ratio ${s.ratio.toFixed(2)}; ` +
      `CPU time ${s.cpuMedianModels2to11S.toFixed(3)} → ${s.cpuMedianLast10S.toFixed(3)} s, ratio ${s.cpuRatio.toFixed(2)}; ` +
      `RSS ${s.rssAfterModel1MB.toFixed(0)} → ${s.rssAfterLastMB.toFixed(0)} MB (+${s.rssGrowthMB.toFixed(1)}); ` +
      `${s.compactions} compactions, graph now ${s.graphOps} ops`,
  );
  const fmt = (r: Record<number, number>) =>
    Object.entries(r)
      .map(([n, ms]) => `${n}: ${ms.toFixed(1)}`)
      .join(', ');
  if (variables) {
    console.log(`Variable creation, ms each after N live: ${fmt(variables.msPerVariableWithNLive)}`);
    console.log(`Variable creation, ms each after N created and disposed: ${fmt(variables.msPerVariableAfterNDisposed)}`);
  }
  if (tape) {
    console.log(
      `eager tape, batch size changing every step: ${tape.steps} steps, median ms first 20 ${tape.medianFirst20Ms.toFixed(1)}, last 20 ${tape.medianLast20Ms.toFixed(1)}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
