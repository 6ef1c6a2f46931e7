// Tearing an environment down while an async run is in flight (issue 12, items 1 and 5): a worker
// terminated or exiting must not take the process down (the run ended after its environment was
// gone and threw into it: `terminate called after throwing an instance of 'Napi::Error'`), and
// process.exit() must not wait forever for a run blocked in TF. Every case runs in a child process
// (test/helpers/teardown_child.ts), so a regression kills or hangs the child, not the test runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'helpers', 'teardown_child.js');
const LIB = path.join(__dirname, '..', 'lib');
const CHILD_LIMIT_MS = 60_000;
/** process.exit() or a worker's end with a run blocked in TF: cancelled, so prompt. */
const PROMPT_MS = 5_000;
const TIMEOUT = { timeout: CHILD_LIMIT_MS + 10_000 };

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Each event's first line: when it was printed and its detail. */
  events: Map<string, { at: number; detail: string }>;
  closedAt: number;
  output: string;
}

function runChild(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, LIB, ...args], {
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const closedAt = Date.now();
      const events = new Map<string, { at: number; detail: string }>();
      for (const line of stdout.split('\n')) {
        const [event, at, ...detail] = line.split(' ');
        if (event && !events.has(event)) events.set(event, { at: Number(at), detail: detail.join(' ') });
      }
      resolve({ code, signal, events, closedAt, output: `${stdout}\n--- stderr ---\n${stderr.slice(-2000)}` });
    });
  });
}

function detail(outcome: Outcome, event: string): string {
  const found = outcome.events.get(event);
  assert.ok(found, `no '${event}' line in the child's output:\n${outcome.output}`);
  return found.detail;
}

/** The child ran TF before the worker and after it ended; its own exit was clean. */
function assertParentLivedOn(outcome: Outcome, workerExitCode: number): void {
  assert.equal(outcome.signal, null, outcome.output);
  assert.equal(outcome.code, 0, outcome.output);
  assert.equal(detail(outcome, 'before'), '16');
  assert.equal(detail(outcome, 'worker-exit'), String(workerExitCode));
  assert.equal(detail(outcome, 'after'), '16', 'TF works in the main thread after the worker ended');
}

for (const kind of ['block', 'compute', 'fit']) {
  test(`worker.terminate() with a ${kind} run in flight ends the worker; the process lives on and runs TF`, TIMEOUT, async () => {
    const outcome = await runChild('worker-terminate', kind);
    assertParentLivedOn(outcome, 1);
    assert.equal(detail(outcome, 'worker-running'), 'in-flight');
    assert.ok(!outcome.events.has('worker-settled') && !outcome.events.has('worker-rejected'), outcome.output);
    // A blocked run is cancelled; a computing one (TF cannot interrupt a kernel) ends its step first.
    if (kind === 'block') assert.ok(Number(detail(outcome, 'terminated')) < PROMPT_MS, outcome.output);
  });
}

for (const kind of ['block', 'fit']) {
  test(`process.exit() inside a worker with a ${kind} run in flight ends that worker only`, TIMEOUT, async () => {
    const outcome = await runChild('worker-exit', kind);
    assertParentLivedOn(outcome, 5);
    assert.equal(detail(outcome, 'worker-running'), 'in-flight');
  });
}

test('process.exit() on the main thread while a run is blocked in TF returns promptly with its code', TIMEOUT, async () => {
  const outcome = await runChild('main-exit', 'block');
  assert.equal(outcome.signal, null, outcome.output);
  assert.equal(outcome.code, 7, outcome.output);
  assert.equal(detail(outcome, 'running'), 'in-flight');
  const took = outcome.closedAt - outcome.events.get('exiting')!.at;
  assert.ok(took < PROMPT_MS, `exit took ${took} ms`);
});

test("process.exit() on the main thread while a worker's run is blocked in TF returns promptly", TIMEOUT, async () => {
  // Node stops the workers first: the worker's cleanup hook cancels its run.
  const outcome = await runChild('main-exit-worker');
  assert.equal(outcome.signal, null, outcome.output);
  assert.equal(outcome.code, 9, outcome.output);
  const took = outcome.closedAt - outcome.events.get('exiting')!.at;
  assert.ok(took < PROMPT_MS, `exit took ${took} ms`);
});

test('process.exit() while a run computes waits for its step, then exits cleanly with its code', TIMEOUT, async () => {
  // Not cancellable mid-kernel; exiting under it would tear TF down while its threads compute.
  const outcome = await runChild('main-exit', 'compute');
  assert.equal(outcome.signal, null, outcome.output);
  assert.equal(outcome.code, 7, outcome.output);
  assert.equal(detail(outcome, 'running'), 'in-flight');
});

test("an 'exit' listener registered before the run still runs TF at exit; then the blocked run is cancelled", TIMEOUT, async () => {
  const outcome = await runChild('exit-listener');
  assert.equal(outcome.code, 7, outcome.output);
  assert.equal(detail(outcome, 'listener'), '42');
  assert.ok(outcome.closedAt - outcome.events.get('exiting')!.at < PROMPT_MS, outcome.output);
});

test('an uncaught exception while a run is blocked in TF exits promptly with code 1', TIMEOUT, async () => {
  const outcome = await runChild('uncaught');
  assert.equal(outcome.signal, null, outcome.output);
  assert.equal(outcome.code, 1, outcome.output);
  assert.match(outcome.output, /uncaught during a run/);
  assert.ok(outcome.closedAt - outcome.events.get('throwing')!.at < PROMPT_MS, outcome.output);
});
