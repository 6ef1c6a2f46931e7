import type { DType } from '../../dtypes';
import { constant } from '../../ops/creation';
import type { Tensor } from '../../tensor';
import {
  booleanOption,
  checkClassOptions,
  finiteNumber,
  nonNegativeInteger,
  type OptionsClass,
  PositionalArgs,
  positionalOptions,
} from '../utils/argument_validation';
import type { Logs } from './callback';
import { MonitorCallback } from './monitor_callback';
import type { MonitorMode } from './reduce_lr_on_plateau';

export interface EarlyStoppingOptions {
  /** Logs key to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 1 prints when training stops and when weights are restored. Default 0. */
  verbose?: number;
  /** 'min', 'max', or 'auto' (min for *loss, else the compiled metric's direction). Default 'auto'. */
  mode?: MonitorMode;
  /** Training stops unless the monitored value beats this within `patience` epochs. Default null. */
  baseline?: number | null;
  /** At the end of training, set the weights of the best epoch (as host copies taken then). Default false. */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before monitoring starts. Default 0. */
  startFromEpoch?: number;
}

/** A weight's value copied to host memory. */
interface HostWeight {
  data: ArrayLike<number>;
  dtype: DType;
  shape: number[];
}

/** The model as EarlyStopping drives it: restoring weights needs getWeights()/setWeights(). */
interface WeightedModel {
  getWeights?(): Tensor[];
  setWeights?(values: readonly Tensor[]): void;
}

const OPTIONS = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'] as const;

/** Stops training when a monitored quantity has stopped improving (Keras' `keras.callbacks.EarlyStopping`). */
export class EarlyStopping extends MonitorCallback {
  static readonly optionKeys: readonly string[] = OPTIONS;
  /** Keras' parameters in its order: every option can also be given positionally. */
  static readonly positional: readonly string[] = OPTIONS;
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training stopped at (0 when it did not stop early). */
  stoppedEpoch = 0;
  /** The epoch of the best monitored value. */
  bestEpoch = 0;
  /** Host copies of the weights at the end of the best epoch (restoreBestWeights only). */
  bestWeights: HostWeight[] | null = null;

  constructor(...args: PositionalArgs<EarlyStoppingOptions, typeof OPTIONS>) {
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    const baseline = o.baseline === undefined || o.baseline === null ? null : finiteNumber('baseline', o.baseline);
    super(o.monitor ?? 'val_loss', o.mode ?? 'auto', null, o.minDelta ?? 0);
    this.patience = nonNegativeInteger('patience', o.patience ?? 0);
    this.verbose = nonNegativeInteger('verbose', o.verbose ?? 0);
    this.baseline = baseline;
    this.restoreBestWeights = booleanOption('restoreBestWeights', o.restoreBestWeights ?? false);
    this.startFromEpoch = nonNegativeInteger('startFromEpoch', o.startFromEpoch ?? 0);
  }

  override onTrainBegin(): void {
    // Instances may be reused across fit() calls.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    // Deferred to the first epoch so the model's compiled metrics exist.
    if (this.monitorOp === null) this.setMonitorOp();
    const current = this.getMonitorValue(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    // Without an earlier best, the current weights are the best.
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.copyWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.copyWeights();
      // Waiting restarts only when the value beats both the baseline and the previous best.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.setWeights(this.bestWeights);
    }
  }

  /** The monitored value, or undefined (with Keras' warning) when the logs lack it. */
  getMonitorValue(logs: Logs = {}): number | undefined {
    const value = logs[this.monitor];
    if (value === undefined || value === null) {
      process.emitWarning(
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs).join(',')}`,
      );
      return undefined;
    }
    return value;
  }

  private weightedModel(): Required<WeightedModel> {
    const model = this.model as WeightedModel;
    if (typeof model.getWeights !== 'function' || typeof model.setWeights !== 'function') {
      throw new TypeError('EarlyStopping(restoreBestWeights: true) needs a model with getWeights() and setWeights().');
    }
    return model as Required<WeightedModel>;
  }

  /** The model's weights as host copies (Keras' `model.get_weights()`, which returns NumPy arrays). */
  private copyWeights(): HostWeight[] {
    const tensors = this.weightedModel().getWeights();
    try {
      return tensors.map((t) => ({ data: t.dataSync() as ArrayLike<number>, dtype: t.dtype, shape: t.shape as number[] }));
    } finally {
      for (const t of tensors) t.dispose();
    }
  }

  private setWeights(weights: readonly HostWeight[]): void {
    const tensors: Tensor[] = [];
    try {
      for (const w of weights) tensors.push(constant(w.data as Float32Array, w.dtype, w.shape));
      this.weightedModel().setWeights(tensors);
    } finally {
      for (const t of tensors) t.dispose();
    }
  }
}
