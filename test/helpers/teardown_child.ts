// A child process (and its worker threads) that tears an environment down while an async run is in flight.
//   node teardown_child.js LIB worker-terminate KIND   a worker starts a KIND run; the main thread terminates it
//   node teardown_child.js LIB worker-exit KIND        the worker calls process.exit(5) during its run
//   node teardown_child.js LIB main-exit KIND          the main thread calls process.exit(7) during its run
//   node teardown_child.js LIB main-exit-worker        the main thread calls process.exit(9) during a worker's blocked run
//   node teardown_child.js LIB exit-listener           as main-exit block, with an earlier 'exit' listener that runs TF
//   node teardown_child.js LIB uncaught                an uncaught exception during a blocked run
// KIND: `block` (a dequeue from a queue nobody feeds: only cancellation ends it), `compute` (a chain of
// matmuls, a second or more: TF cannot interrupt it), `fit` (Model.fit with steps long enough to run on the pool).
// Prints `<event> <Date.now()>` lines on stdout; the worker's lines come through its parent.
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import type * as TF from '../../lib';

interface Job {
  lib: string;
  mode: string;
  kind: string;
}

const job: Job = isMainThread
  ? { lib: path.resolve(process.argv[2]), mode: process.argv[3], kind: process.argv[4] ?? 'block' }
  : (workerData as Job);
const tf = require(job.lib) as typeof TF;

const say = (event: string, detail: unknown = '') =>
  isMainThread ? process.stdout.write(`${event} ${Date.now()} ${detail}\n`) : parentPort?.postMessage([event, detail]);

/** Starts a run of `kind`; `onRunning` is called while it is in TF (for `fit`: during its fourth step). */
function startRun(kind: string, onRunning: () => void): Promise<unknown> {
  let settled = false;
  const run = launch(kind, () => {
    say('running', settled ? 'settled-already' : 'in-flight');
    onRunning();
  });
  run.then(
    () => {
      settled = true;
      say('settled');
    },
    (e: Error) => {
      settled = true;
      say('rejected', e.message.split('\n')[0]);
    },
  );
  return run;
}

function launch(kind: string, onRunning: () => void): Promise<unknown> {
  if (kind === 'fit') {
    const { Sequential, Input, layers, callbacks } = tf.keras;
    const model = new Sequential([Input([1024]), new layers.Dense({ units: 1024, activation: 'relu' }), new layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    class Signal extends callbacks.Callback {
      override onTrainBatchEnd(batch: number): void {
        // The next step starts right after this hook and lasts well over 20 ms.
        if (batch === 2) setTimeout(onRunning, 20);
      }
    }
    return model.fit(tf.ones([16384, 1024]), tf.zeros([16384, 1]), { batchSize: 1024, epochs: 100, verbose: 0, callbacks: [new Signal()] });
  }
  let run: Promise<unknown>;
  if (kind === 'block') {
    const dequeue = tf.function(
      (x: TF.Tensor) => {
        const queue = tf.rawOps.FIFOQueueV2({ componentTypes: ['float32'] });
        const [value] = tf.rawOps.QueueDequeueV2({ handle: queue, componentTypes: ['float32'] });
        return tf.add(value, x);
      },
      { inputSignature: [new tf.TensorSpec([], 'float32')] },
    );
    run = dequeue.callAsync(tf.scalar(1, 'float32'));
  } else {
    const chain = tf.function((x: TF.Tensor) => {
      let y = x;
      for (let i = 0; i < 250; ++i) y = tf.matmul(y, x);
      return tf.reduceSum(y);
    });
    run = chain.callAsync(tf.ones([600, 600]));
  }
  setTimeout(onRunning, 300);
  return run;
}

/** Proves TF still works in this thread: a traced call, an async call and an eager op. */
async function useTf(): Promise<number> {
  const double = tf.function((x: TF.Tensor) => tf.mul(x, 2));
  const value = (t: TF.Tensor) => Number(t.dataSync()[0]);
  return value(double(tf.scalar(3))) + value(await double.callAsync(tf.scalar(4))) + value(tf.add(tf.scalar(1), tf.scalar(1)));
}

function workerMain(): void {
  startRun(job.kind, () => {
    if (job.mode === 'worker-exit') process.exit(5);
  });
}

async function main(): Promise<void> {
  switch (job.mode) {
    case 'main-exit-worker': {
      const worker = new Worker(__filename, { workerData: { ...job, kind: 'block' } });
      worker.on('message', ([event]: [string]) => {
        if (event !== 'running') return;
        say('exiting');
        process.exit(9);
      });
      return;
    }
    case 'worker-terminate':
    case 'worker-exit': {
      say('before', await useTf());
      const worker = new Worker(__filename, { workerData: job });
      let terminating: number | undefined;
      worker.on('message', ([event, detail]: [string, unknown]) => {
        say(`worker-${event}`, detail);
        if (event === 'running' && job.mode === 'worker-terminate') {
          terminating = Date.now();
          worker.terminate().then(() => say('terminated', Date.now() - (terminating as number)));
        }
      });
      worker.on('error', (e) => say('worker-error', e.message));
      const code = await new Promise<number>((resolve) => worker.on('exit', resolve));
      say('worker-exit', code);
      say('after', await useTf());
      return;
    }
    case 'main-exit':
    case 'exit-listener':
    case 'uncaught': {
      if (job.mode === 'exit-listener') {
        process.on('exit', () => {
          const double = tf.function((x: TF.Tensor) => tf.mul(x, 2));
          say('listener', double(tf.scalar(21)).dataSync()[0]);
        });
      }
      startRun(job.mode === 'main-exit' ? job.kind : 'block', () => {
        if (job.mode === 'uncaught') {
          say('throwing');
          throw new Error('uncaught during a run');
        }
        say('exiting');
        process.exit(7);
      });
      return;
    }
    default:
      throw new Error(`unknown mode ${job.mode}`);
  }
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
} else {
  workerMain();
}
