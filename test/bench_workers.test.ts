import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const DIST_BENCH = path.join(__dirname, '..', 'bench');

function run(script: string, args: string[]): string[] {
  const r = spawnSync(process.execPath, [path.join(DIST_BENCH, script), ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr.slice(-600));
  return r.stdout.trim().split('\n');
}

// Python TF 2.21 + Keras 3's losses after the same 60 steps, from the Python worker:
// bench/peers/python-venv/bin/python bench/workloads/python_tf.py tiny loop|fit 0 60
const PYTHON_FINAL_LOSS = { loop: 0.6509014964103699, fit: 0.7927325367927551 };

for (const [mode, flags] of [
  ['loop', []],
  ['loop', ['--async']],
  ['fit', []],
] as const) {
  test(`bench worker: tiny ${[mode, ...flags].join(' ')} prints one protocol line and trains as Python TF does`, () => {
    const lines = run(path.join('workloads', 'tfnapi.js'), ['tiny', mode, '0', '60', ...flags]);
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]);
    assert.equal(out.impl, flags.length ? 'tf-napi-async' : 'tf-napi');
    assert.equal(out.workload, 'tiny');
    assert.equal(out.mode, mode);
    assert.equal(out.steps, 60);
    assert.ok(out.stepsPerSec > 0 && out.peakRssMb > 0);
    const expected = PYTHON_FINAL_LOSS[mode];
    assert.ok(Math.abs(out.finalLoss - expected) <= 1e-5 * expected, `final loss ${out.finalLoss}, Python ${expected}`);
  });
}

test('fit_vs_loop --json: one line per workload, the ratio per round of fit over loop', () => {
  const lines = run('fit_vs_loop.js', ['--workloads=tiny', '--rounds=1', '--json']);
  assert.equal(lines.length, 1);
  const r = JSON.parse(lines[0]);
  assert.equal(r.workload, 'tiny');
  assert.equal(r.rounds, 1);
  assert.ok(r.loop > 0 && r.fit > 0);
  assert.ok(Math.abs(r.ratio - r.fit / r.loop) < 1e-9);
  assert.equal(r.min, r.ratio);
  assert.equal(r.max, r.ratio);
});
