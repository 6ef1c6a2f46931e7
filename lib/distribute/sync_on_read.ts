// Keras' metric variables under a strategy are SyncOnRead with SUM aggregation: each replica adds to
// its own copy and a read sums them. Here a step all-reduces the states and computes each metric's
// result with its variables read as those sums.
import type { Tensor } from '../tensor';
import type { Variable } from '../variable';

/**
 * Runs `body` with reads of `variables[i]` giving `values[i]`. Shadowing value() on the instances
 * covers every metric, user subclasses included: ops read a variable through it (ops/convert.ts).
 */
export function readingAs<T>(variables: readonly Variable[], values: readonly Tensor[], body: () => T): T {
  variables.forEach((v, i) => {
    Object.defineProperty(v, 'value', { value: () => values[i], configurable: true, writable: true });
  });
  try {
    return body();
  } finally {
    for (const v of variables) delete (v as { value?: unknown }).value;
  }
}
