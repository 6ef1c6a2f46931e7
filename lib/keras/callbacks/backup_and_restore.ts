// Keras' BackupAndRestore: at each epoch end (or every N batches) the model's and optimizer's
// weights go to `<backupDir>/latest.weights.h5` and the epoch reached to `training_metadata.json`;
// a fit() started again with the same callback loads them and resumes at that epoch, so a killed
// run ends with the weights an uninterrupted one would have. The files are removed when training
// ends normally (`deleteCheckpoint`). Under a multi-worker strategy only the chief writes and reads
// the backup (tf.keras' write_filepath: a non-chief's copy would be the same bytes); at train begin
// the chief's restored state and epoch are broadcast, so every worker resumes identically without a
// shared disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataLossError } from '../../errors';
import type { Model } from '../models/model';
import { booleanOption, checkClassOptions, type OptionsClass, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { replaceFileAtomically } from '../saving/atomic_file';
import { Callback } from './callback';
import { asTrainingStrategy, type TrainingStrategy } from '../../distribute/distribution_context';

export interface BackupAndRestoreOptions {
  /** Where the backup lives (made when needed). */
  backupDir?: string;
  /** 'epoch', or back up every this many batches. Default 'epoch'. */
  saveFreq?: 'epoch' | number;
  /** Keep the previous backup as `*.bkp` too, for a kill during a save. Default false. */
  doubleCheckpoint?: boolean;
  /** Remove the backup when fit() ends without being interrupted. Default true. */
  deleteCheckpoint?: boolean;
}

const OPTIONS = ['backupDir', 'saveFreq', 'doubleCheckpoint', 'deleteCheckpoint'] as const;

type BackedUpModel = Pick<
  Model,
  'saveWeights' | 'loadWeights' | 'built' | 'name' | 'resumeEpoch' | 'distributeStrategy' | 'variables' | 'optimizer' | 'trainableVariables'
>;

/** Keras' BackupAndRestore. */
export class BackupAndRestore extends Callback {
  static readonly optionKeys: readonly string[] = OPTIONS;
  static readonly positional: readonly string[] = OPTIONS;
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly doubleCheckpoint: boolean;
  readonly deleteCheckpoint: boolean;
  private readonly weightsPath: string;
  private readonly metadataPath: string;
  private batchesSinceLastSave = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;

  constructor(...args: PositionalArgs<BackupAndRestoreOptions, typeof OPTIONS>) {
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    super();
    if (typeof o.backupDir !== 'string' || o.backupDir === '') throw new RangeError('Empty `backupDir` argument passed');
    this.backupDir = o.backupDir;
    const saveFreq = o.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && (saveFreq as number) > 0)) {
      throw new RangeError(
        `Invalid value for argument \`saveFreq\`. Received: saveFreq=${String(saveFreq)}. Expected either 'epoch' or an integer value.`,
      );
    }
    this.saveFreq = saveFreq as 'epoch' | number;
    this.doubleCheckpoint = booleanOption('doubleCheckpoint', o.doubleCheckpoint ?? false);
    this.deleteCheckpoint = booleanOption('deleteCheckpoint', o.deleteCheckpoint ?? true);
    this.weightsPath = path.join(this.backupDir, 'latest.weights.h5');
    this.metadataPath = path.join(this.backupDir, 'training_metadata.json');
  }

  private get backedUpModel(): BackedUpModel {
    return this.model as unknown as BackedUpModel;
  }

  /** The multi-worker strategy the model trains under, or null (one process). */
  private get strategy(): TrainingStrategy | null {
    const strategy = asTrainingStrategy(this.backedUpModel.distributeStrategy);
    return strategy !== null && strategy.numReplicasInSync > 1 ? strategy : null;
  }

  /** Whether this process writes (and removes) the backup: the chief, or the only process. */
  private get writes(): boolean {
    return this.strategy?.isChief ?? true;
  }

  override async onTrainBegin(): Promise<void> {
    const strategy = this.strategy;
    if (strategy === null) return this.restoreOrPrevious();
    const model = this.backedUpModel;
    // Every worker has the optimizer's slots before the broadcast (Keras builds them before a load too).
    if (!model.optimizer.built) model.optimizer.build(model.trainableVariables);
    if (strategy.isChief) await this.restoreOrPrevious();
    const rate = model.optimizer.learningRate;
    // A scheduled rate is written from `iterations` at each step, and refuses other writes.
    const optimizerVariables = model.optimizer.variables.filter((v) => v !== rate || rate.schedule === undefined);
    const [resume] = strategy.broadcastVariables([...model.variables, ...optimizerVariables], [(model.resumeEpoch ?? -1) + 1]);
    model.resumeEpoch = resume > 0 ? resume - 1 : null;
    this.currentEpoch = model.resumeEpoch ?? 0;
  }

  private async restoreOrPrevious(): Promise<void> {
    try {
      await this.restore();
    } catch (e) {
      // A kill while the latest backup was written: fall back to the previous one, when kept.
      if (!fs.existsSync(`${this.weightsPath}.bkp`)) throw e;
      fs.copyFileSync(`${this.weightsPath}.bkp`, this.weightsPath);
      if (fs.existsSync(`${this.metadataPath}.bkp`)) fs.copyFileSync(`${this.metadataPath}.bkp`, this.metadataPath);
      else fs.rmSync(this.metadataPath, { force: true });
      await this.restore();
    }
  }

  private async restore(): Promise<void> {
    const model = this.backedUpModel;
    if (!model.built) {
      throw new RangeError(
        `To use the BackupAndRestore callback, your model must be built before you call \`fit()\`. Model ${model.name} is unbuilt. ` +
          'You can build it beforehand by calling it on a batch of data.',
      );
    }
    if (fs.existsSync(this.weightsPath)) await model.loadWeights(this.weightsPath);
    if (fs.existsSync(this.metadataPath)) {
      let epoch: unknown;
      try {
        epoch = (JSON.parse(fs.readFileSync(this.metadataPath, 'utf8')) as { epoch?: unknown }).epoch;
      } catch (e) {
        throw new DataLossError(`The backup's ${this.metadataPath} is not valid JSON: ${(e as Error).message}`);
      }
      if (!Number.isInteger(epoch) || (epoch as number) < 0) throw new DataLossError(`The backup's ${this.metadataPath} holds no epoch`);
      model.resumeEpoch = epoch as number;
      this.currentEpoch = epoch as number;
    }
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.currentEpoch = epoch + 1;
    this.lastBatchSeen = 0;
    if (this.saveFreq === 'epoch') await this.save();
  }

  override async onTrainBatchEnd(batch: number): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceLastSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceLastSave >= this.saveFreq) {
      this.batchesSinceLastSave = 0;
      await this.save();
    }
  }

  private async save(): Promise<void> {
    if (!this.writes) return;
    fs.mkdirSync(this.backupDir, { recursive: true });
    if (this.doubleCheckpoint && fs.existsSync(this.weightsPath)) fs.copyFileSync(this.weightsPath, `${this.weightsPath}.bkp`);
    if (this.doubleCheckpoint && fs.existsSync(this.metadataPath)) fs.copyFileSync(this.metadataPath, `${this.metadataPath}.bkp`);
    // Weights first: metadata naming an epoch whose weights were not written would skip training.
    await this.backedUpModel.saveWeights(this.weightsPath);
    const metadata = JSON.stringify({ epoch: this.currentEpoch, batch: this.lastBatchSeen });
    await replaceFileAtomically(this.metadataPath, (temporary) => fs.writeFileSync(temporary, metadata));
  }

  override onTrainEnd(): void {
    if (this.deleteCheckpoint && this.writes && fs.existsSync(this.backupDir)) fs.rmSync(this.backupDir, { recursive: true, force: true });
  }
}
