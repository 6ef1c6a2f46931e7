// The eager rawOps fuzz (test/helpers/eager_fuzz.ts), short: every generated rawOp but a few that
// wait forever by design, called eagerly with seeded random inputs and attrs, in child processes.
// Property: each call works or throws a TypeError, RangeError or tf.errors class; a process dies only
// on an op whose kernel kills Python TF's eager mode too (TF_EAGER_DEATHS, docs/RELIABILITY.md).
// EAGER_FUZZ_SECONDS / EAGER_FUZZ_SEED widen a run; the 5-minute run: node dist/test/helpers/eager_fuzz.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SEED, Death, runEagerFuzz, summarizeDeaths } from './helpers/eager_fuzz';
import { TF_EAGER_DEATH_FRAMES, TF_EAGER_DEATHS } from './helpers/eager_fuzz_known';

const SECONDS = Number(process.env.EAGER_FUZZ_SECONDS ?? 20);
const SEED = Number(process.env.EAGER_FUZZ_SEED ?? DEFAULT_SEED);

test(`eager rawOps fuzz for ${SECONDS} s (seed ${SEED}) in child processes`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const report = await runEagerFuzz({ seed: SEED, seconds: SECONDS });
  console.log(`eager fuzz: ${report.executions} executions, ${report.deaths.length} deaths, outcomes ${JSON.stringify(report.outcomes)}`);
  for (const line of summarizeDeaths(report.deaths)) console.log(`  death: ${line}`);
  assert.ok(report.executions > 100, `only ${report.executions} executions`);
  assert.ok((report.outcomes.ok ?? 0) > 0 && (report.outcomes.InvalidArgumentError ?? 0) > 0, JSON.stringify(report.outcomes));
  const unexpected = Object.keys(report.outcomes).filter((o) => o.startsWith('unexpected'));
  assert.deepEqual(
    unexpected,
    [],
    `calls threw something other than TypeError, RangeError or a tf.errors class: ${report.unexpected.join('\n')}`,
  );
  const known = (d: Death) => Object.hasOwn(TF_EAGER_DEATHS, d.op) || TF_EAGER_DEATH_FRAMES.some((frame) => frame.test(d.detail));
  const unknown = report.deaths.filter((d) => !known(d));
  assert.deepEqual(
    unknown.map((d) => `#${d.index} ${d.op}: ${d.cause}\n${d.detail}`),
    [],
    'processes died on ops not listed as dying in Python TF too (replay: node dist/test/helpers/eager_fuzz.js --case <index>)',
  );
});
