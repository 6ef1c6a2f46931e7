// Signals that reach a process while TF runs kernels (a step run on the calling thread, an eager
// op, TF's own threads) once corrupted the heap: `node --cpu-prof` (V8's SIGPROF) and a handled
// SIGUSR2 both aborted an MNIST-sized training loop in its first steps. Each child below trains
// with its signals arriving as fast as they can be sent and must end with the numbers of a quiet run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LIB = path.join(__dirname, '..', 'lib');

// An MLP step on 128×784 batches (large enough for TF to split its matmuls across threads) as a
// tf.function, then the same gradients eagerly; prints the final loss and weight sum.
const TRAIN = `
  process.on('SIGUSR2', () => {});
  const tf = require(${JSON.stringify(LIB)});
  const x = tf.tensor(Float32Array.from({ length: 128 * 784 }, (_, i) => ((i * 7919) % 1000) / 1000), [128, 784]);
  const y = tf.tensor(Float32Array.from({ length: 128 * 10 }, (_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [128, 10]);
  const model = new tf.keras.Sequential([tf.keras.Input({ shape: [784] }), new tf.keras.layers.Dense(256, { activation: 'relu', kernelInitializer: 'ones' }), new tf.keras.layers.Dense(10, { kernelInitializer: 'zeros' })]);
  const optimizer = new tf.keras.optimizers.Adam(1e-4);
  const lossFn = new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true });
  const step = tf.function((xb, yb) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => lossFn.apply(yb, model.call(xb, { training: true })));
    optimizer.applyGradients(tf.zip(tape.gradient(loss, model.trainableVariables), model.trainableVariables));
    return loss;
  });
  console.log('ready');
  let loss;
  for (let i = 0; i < Number(process.argv[1]); ++i) { loss?.dispose(); loss = step(x, y); }
  for (let i = 0; i < 20; ++i) {
    const tape = new tf.GradientTape();
    const l = tape.record(() => lossFn.apply(y, model.call(x, {})));
    tape.gradient(l, model.trainableVariables).forEach((g) => g.dispose());
    l.dispose();
  }
  const sum = model.trainableVariables.reduce((s, v) => s + tf.reduceSum(v).numpy(), 0);
  console.log(JSON.stringify([loss.numpy(), sum]));
  // Exit resets the handler: the sender stops at the line above first.
  setTimeout(() => {}, 300);
`;

const STEPS = 150;

function quietRun(): [number, number] {
  const out = execFileSync(process.execPath, ['-e', TRAIN, String(STEPS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

function assertSameRun(out: string, quiet: [number, number]): void {
  const [loss, sum] = JSON.parse(out.trim().split('\n').pop() as string) as [number, number];
  assert.ok(Math.abs(loss - quiet[0]) <= 1e-5 * Math.abs(quiet[0]), `loss ${loss} vs ${quiet[0]}`);
  assert.ok(Math.abs(sum - quiet[1]) <= 1e-5 * Math.abs(quiet[1]), `weights ${sum} vs ${quiet[1]}`);
}

test('training survives a stream of handled signals', async () => {
  const quiet = quietRun();
  const child = spawn(process.execPath, ['-e', TRAIN, String(STEPS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = 0;
  let spamming: NodeJS.Timeout | undefined;
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    if (out.includes('\n[')) clearInterval(spamming);
    else if (spamming === undefined && out.includes('ready')) {
      spamming = setInterval(() => {
        for (let i = 0; i < 20; ++i) {
          try {
            process.kill(child.pid as number, 'SIGUSR2');
            sent += 1;
          } catch {
            return;
          }
        }
      }, 1);
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearInterval(spamming);
  assert.equal(signal, null, `the child died of ${signal}: ${err.split('\n').slice(-3).join(' | ')}`);
  assert.equal(code, 0, err);
  assert.ok(sent > 100, `only ${sent} signals were sent`);
  assertSameRun(out, quiet);
});

test('training runs under node --cpu-prof (V8 samples the main thread with SIGPROF)', () => {
  const quiet = quietRun();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-prof-'));
  try {
    const out = execFileSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, '-e', TRAIN, String(STEPS)],
      {
        encoding: 'utf8',
      },
    );
    assertSameRun(out, quiet);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A sync run that never returns (a dequeue nobody feeds), as the child's main thread's only work.
const BLOCKED = `
  const tf = require(${JSON.stringify(LIB)});
  const { Graph, OperationBuilder, Session } = tf.raw;
  const g = new Graph();
  const queue = { op: new OperationBuilder(g, 'FIFOQueueV2', 'q').setAttrTypeList('component_types', ['float32']).finish(), index: 0 };
  const dequeue = { op: new OperationBuilder(g, 'QueueDequeueV2', 'dequeue').addInput(queue).setAttrTypeList('component_types', ['float32']).finish(), index: 0 };
  const session = new Session(g);
  console.log('blocked');
  session.run({ fetches: [dequeue], timeoutInMs: Number(process.argv[1]) });
`;

async function signalWhileBlocked(signal: NodeJS.Signals, timeoutMs: number) {
  const child = spawn(process.execPath, ['-e', BLOCKED, String(timeoutMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sentAt = 0;
  let scheduled = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    if (!scheduled && out.includes('blocked')) {
      scheduled = true;
      setTimeout(() => {
        sentAt = Date.now();
        child.kill(signal);
      }, 300);
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  const [code, by] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  return { code, by, err, afterMs: Date.now() - sentAt };
}

// Their signals are not blocked while no handler is installed: blocked, they would wait for a run
// that never returns.
test('SIGTERM and SIGINT with no handler end a process blocked in a sync run at once', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const r = await signalWhileBlocked(signal, 20_000);
    assert.equal(r.by, signal, r.err);
    assert.ok(r.afterMs < 5_000, `${signal} took ${r.afterMs} ms`);
  }
});
