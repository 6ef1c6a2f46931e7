// Keras' MonitorCallback: the base of callbacks that watch one logged quantity (EarlyStopping): the
// mode, the direction it resolves to on the first epoch, and what counts as an improvement.
import { describeValue, finiteNumber, stringOption } from '../utils/argument_validation';
import { Callback } from './callback';
import type { MonitorMode } from './reduce_lr_on_plateau';

type Comparison = 'less' | 'greater';

export class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** Signed once the direction is known: negative when minimizing (Keras' `min_delta`). */
  minDelta: number;
  /** Best monitored value so far; null before the first one. */
  best: number | null;
  /** 'less' or 'greater' once resolved (on the first epoch, when the compiled metrics exist). */
  protected monitorOp: Comparison | null = null;

  constructor(monitor: unknown = 'val_loss', mode: unknown = 'auto', baseline: number | null = null, minDelta: unknown = 0) {
    super();
    this.monitor = stringOption('monitor', monitor);
    if (mode === 'auto' || mode === 'min' || mode === 'max') {
      this.mode = mode;
    } else {
      process.emitWarning(`${this.constructor.name} mode ${describeValue(mode)} is unknown, fallback to auto mode.`);
      this.mode = 'auto';
    }
    this.best = baseline;
    this.minDelta = Math.abs(finiteNumber('minDelta', minDelta));
  }

  /** Resolves the direction: the mode's, else min for a loss, else the compiled metric's direction. */
  protected setMonitorOp(): void {
    let op: Comparison | null = null;
    if (this.mode === 'min') op = 'less';
    else if (this.mode === 'max') op = 'greater';
    else {
      const metricName = this.monitor.startsWith('val_') ? this.monitor.slice('val_'.length) : this.monitor;
      if (metricName === 'loss') op = 'less';
      for (const metric of this.model.metrics ?? []) {
        if (metric.name === metricName && metric.direction !== undefined) op = metric.direction === 'up' ? 'greater' : 'less';
      }
      if (op === null) {
        throw new RangeError(
          `${this.constructor.name} callback received monitor=${this.monitor}, but Keras isn't able to automatically ` +
            "determine whether that metric should be maximized or minimized. Pass `mode='max'` in order to " +
            "monitor based on the highest metric value, or pass `mode='min'` in order to use the lowest value.",
        );
      }
    }
    if (op === 'less') this.minDelta *= -1;
    this.monitorOp = op;
  }

  /**
   * Whether `monitorValue` improves on `referenceValue` (always, without one). Keras compares with
   * float32 tensor ops, so differences below float32 precision are ties.
   */
  protected isImprovement(monitorValue: number, referenceValue: number | null): boolean {
    if (referenceValue === null) return true;
    const shifted = Math.fround(monitorValue - this.minDelta);
    const reference = Math.fround(referenceValue);
    return this.monitorOp === 'less' ? shifted < reference : shifted > reference;
  }
}
