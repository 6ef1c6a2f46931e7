// The batch loop of fit/evaluate/predict. A short step runs on the main thread: handing it to the
// thread pool and back costs more than it saves (~70 µs per step on a 2-core machine, half of a tiny
// model's step). A long step runs on the pool, so the event loop stays free, and the host prepares the
// next batch meanwhile. While steps run on the main thread, the loop yields to the event loop often
// enough that timers and I/O keep running.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Batch, DataSource } from './data_adapter';

export interface BatchHooks<R> {
  /** Before step `index` (Keras' on_*_batch_begin); a promise is awaited, a plain return is not. */
  before(index: number): void | Promise<void>;
  /** Runs the step on the main thread. */
  run(batch: Batch): R;
  /** Starts the step on the thread pool; it must not wait for TF before returning its promise. */
  launch(batch: Batch): Promise<R>;
  /** After step `index`; false stops the loop. A promise is awaited, a plain return is not. */
  after(result: R, index: number): boolean | Promise<boolean>;
}

/** Decides where each step runs, from how long the last one took. */
export class StepPacer {
  /** Steps that took less than this run on the main thread. */
  static readonly inlineBelowMs = 10;
  /** The longest the event loop waits while steps run on the main thread (give or take one step). */
  static readonly yieldEveryMs = 10;

  private lastYield: number;

  constructor(readonly now: () => number = () => performance.now()) {
    this.lastYield = now();
  }

  /** Whether the next step runs on the main thread; the first one does (it traces there anyway). */
  inline = true;

  /** Records how long a step took, from start to result. */
  record(milliseconds: number): void {
    this.inline = milliseconds < StepPacer.inlineBelowMs;
  }

  /** Whether it is time to let the event loop run. */
  shouldYield(): boolean {
    const now = this.now();
    if (now - this.lastYield < StepPacer.yieldEveryMs) return false;
    this.lastYield = now;
    return true;
  }
}

/**
 * The next batch, fetched while a step runs. A failure is handled when the loop awaits it; until
 * then a no-op handler keeps Node from reporting it as an unhandled rejection and exiting.
 */
function prefetch(iterator: Iterator<Batch> | AsyncIterator<Batch>): IteratorResult<Batch> | Promise<IteratorResult<Batch>> {
  const next = iterator.next();
  if (next instanceof Promise) next.catch(() => {});
  return next;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * Runs one epoch of `source`; returns the number of steps run. Sync batches and hooks are not
 * awaited: each await is a trip through the microtask queue, a few µs per step of a tiny model.
 */
export async function runBatches<R>(source: DataSource, shuffle: boolean, hooks: BatchHooks<R>, pacer = new StepPacer()): Promise<number> {
  const iterator = source.batches(shuffle);
  let pending: IteratorResult<Batch> | Promise<IteratorResult<Batch>> | undefined = prefetch(iterator);
  let index = 0;
  try {
    for (;;) {
      const next: IteratorResult<Batch> = isPromise(pending) ? await pending : pending;
      pending = undefined;
      if (next.done) break;
      const batch = next.value;
      let result: R;
      let yieldNow = false;
      try {
        const begun = hooks.before(index);
        if (isPromise(begun)) await begun;
        const start = pacer.now();
        if (pacer.inline) {
          result = hooks.run(batch);
          pacer.record(pacer.now() - start);
          pending = prefetch(iterator);
          yieldNow = pacer.shouldYield();
        } else {
          const running = hooks.launch(batch);
          pending = prefetch(iterator);
          result = await running;
          pacer.record(pacer.now() - start);
        }
      } finally {
        batch.dispose();
      }
      const more = hooks.after(result, index++);
      if (!(isPromise(more) ? await more : more)) break;
      // After the end hooks, so timers that fire meanwhile (a progress bar's redraw) see this step's logs.
      if (yieldNow) await yieldToEventLoop();
    }
  } finally {
    if (pending !== undefined) {
      try {
        const unused = await pending;
        if (!unused.done) unused.value.dispose();
      } catch {
        // The batch after a stop or an error is never used; its own failure does not matter.
      }
    }
    await iterator.return?.();
  }
  return index;
}
