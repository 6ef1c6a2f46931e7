// Keras' ModelCheckpoint: saves the model (`.keras`) or its weights (`.weights.h5`) every epoch or
// every N batches, optionally only when a monitored value improves; the path is a Python format
// template filled from the epoch, batch and logs ('ckpt-{epoch:02d}-{val_loss:.2f}.keras'). Saves
// are atomic (saving/atomic_file.ts), so a kill mid-save leaves the previous file whole.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../models/model';
import {
  booleanOption,
  checkClassOptions,
  nonNegativeInteger,
  type OptionsClass,
  PositionalArgs,
  positionalOptions,
  stringOption,
} from '../utils/argument_validation';
import { formatPath } from '../utils/python_format';
import type { Logs } from './callback';
import { MonitorCallback } from './monitor_callback';
import type { MonitorMode } from './reduce_lr_on_plateau';

export interface ModelCheckpointOptions {
  /** The file to write, a Python format template over `epoch` (1-based), `batch` and the logs. */
  filepath?: string;
  /** Logs key compared for `saveBestOnly`. Default 'val_loss'. */
  monitor?: string;
  /** 1 prints a line per save. Default 0. */
  verbose?: number;
  /** Save only when the monitored value improves on the best so far. Default false. */
  saveBestOnly?: boolean;
  /** Save only the weights (the path must end in `.weights.h5`); else the model (`.keras`). Default false. */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch', or save every this many batches. Default 'epoch'. */
  saveFreq?: 'epoch' | number;
  /** The best value to beat at the start (`saveBestOnly`). Default null. */
  initialValueThreshold?: number | null;
}

const OPTIONS = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold'] as const;

/** The part of a Model that saving callbacks use. */
type SavingModel = Pick<Model, 'save' | 'saveWeights'>;

/** Keras' ModelCheckpoint. */
export class ModelCheckpoint extends MonitorCallback {
  static readonly optionKeys: readonly string[] = OPTIONS;
  static readonly positional: readonly string[] = OPTIONS;
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  private batchesSinceLastSave = 0;
  private lastBatchSeen: number | null = null;
  private currentEpoch = 0;

  constructor(...args: PositionalArgs<ModelCheckpointOptions, typeof OPTIONS>) {
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    super(o.monitor ?? 'val_loss', o.mode ?? 'auto', (o.initialValueThreshold as number | null | undefined) ?? null);
    if (o.filepath === undefined) throw new TypeError("ModelCheckpoint missing 1 required argument: 'filepath'");
    this.filepath = stringOption('filepath', o.filepath);
    this.verbose = nonNegativeInteger('verbose', o.verbose ?? 0);
    this.saveBestOnly = booleanOption('saveBestOnly', o.saveBestOnly ?? false);
    this.saveWeightsOnly = booleanOption('saveWeightsOnly', o.saveWeightsOnly ?? false);
    const saveFreq = o.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && (saveFreq as number) > 0)) {
      throw new RangeError(`Unrecognized save_freq: ${String(saveFreq)}. Expected save_freq are 'epoch' or integer values`);
    }
    this.saveFreq = saveFreq as 'epoch' | number;
    if (this.saveWeightsOnly && !this.filepath.endsWith('.weights.h5')) {
      throw new RangeError(
        'When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` ' +
          `(Keras weights format). Received: filepath=${this.filepath}`,
      );
    }
    if (!this.saveWeightsOnly && !this.filepath.endsWith('.keras')) {
      throw new RangeError(`The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${this.filepath}`);
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.monitorOp === null) this.setMonitorOp();
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    const added = this.lastBatchSeen === null || batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceLastSave += added;
    this.lastBatchSeen = batch;
    if (this.batchesSinceLastSave < this.saveFreq) return false;
    this.batchesSinceLastSave = 0;
    return true;
  }

  /** The path for this save: the template filled as Keras fills it. */
  filePathFor(epoch: number, batch: number | null, logs: Logs): string {
    const values: Record<string, unknown> = { ...logs, epoch: epoch + 1 };
    if (batch !== null && !('batch' in logs)) values.batch = batch + 1;
    return formatPath(this.filepath, values, new Set(['epoch', 'batch']));
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    const say = (message: string) => this.verbose > 0 && console.log(`\nEpoch ${epoch + 1}: ${message}`);
    if (!this.saveBestOnly) {
      say(`saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined || current === null) {
      process.emitWarning(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const bestText = this.best === null ? 'None' : this.best.toFixed(5);
    if (this.isImprovement(current, this.best)) {
      say(`${this.monitor} improved from ${bestText} to ${current.toFixed(5)}, saving model to ${filepath}`);
      this.best = current;
      return true;
    }
    say(`${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const filepath = this.filePathFor(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    if (fs.existsSync(filepath) && fs.statSync(filepath).isDirectory()) {
      throw new Error(`Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`);
    }
    const dir = path.dirname(filepath);
    if (dir && !fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
    const model = this.model as unknown as SavingModel;
    if (this.saveWeightsOnly) await model.saveWeights(filepath);
    else await model.save(filepath);
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
  }
}
