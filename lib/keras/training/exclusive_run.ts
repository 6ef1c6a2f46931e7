// One fit, evaluate or predict at a time per model: they share the model's metrics and loss tracker,
// and two fits would interleave their steps. A call made from inside a running one (a callback
// calling model.evaluate during fit) is part of it and runs; a call from anywhere else is refused.
import { AsyncLocalStorage } from 'node:async_hooks';
import { FailedPreconditionError } from '../../errors';

/** The models whose run the current async flow is inside. */
const inside = new AsyncLocalStorage<ReadonlySet<object>>();
const running = new WeakMap<object, string>();

function enter(model: object, modelName: string, what: string): ReadonlySet<object> | undefined {
  const flow = inside.getStore();
  if (flow?.has(model)) return undefined;
  const current = running.get(model);
  if (current !== undefined) {
    throw new FailedPreconditionError(
      `Model '${modelName}' is already running ${current}; ${what} must wait for it to finish (one fit, evaluate or predict at a time per model).`,
    );
  }
  running.set(model, what);
  return new Set([...(flow ?? []), model]);
}

/** Runs `body` as `what` (e.g. 'fit()') on `model`, refusing it while another run of the model is in flight. */
export async function runExclusively<T>(model: object, modelName: string, what: string, body: () => Promise<T>): Promise<T> {
  const flow = enter(model, modelName, what);
  if (flow === undefined) return body();
  try {
    return await inside.run(flow, body);
  } finally {
    running.delete(model);
  }
}

/** The synchronous form, for predictOnBatch. */
export function runExclusivelySync<T>(model: object, modelName: string, what: string, body: () => T): T {
  const flow = enter(model, modelName, what);
  if (flow === undefined) return body();
  try {
    return inside.run(flow, body);
  } finally {
    running.delete(model);
  }
}
