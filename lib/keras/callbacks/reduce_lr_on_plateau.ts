import {
  checkOptions,
  describeValue,
  finiteNumber,
  nonNegativeInteger,
  nonNegativeNumber,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../utils/argument_validation';
import { Callback, type CallbackModel, type Logs } from './callback';
import { pythonFloatRepr } from './python_float_repr';

export type MonitorMode = 'auto' | 'min' | 'max';

export interface ReduceLROnPlateauOptions {
  /** Logs key to watch. Default 'val_loss'. */
  monitor?: string;
  /** `newLr = lr * factor`; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** 1 prints a line on every reduction. Default 0. */
  verbose?: number;
  /** 'min', 'max', or 'auto' (min for *loss, else the compiled metric's direction). Default 'auto'. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  minLr?: number;
}

const OPTIONS = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'] as const;

type Comparison = 'less' | 'greater';

/** Multiplies the learning rate by `factor` once `monitor` stops improving (Keras' `keras.callbacks.ReduceLROnPlateau`). */
export class ReduceLROnPlateau extends Callback {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static readonly positional: readonly string[] = OPTIONS;
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly cooldown: number;
  readonly minLr: number;
  /** Signed once the direction is known: negative when minimizing (Keras' `min_delta`). */
  minDelta: number;
  /** Best monitored value so far; null before the first epoch. */
  best: number | null = null;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  private comparison: Comparison | null = null;

  constructor(...args: PositionalArgs<ReduceLROnPlateauOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('ReduceLROnPlateau', positionalOptions(new.target, args), OPTIONS);
    this.monitor = stringOption('monitor', o.monitor ?? 'val_loss');
    const factor = finiteNumber('factor', o.factor ?? 0.1);
    if (factor >= 1.0) {
      throw new RangeError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${pythonFloatRepr(factor)}`);
    }
    this.factor = factor;
    this.patience = nonNegativeInteger('patience', o.patience ?? 10);
    this.verbose = nonNegativeInteger('verbose', o.verbose ?? 0);
    const mode = o.mode ?? 'auto';
    if (mode === 'auto' || mode === 'min' || mode === 'max') {
      this.mode = mode;
    } else {
      process.emitWarning(`ReduceLROnPlateau mode ${describeValue(mode)} is unknown, fallback to auto mode.`);
      this.mode = 'auto';
    }
    this.minDelta = Math.abs(finiteNumber('minDelta', o.minDelta ?? 1e-4));
    this.cooldown = nonNegativeInteger('cooldown', o.cooldown ?? 0);
    this.minLr = nonNegativeNumber('minLr', o.minLr ?? 0.0);
  }

  override onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    // Deferred to the first epoch so the model's compiled metrics exist.
    const comparison = this.comparison ?? this.resolveComparison();
    const learningRate = this.model.optimizer.learningRate;
    logs.learning_rate = learningRate.numpy();
    const current = logs[this.monitor];
    if (current === undefined) {
      process.emitWarning(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs).join(',')}.`,
      );
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(comparison, current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience && this.reduce(learningRate, epoch)) {
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  private resolveComparison(): Comparison {
    let comparison: Comparison | null = null;
    if (this.mode === 'min') comparison = 'less';
    else if (this.mode === 'max') comparison = 'greater';
    else {
      const metricName = this.monitor.startsWith('val_') ? this.monitor.slice('val_'.length) : this.monitor;
      if (metricName === 'loss') comparison = 'less';
      for (const metric of this.model.metrics ?? []) {
        if (metric.name === metricName && metric.direction !== undefined) {
          comparison = metric.direction === 'up' ? 'greater' : 'less';
        }
      }
      if (comparison === null) {
        throw new RangeError(
          `ReduceLROnPlateau callback received monitor=${this.monitor}, but Keras isn't able to automatically ` +
            "determine whether that metric should be maximized or minimized. Pass `mode='max'` in order to " +
            "monitor based on the highest metric value, or pass `mode='min'` in order to use the lowest value.",
        );
      }
    }
    if (comparison === 'less') this.minDelta *= -1;
    this.comparison = comparison;
    return comparison;
  }

  private isImprovement(comparison: Comparison, current: number): boolean {
    if (this.best === null) return true;
    // Keras compares through float32 tensor ops, so differences below float32 precision are ties.
    const shifted = Math.fround(current - this.minDelta);
    const best = Math.fround(this.best);
    return comparison === 'less' ? shifted < best : shifted > best;
  }

  private reduce(learningRate: CallbackModel['optimizer']['learningRate'], epoch: number): boolean {
    const oldLr = learningRate.numpy();
    if (!(Math.fround(oldLr) > Math.fround(this.minLr))) return false;
    const newLr = Math.max(oldLr * this.factor, this.minLr);
    learningRate.assign(newLr);
    if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pythonFloatRepr(newLr)}.`);
    }
    return true;
  }
}
