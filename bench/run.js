#!/usr/bin/env node
'use strict';
// Side-by-side training benchmark: tf-napi against tfjs-node, tfjs (cpu, wasm) and Python TensorFlow.
// Every (implementation × workload × mode) runs in a fresh process, round-robin, for N rounds; raw results
// go to bench/results/raw.jsonl, the summary to stdout, bench/RESULTS.md and bench/results/chart.svg.
//
//   node bench/run.js [--rounds=N] [--quick] [--all] [--impls=a,b] [--workloads=a,b] [--modes=loop,fit]
//
// --rounds (or BENCH_ROUNDS): rounds, default 3.  --quick: one round of a fifth of the steps (smoke test).
// --all: also run configurations skipped for being too slow.  Peers come from scripts/setup-bench-peers.sh.
// Worker protocol (argv, the one JSON line on stdout): bench/README.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const common = require('./workloads/common.js');

const ROOT = path.join(__dirname, '..');
const PEERS = path.join(__dirname, 'peers');
const RESULTS_DIR = path.join(__dirname, 'results');
const PYTHON = path.join(PEERS, 'python-venv', 'bin', 'python');
const PYTHON_WORKER = path.join(__dirname, 'workloads', 'python_tf.py');
const TFJS_WORKER = path.join(__dirname, 'workloads', 'tfjs.js');
// The tf-napi hook: bench/workloads/tfnapi.ts, compiled by `tsc` to this file, speaking the same protocol.
// Once it exists, run.js measures it twice: as is ('tf-napi') and with --async ('tf-napi-async').
const TFNAPI_WORKER = path.join(ROOT, 'dist', 'bench', 'workloads', 'tfnapi.js');
// fit against the loop paired in one tf-napi process: what the fit targets are checked on.
const PAIRED_WORKER = path.join(ROOT, 'dist', 'bench', 'fit_vs_loop.js');

const IMPLS = {
  'tf-napi': { command: [process.execPath, TFNAPI_WORKER], subject: true },
  'tf-napi-async': { command: [process.execPath, TFNAPI_WORKER, '--async'], subject: true },
  'python-tf': { command: [PYTHON, PYTHON_WORKER] },
  'tfjs-node': { command: [process.execPath, TFJS_WORKER, '--backend=tensorflow'] },
  'tfjs-wasm': { command: [process.execPath, TFJS_WORKER, '--backend=wasm'] },
  'tfjs-cpu': { command: [process.execPath, TFJS_WORKER, '--backend=cpu'] },
};
const PEER_NAMES = Object.keys(IMPLS).filter((name) => !IMPLS[name].subject);
const MODES = ['loop', 'fit'];

// [warm-up, measured] steps per run, for about 1-2 s of measurement each on the 2-core reference machine
// (mlp_cosine and mlp_assign use mlp's); fit rounds counts above one epoch (60) up to whole epochs.
const STEPS = {
  'tf-napi': { tiny: [100, 1000], mlp: [30, 300], cnn: [10, 60] },
  'python-tf': { tiny: [100, 1000], mlp: [30, 300], cnn: [10, 60] },
  'tfjs-node': { tiny: [50, 300], mlp: [10, 60], cnn: [3, 20] },
  'tfjs-wasm': { tiny: [50, 300], mlp: [2, 10], cnn: [1, 3] },
  'tfjs-cpu': { tiny: [50, 300], mlp: [1, 3], cnn: [1, 1] },
};
STEPS['tf-napi-async'] = STEPS['tf-napi'];
const TOO_SLOW = {
  'tfjs-cpu/cnn': 'pure-JS conv2d gradients take ~40 s per step here (--all runs it)',
};
const RUN_TIMEOUT_S = 600;

// The project's targets for tf-napi: [workload, mode, against, mode against, at least ×] (issue 16).
const FIT_WITHIN = 0.05;
const TARGETS = [
  ['tiny', 'loop', 'python-tf', 'loop', 5],
  ['tiny', 'loop', 'tfjs-node', 'loop', 20],
  ['mlp', 'loop', 'python-tf', 'loop', 1.6],
  ['mlp', 'loop', 'tfjs-node', 'loop', 4],
  ['cnn', 'loop', 'python-tf', 'loop', 1.0],
  ...Object.keys(common.spec.workloads).map((w) => [w, 'fit', 'self', 'loop', 1 - FIT_WITHIN]),
];

function parseOptions(argv) {
  const flag = (name) => {
    const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
    return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
  };
  const list = (name, all) => (flag(name) ? String(flag(name)).split(',') : all);
  const quick = Boolean(flag('quick'));
  const rounds = Number(flag('rounds') || process.env.BENCH_ROUNDS || (quick ? 1 : 3));
  if (!(rounds >= 1)) throw new Error('--rounds must be at least 1');
  const opts = {
    quick,
    rounds,
    all: Boolean(flag('all')),
    impls: list('impls', Object.keys(IMPLS)),
    workloads: list('workloads', Object.keys(common.spec.workloads)),
    modes: list('modes', MODES),
  };
  for (const i of opts.impls) if (!IMPLS[i]) throw new Error(`unknown impl '${i}'`);
  for (const m of opts.modes) if (!MODES.includes(m)) throw new Error(`unknown mode '${m}'`);
  opts.workloads.forEach(common.workload);
  return opts;
}

/** Which implementations can run: tf-napi if its worker is built, peers as setup-bench-peers.sh recorded. */
function availability() {
  const statusFile = path.join(PEERS, 'status.json');
  const status = fs.existsSync(statusFile) ? JSON.parse(fs.readFileSync(statusFile, 'utf8')).impls : {};
  const out = {};
  for (const name of Object.keys(IMPLS)) {
    if (IMPLS[name].subject) {
      out[name] = fs.existsSync(TFNAPI_WORKER)
        ? { ok: true, version: `tf-napi ${require(path.join(ROOT, 'package.json')).version}` }
        : { ok: false, reason: `${path.relative(ROOT, TFNAPI_WORKER)} not built (bench/workloads/tfnapi.ts, then tsc)` };
    } else {
      out[name] = status[name] || { ok: false, reason: 'not set up: run scripts/setup-bench-peers.sh' };
    }
  }
  return out;
}

/** Runs one command; returns its one JSON stdout line or { error }. */
function runJson(command, args) {
  const [exe, ...pre] = command;
  const res = spawnSync(exe, [...pre, ...args], {
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_S * 1000,
    maxBuffer: 64 << 20,
    env: { TF_CPP_MIN_LOG_LEVEL: '2', ...process.env },
  });
  const lines = (res.stdout || '').trim().split('\n').filter(Boolean);
  if (res.status === 0 && lines.length === 1) {
    try {
      return JSON.parse(lines[0]);
    } catch {
      /* reported below */
    }
  }
  const why = res.error ? res.error.message : res.signal ? `killed by ${res.signal}` : `exit ${res.status}`;
  const stderr =
    (res.stderr || '')
      .trim()
      .split('\n')
      .filter((l) => /error|exception/i.test(l))
      .slice(-1)[0] ||
    (res.stderr || '').trim().split('\n').slice(-1)[0] ||
    '';
  return { error: `${why}${lines.length > 1 ? `, ${lines.length} stdout lines` : ''}: ${stderr.trim().slice(0, 300)}` };
}

/** Python's data and weights must hash like common.js's (tfjs and tf-napi use common.js itself). */
function checkData(avail) {
  const js = Object.fromEntries(Object.keys(common.spec.workloads).map((w) => [w, common.checksum(common.workload(w))]));
  if (!avail['python-tf'].ok) return { ok: true, text: 'python-tf not available: only the JavaScript data was generated' };
  const py = runJson([PYTHON, PYTHON_WORKER], ['--checksum']);
  const bad = Object.keys(js).filter((w) => py[w] !== js[w]);
  return bad.length
    ? { ok: false, text: `python-tf data differs from common.js for ${bad.join(', ')}: ${JSON.stringify(py)}` }
    : {
        ok: true,
        text: `identical in Python and JavaScript (sha256 of data + initial weights: ${Object.entries(js)
          .map(([w, h]) => `${w} ${h}`)
          .join(', ')})`,
      };
}

/** TF's float32 matmul throughput (2048², best of 5 timings), from the Python venv, else tfjs-node's TF. */
function matmul(avail) {
  if (avail['python-tf'].ok) return { by: 'python-tf', ...runJson([PYTHON, PYTHON_WORKER], ['--matmul']) };
  if (avail['tfjs-node'].ok) return { by: 'tfjs-node', ...runJson(IMPLS['tfjs-node'].command, ['--matmul']) };
  return { error: 'neither python-tf nor tfjs-node is available' };
}

function machine(avail, mm, load) {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0].model;
  const py = avail['python-tf'].ok ? spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'n/a';
  return [
    ['CPU', `${cpu}, ${os.cpus().length} cores`],
    ['Memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    [
      'Load average (1 min) at start, end',
      `${load.start.toFixed(2)}, ${load.end.toFixed(2)}${load.start > 0.5 || load.end > 0.5 ? ' (busy machine: noisy numbers)' : ''}`,
    ],
    ['OS', `${os.type()} ${os.release()} ${os.arch()}`],
    ['Node.js', process.version],
    ['Python', py],
    [
      'TF matmul (float32, 2048², all cores; best of before and after)',
      mm.error ? `not measured: ${mm.error}` : `${mm.gflops.toFixed(1)} GFLOP/s (via ${mm.by}, ${mm.tf})`,
    ],
    ...Object.entries(avail).map(([name, s]) => [name, s.ok ? s.version : `missing: ${s.reason}`]),
  ];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
const baseName = (w) => common.spec.workloads[w].like || w;

/** The configurations, interleaved by implementation (workload, then mode, then impl). */
function plan(opts, avail) {
  const configs = [];
  const skipped = [];
  for (const workload of opts.workloads) {
    for (const mode of opts.modes) {
      for (const impl of opts.impls.filter((i) => avail[i].ok)) {
        const slow = TOO_SLOW[`${impl}/${baseName(workload)}`];
        if (slow && !opts.all) {
          skipped.push({ impl, workload, mode, reason: slow });
          continue;
        }
        let [warmup, steps] = STEPS[impl][baseName(workload)];
        if (opts.quick) [warmup, steps] = [Math.max(1, Math.round(warmup / 5)), Math.max(1, Math.round(steps / 5))];
        // The counts as the worker will run them (fit rounds up to whole epochs).
        ({ warmup, steps } = common.parseArgs([workload, mode, String(warmup), String(steps)]));
        configs.push({ impl, workload, mode, warmup, steps });
      }
    }
  }
  return { configs, skipped };
}

function measure(configs, opts, runId) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const raw = path.join(RESULTS_DIR, 'raw.jsonl');
  const results = [];
  const failures = [];
  for (let round = 1; round <= opts.rounds; ++round) {
    // Rotate the order each round, so that no configuration always follows the same one.
    const order = configs.map((_, i) => configs[(i + round - 1) % configs.length]);
    order.forEach((c, i) => {
      const t0 = Date.now();
      const out = runJson(IMPLS[c.impl].command, [c.workload, c.mode, String(c.warmup), String(c.steps)]);
      // wallSeconds: the whole process, start-up included (what a run of the benchmark costs).
      const record = {
        runId,
        round,
        quick: opts.quick,
        ...c,
        ...out,
        impl: c.impl,
        implReported: out.impl,
        wallSeconds: (Date.now() - t0) / 1000,
      };
      fs.appendFileSync(raw, JSON.stringify(record) + '\n');
      const tag = `[round ${round}/${opts.rounds} ${String(i + 1).padStart(2)}/${order.length}] ${c.impl} ${c.workload} ${c.mode}`;
      if (out.error || !(out.stepsPerSec > 0)) {
        // Failed runs are retried in later rounds: a failure can be passing (a rebuild under way, say).
        failures.push({ ...c, round, error: out.error || 'no stepsPerSec' });
        process.stderr.write(`${tag}: FAILED ${failures[failures.length - 1].error}\n`);
      } else {
        results.push(record);
        process.stderr.write(`${tag}: ${fmt(out.stepsPerSec)} steps/s, loss ${Number(out.finalLoss).toPrecision(3)}\n`);
      }
    });
  }
  return { results, failures };
}

/** Per workload/mode/impl: rounds' steps/s and the rest; ratios are per round, then the median. */
function summarise(results, mm) {
  const groups = new Map();
  for (const r of results) {
    const key = `${r.workload}/${r.mode}`;
    if (!groups.has(key)) groups.set(key, new Map());
    const byImpl = groups.get(key);
    if (!byImpl.has(r.impl)) byImpl.set(r.impl, []);
    byImpl.get(r.impl).push(r);
  }
  const rows = [];
  for (const [key, byImpl] of groups) {
    const [workload, mode] = key.split('/');
    const flops = common.stepFlops(common.workload(workload));
    for (const [impl, runs] of byImpl) {
      const sps = runs.map((r) => r.stepsPerSec);
      const ratios = {};
      for (const peer of PEER_NAMES.filter((p) => p !== impl)) {
        const each = perRound(results, { impl, workload, mode }, { impl: peer, workload, mode });
        if (each.length) ratios[peer] = median(each);
      }
      const m = median(sps);
      rows.push({
        workload,
        mode,
        impl,
        runs,
        median: m,
        min: Math.min(...sps),
        max: Math.max(...sps),
        rss: median(runs.map((r) => r.peakRssMb)),
        loss: median(runs.map((r) => r.finalLoss)),
        trainedSteps: runs[0].warmup + runs[0].steps,
        ofMatmul: mm.gflops ? (m * flops) / (mm.gflops * 1e9) : null,
        ratios,
      });
    }
  }
  return rows;
}

/** a's steps/s over b's, for each round that measured both. */
function perRound(results, a, b) {
  const out = [];
  for (const r of results.filter((x) => x.impl === a.impl && x.workload === a.workload && x.mode === a.mode)) {
    const p = results.find((x) => x.impl === b.impl && x.workload === b.workload && x.mode === b.mode && x.round === r.round);
    if (p) out.push(r.stepsPerSec / p.stepsPerSec);
  }
  return out;
}

/**
 * fit against the loop, alternating in one process (fit_vs_loop.ts): separate processes on a shared
 * machine scatter by more than the 5% the fit targets check, a paired run much less.
 */
function measurePaired(opts, avail) {
  if (!avail['tf-napi'].ok || !opts.modes.includes('fit') || !opts.modes.includes('loop')) return [];
  process.stderr.write(`fit vs loop, paired: ${opts.workloads.join(', ')}\n`);
  const res = spawnSync(
    process.execPath,
    [PAIRED_WORKER, `--workloads=${opts.workloads.join(',')}`, `--rounds=${opts.quick ? 2 : 8}`, '--json'],
    {
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_S * 1000,
      env: { TF_CPP_MIN_LOG_LEVEL: '2', ...process.env },
    },
  );
  if (res.status !== 0) {
    process.stderr.write(
      `fit vs loop, paired: FAILED ${res.error ? res.error.message : `exit ${res.status}`}: ${(res.stderr || '').trim().split('\n').slice(-1)[0]}\n`,
    );
    return [];
  }
  return res.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function targets(results, avail, paired) {
  const lines = [];
  for (const subject of Object.keys(IMPLS).filter((n) => IMPLS[n].subject)) {
    for (const [workload, mode, against, againstMode, atLeast] of TARGETS) {
      const other = against === 'self' ? subject : against;
      const label =
        against === 'self'
          ? `${workload} fit within ${FIT_WITHIN * 100}% of ${workload} loop`
          : `${workload} ${mode} ≥ ${atLeast}× ${against} ${againstMode}`;
      const pair = against === 'self' && subject === 'tf-napi' ? paired.find((p) => p.workload === workload) : undefined;
      if (pair) {
        lines.push([subject, `${label} (paired)`, `${pair.ratio.toFixed(3)}×`, pair.ratio >= atLeast ? 'held' : 'missed']);
        continue;
      }
      const ratios = perRound(results, { impl: subject, workload, mode }, { impl: other, workload, mode: againstMode });
      const state = !avail[subject].ok || !ratios.length ? 'not measured' : median(ratios) >= atLeast ? 'held' : 'missed';
      lines.push([subject, label, ratios.length ? `${median(ratios).toFixed(3)}×` : '–', state]);
    }
  }
  return lines;
}

const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function report({ opts, avail, mm, load, data, rows, paired, targetLines, skipped, failures, seconds, runId }) {
  const peers = PEER_NAMES.filter((p) => rows.some((r) => r.impl === p));
  const sections = [];
  for (const workload of opts.workloads) {
    for (const mode of opts.modes) {
      const rs = rows.filter((r) => r.workload === workload && r.mode === mode).sort((a, b) => b.median - a.median);
      if (!rs.length) continue;
      const w = common.workload(workload);
      sections.push(
        `### ${workload} · ${mode}\n\n${(common.stepFlops(w) / 1e6).toFixed(1)} MFLOP per step (batch ${w.batch}).\n\n` +
          table(
            [
              'impl',
              'steps/s median',
              'min..max',
              'of matmul bound',
              'peak RSS MB',
              'final loss (after steps)',
              ...peers.map((p) => `× ${p}`),
            ],
            rs.map((r) => [
              r.impl,
              fmt(r.median),
              `${fmt(r.min)}..${fmt(r.max)}`,
              r.ofMatmul === null ? '–' : `${fmt(100 * r.ofMatmul)}%`,
              r.rss.toFixed(0),
              `${Number(r.loss).toPrecision(3)} (${r.trainedSteps})`,
              ...peers.map((p) => (r.ratios[p] === undefined ? '–' : `${r.ratios[p].toFixed(2)}`)),
            ]),
          ),
      );
    }
  }
  const measured = (f) => rows.some((r) => r.impl === f.impl && r.workload === f.workload && r.mode === f.mode);
  const lastFailure = new Map(failures.map((f) => [`${f.impl}/${f.workload}/${f.mode}`, f]));
  const escapeCell = (text) => text.replace(/\|/g, '\\|');
  const notRun = [
    ...skipped.map((s) => [s.impl, s.workload, s.mode, `skipped: ${s.reason}`]),
    ...[...lastFailure.values()].filter((f) => !measured(f)).map((f) => [f.impl, f.workload, f.mode, `failed: ${escapeCell(f.error)}`]),
  ];
  const partly = failures.filter(measured).map((f) => [f.impl, f.workload, f.mode, String(f.round), escapeCell(f.error)]);
  return `# Benchmarks: tf-napi vs tfjs-node, tfjs (cpu, wasm) and Python TensorFlow

${opts.quick ? '> **Quick smoke run** (`--quick`: one round, a fifth of the steps): not for comparison.\n\n' : ''}Generated by \`node bench/run.js${process.argv
    .slice(2)
    .map((a) => ` ${a}`)
    .join(
      '',
    )}\` on ${runId}: ${opts.rounds} round(s), every configuration in a fresh process, round-robin; ${Math.round(seconds)} s in all. Raw results: \`bench/results/raw.jsonl\` (run ${runId}).

![steps per second, log scale](results/chart.svg)

## Machine

${table(['', ''], machine(avail, mm, load))}

## Targets (tf-napi)

Ratios are per round, then the median over rounds. tf-napi's fit targets (paired) are checked on the paired
measurement below; tf-napi-async's compare fit with the awaited loop across separate processes.

${table(['impl', 'target', 'measured', 'state'], targetLines)}

## fit vs loop, paired in one process

\`dist/bench/fit_vs_loop.js\` (\`npm run bench:fit\`): chunks of loop steps and of fit epochs alternate on one model
in one process, ${paired[0]?.rounds ?? 0} rounds; steps/s medians, and fit over loop per round (median, min..max).
Why fit costs more per step on small models: [PROFILE.md](PROFILE.md).

${
  paired.length
    ? table(
        ['workload', 'loop', 'fit', 'fit / loop', 'min..max'],
        paired.map((p) => [p.workload, fmt(p.loop), fmt(p.fit), p.ratio.toFixed(3), `${p.min.toFixed(2)}..${p.max.toFixed(2)}`]),
      )
    : "Not measured (tf-napi's worker is not built, or the run leaves out loop or fit)."
}

## Results

Steps/s: median over rounds (min..max). *Of matmul bound*: the step rate as a fraction of what TF's own matmul
throughput (above) allows for the step's FLOPs (forward + backward ≈ 3 × forward dense/conv FLOPs, \`stepFlops\` in
\`bench/workloads/common.js\`). *× peer*: this row's steps/s over the peer's, per round, then the median.
Peak RSS is the process's, median over rounds. Final loss: loop mode, the last step's; fit mode, the last epoch's mean.

${sections.join('\n\n')}
${notRun.length ? `\n### Not measured\n\n${table(['impl', 'workload', 'mode', 'why'], notRun)}\n` : ''}${partly.length ? `\n### Failed runs of configurations measured in other rounds\n\n${table(['impl', 'workload', 'mode', 'round', 'error'], partly)}\n` : ''}
## What is measured

- Data: ${data.text}. Synthetic float32 from mulberry32 (\`common.js\`, mirrored in \`python_tf.py\`): 60 batches made once; step *i* uses batch *i* mod 60. Glorot-uniform kernels from the same PRNG, zero biases. Adam (lr 1e-3, β 0.9/0.999, ε 1e-7).
- Workloads (\`bench/workloads/spec.json\`): \`mlp\` 784-256-256-10 ReLU, softmax cross-entropy, batch 128; \`tiny\` 32-32-1 ReLU, MSE, batch 32; \`cnn\` Conv 32 3×3 - MaxPool 2 - Conv 64 3×3 - MaxPool 2 - Dense 10 on 28×28×1, batch 64; \`mlp_cosine\` the MLP under CosineDecay (1000 steps); \`mlp_assign\` the MLP with the learning rate assigned before every step.
- \`loop\`: Python, a \`@tf.function\` step (GradientTape + apply_gradients) called once per step; tfjs, \`optimizer.minimize\`. \`fit\`: Keras \`model.fit\` / tfjs \`model.fit\` over the same batches (more than 60 steps: whole epochs). tfjs has no schedules or learning-rate variables: for \`mlp_cosine\` and \`mlp_assign\` it sets \`optimizer.learningRate\` before every step (in fit, from \`onBatchBegin\`), as Keras's \`mlp_assign\` fit does from \`on_train_batch_begin\`.
- Each run warms up first (tracing, kernel caches), then times the measured steps up to reading the final loss.

## GPU

Not run: these machines have no GPU (tensorflow-cpu 2.21, CPU-only tfjs-node).
`;
}

/** Horizontal bars of median steps/s on a log scale, one group per workload · mode. */
function chart(rows, opts) {
  const impls = Object.keys(IMPLS).filter((i) => rows.some((r) => r.impl === i));
  const colors = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];
  const color = (impl) => colors[Object.keys(IMPLS).indexOf(impl) % colors.length];
  const groups = [];
  for (const w of opts.workloads)
    for (const m of opts.modes) {
      const rs = impls.map((i) => rows.find((r) => r.workload === w && r.mode === m && r.impl === i)).filter(Boolean);
      if (rs.length) groups.push({ label: `${w} · ${m}`, rs });
    }
  const values = rows.map((r) => r.median);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const [left, width, bar, gap, top] = [110, 560, 13, 12, 40];
  const x = (v) => left + (width * Math.log10(v / lo)) / Math.log10(hi / lo);
  const height = top + groups.reduce((h, g) => h + g.rs.length * bar + gap, 0) + 30;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 70}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="16" font-size="13" font-weight="bold">Training steps per second (median, log scale)${opts.quick ? ' — quick smoke run' : ''}</text>`,
  ];
  impls.forEach((impl, i) =>
    out.push(
      `<rect x="${left + i * 100}" y="24" width="10" height="10" fill="${color(impl)}"/><text x="${left + i * 100 + 14}" y="33">${esc(impl)}</text>`,
    ),
  );
  for (let v = lo; v <= hi; v *= 10) {
    out.push(
      `<line x1="${x(v)}" y1="${top}" x2="${x(v)}" y2="${height - 25}" stroke="#ddd"/>`,
      `<text x="${x(v)}" y="${height - 12}" text-anchor="middle" fill="#555">${v >= 1 ? v : v.toPrecision(1)}</text>`,
    );
  }
  let y = top + gap / 2;
  for (const g of groups) {
    out.push(`<text x="${left - 6}" y="${y + (g.rs.length * bar) / 2 + 4}" text-anchor="end">${esc(g.label)}</text>`);
    for (const r of g.rs) {
      out.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, x(r.median) - left)}" height="${bar - 2}" fill="${color(r.impl)}"><title>${esc(r.impl)}: ${fmt(r.median)} steps/s</title></rect>`,
        `<text x="${x(r.median) + 3}" y="${y + bar - 4}" font-size="9" fill="#333">${fmt(r.median)}</text>`,
      );
      y += bar;
    }
    y += gap;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function main() {
  const started = Date.now();
  const load = { start: os.loadavg()[0] };
  if (load.start > 0.5) process.stderr.write(`warning: load average ${load.start.toFixed(2)}: other work will make the numbers noisy\n`);
  const opts = parseOptions(process.argv.slice(2));
  const runId = new Date().toISOString();
  const avail = availability();
  for (const [name, s] of Object.entries(avail)) if (!s.ok) process.stderr.write(`${name}: not measured (${s.reason})\n`);
  const { configs, skipped } = plan(opts, avail);
  if (!configs.length) throw new Error("nothing to run: set up the peers (scripts/setup-bench-peers.sh) or build tf-napi's worker");
  const data = checkData(avail);
  if (!data.ok) throw new Error(data.text);
  process.stderr.write(`data: ${data.text}\n`);
  const before = matmul(avail);
  const { results, failures } = measure(configs, opts, runId);
  // Measured before and after the runs, keeping the better: a busy moment only lowers it.
  const after = matmul(avail);
  const mm = (after.gflops || 0) > (before.gflops || 0) ? after : before;
  process.stderr.write(`matmul: ${mm.error || `${mm.gflops.toFixed(1)} GFLOP/s`}\n`);
  load.end = os.loadavg()[0];
  const paired = measurePaired(opts, avail);
  const rows = summarise(results, mm);
  const md = report({
    opts,
    avail,
    mm,
    load,
    data,
    rows,
    paired,
    targetLines: targets(results, avail, paired),
    skipped,
    failures,
    seconds: (Date.now() - started) / 1000,
    runId,
  });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), md);
  if (rows.length) fs.writeFileSync(path.join(RESULTS_DIR, 'chart.svg'), chart(rows, opts));
  process.stdout.write(md);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
}
