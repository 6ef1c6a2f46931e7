// The metric values one train/test step returned, kept as tensors and read only when something
// looks at them (a callback's batch hook, a progress-bar redraw, the epoch logs).
import type { Logs } from '../callbacks';
import { Tensor } from '../../tensor';

export class StepLogs {
  private values?: Logs;
  private disposed = false;

  constructor(private readonly tensors: Readonly<Record<string, Tensor>>) {}

  /** The values as plain numbers (read once, then cached). */
  read(): Logs {
    if (this.values === undefined) {
      if (this.disposed) throw new Error('These step logs were freed before they were read');
      this.values = {};
      for (const [name, tensor] of Object.entries(this.tensors)) this.values[name] = (tensor.dataSync() as Float32Array)[0];
    }
    return this.values;
  }

  /** A Logs object whose values are read on first access (valid while this step is the latest). */
  lazy(): Logs {
    const logs: Logs = {};
    for (const name of Object.keys(this.tensors)) {
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
    for (const tensor of Object.values(this.tensors)) tensor.dispose();
  }
}
