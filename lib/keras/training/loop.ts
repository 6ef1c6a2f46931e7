// The batch loop of fit/evaluate/predict: each step is started asynchronously (TF runs it on the
// thread pool) and, while it runs, the host prepares the next batch.
import { Batch, DataSource } from './data_adapter';

export interface BatchHooks<R> {
  /** Before step `index` (Keras' on_*_batch_begin). */
  before(index: number): Promise<void>;
  /** Starts the step; it must not wait for TF before returning its promise. */
  launch(batch: Batch): Promise<R>;
  /** After step `index`; false stops the loop. */
  after(result: R, index: number): Promise<boolean>;
}

/** Runs one epoch of `source`; returns the number of steps run. */
export async function runBatches<R>(source: DataSource, shuffle: boolean, hooks: BatchHooks<R>): Promise<number> {
  const iterator = source.batches(shuffle);
  let pending: IteratorResult<Batch> | Promise<IteratorResult<Batch>> | undefined = iterator.next();
  let index = 0;
  try {
    for (;;) {
      const next: IteratorResult<Batch> = await pending;
      pending = undefined;
      if (next.done) break;
      const batch = next.value;
      let result: R;
      try {
        await hooks.before(index);
        const running = hooks.launch(batch);
        pending = iterator.next();
        result = await running;
      } finally {
        batch.dispose();
      }
      if (!(await hooks.after(result, index++))) break;
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
