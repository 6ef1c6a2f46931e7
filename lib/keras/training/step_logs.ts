// The metric values one train/test step returned, kept as tensors and read only when something
// looks at them (a callback's batch hook, a progress-bar redraw, the epoch logs). A step run for its
// effects only fetched nothing: its values are then fetched when first read, by a run of the
// metrics' results alone (the same values: no metric changes between the step and the read, since
// the logs of a step are valid only until the next one).
import type { Logs } from '../callbacks';
import { Tensor } from '../../tensor';

export class StepLogs {
  private values?: Logs;
  private disposed = false;
  private readonly names: readonly string[];

  /**
   * `source`: the step's results, or a function fetching them (one session run) when first read,
   * with `names`, the keys it will return.
   */
  constructor(source: Readonly<Record<string, Tensor>>);
  constructor(source: () => Readonly<Record<string, Tensor>>, names: readonly string[]);
  constructor(
    private readonly source: Readonly<Record<string, Tensor>> | (() => Readonly<Record<string, Tensor>>),
    names?: readonly string[],
  ) {
    this.names = names ?? Object.keys(source);
  }

  /** The values as plain numbers (read once, then cached). */
  read(): Logs {
    if (this.values === undefined) {
      if (this.disposed) throw new Error('These step logs were freed before they were read');
      const fetch = typeof this.source === 'function';
      const tensors = fetch ? (this.source as () => Readonly<Record<string, Tensor>>)() : (this.source as Readonly<Record<string, Tensor>>);
      const values: Logs = {};
      try {
        for (const [name, tensor] of Object.entries(tensors)) values[name] = (tensor.dataSync() as Float32Array)[0];
      } finally {
        if (fetch) for (const tensor of Object.values(tensors)) tensor.dispose();
      }
      this.values = values;
    }
    return this.values;
  }

  /** A Logs object whose values are read on first access (valid while this step is the latest). */
  lazy(): Logs {
    const logs: Logs = {};
    for (const name of this.names) {
      Object.defineProperty(logs, name, {
        enumerable: true,
        get: () => (this.values !== undefined || !this.disposed ? this.read()[name] : NaN),
      });
    }
    return logs;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (typeof this.source !== 'function') for (const tensor of Object.values(this.source)) tensor.dispose();
  }
}
