import * as path from 'node:path';
import { initScope } from '../../function';
import { SummaryWriter } from '../../summary/summary_writer';
import type { Variable } from '../../variable';
import { serializeKerasObject } from '../saving/serialization_lib';
import {
  booleanOption,
  checkClassOptions,
  describeValue,
  nonNegativeInteger,
  type OptionsClass,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../utils/argument_validation';
import { Callback, type CallbackModel, type Logs } from './callback';

export interface TensorBoardOptions {
  /** Where the events files go: `<logDir>/train` and `<logDir>/validation`. Default 'logs'. */
  logDir?: string;
  /** Every this many epochs, a histogram of each weight (0: none). Default 0. */
  histogramFreq?: number;
  /** The model's Keras config (the conceptual graph) and the train step's GraphDef, for the Graphs tab. Default true. */
  writeGraph?: boolean;
  /** Not supported (weights as images); only false. */
  writeImages?: boolean;
  /** Also log `steps_per_second` per epoch (and per batch with batch-level updates). Default false. */
  writeStepsPerSecond?: boolean;
  /** 'epoch': epoch summaries only; 'batch' or N: also `batch_*` scalars every N train batches. Default 'epoch'. */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Not supported (profiling); only 0. */
  profileBatch?: number;
  /** Not supported (there is no Embedding layer); only 0. */
  embeddingsFreq?: number;
  /** Not supported; only null. */
  embeddingsMetadata?: null;
}

/** The model as TensorBoard reads it (a keras Model). */
interface TensorBoardModel extends CallbackModel {
  readonly name: string;
  readonly layers: readonly { readonly weights: Variable[]; weightPath(variable: Variable): string }[];
  readonly inputs: readonly unknown[];
  readonly trainFunction?: { graphDef(): Uint8Array | undefined } | null;
  readonly optimizer: CallbackModel['optimizer'] & { iterations?: { numpy(): number } };
}

/** Seconds, as Python's time.time(). */
function seconds(): number {
  return performance.now() / 1000;
}

/**
 * Writes TensorBoard events files (Keras' `keras.callbacks.TensorBoard`), in Keras 3's layout and
 * tags: `<logDir>/train` gets `epoch_<key>` scalars at step `epoch` for every training log key
 * and `learning_rate`, `batch_<key>` scalars at the global batch number (1-based) with
 * batch-level updates, `<weight path>/histogram` histograms, the model's config (tag `keras`) and
 * the train step's graph; `<logDir>/validation` gets the `val_` keys as `epoch_<key>` and
 * `evaluation_<key>_vs_iterations` at the optimizer's iteration count after each evaluation.
 * Events are buffered and written at each epoch's end and at the end of training.
 */
const OPTIONS = [
  'logDir',
  'histogramFreq',
  'writeGraph',
  'writeImages',
  'writeStepsPerSecond',
  'updateFreq',
  'profileBatch',
  'embeddingsFreq',
  'embeddingsMetadata',
] as const;

export class TensorBoard extends Callback {
  static readonly optionKeys: readonly string[] = OPTIONS;
  /** Keras' parameters in its order: every option can also be given positionally. */
  static readonly positional: readonly string[] = OPTIONS;
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly writeGraph: boolean;
  readonly writeStepsPerSecond: boolean;
  /** 'epoch', or write batch summaries every this many train batches ('batch' is 1). */
  readonly updateFreq: 'epoch' | number;
  /** Train batches seen in this fit(), the step of batch summaries (counted only when they are written). */
  globalTrainBatch = 0;
  private writers: { train?: SummaryWriter; validation?: SummaryWriter } = {};
  private shouldWriteModelConfig = false;
  private shouldWriteTrainGraph = false;
  private training = false;
  private batchStartTime = 0;
  private epochStartTime = 0;
  private previousEpochIterations = 0;

  constructor(...args: PositionalArgs<TensorBoardOptions, typeof OPTIONS>) {
    super();
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    this.logDir = stringOption('logDir', o.logDir ?? 'logs');
    this.histogramFreq = nonNegativeInteger('histogramFreq', o.histogramFreq ?? 0);
    this.writeGraph = booleanOption('writeGraph', o.writeGraph ?? true);
    this.writeStepsPerSecond = booleanOption('writeStepsPerSecond', o.writeStepsPerSecond ?? false);
    const updateFreq = o.updateFreq ?? 'epoch';
    if (updateFreq === 'epoch') this.updateFreq = 'epoch';
    else if (updateFreq === 'batch') this.updateFreq = 1;
    else if (Number.isInteger(updateFreq) && (updateFreq as number) > 0) this.updateFreq = updateFreq as number;
    else {
      throw new RangeError(
        `\`updateFreq\` must be 'epoch', 'batch' or a positive integer. Received: updateFreq=${describeValue(updateFreq)}`,
      );
    }
    const unsupported: [string, unknown, unknown][] = [
      ['writeImages', o.writeImages, false],
      ['profileBatch', o.profileBatch, 0],
      ['embeddingsFreq', o.embeddingsFreq, 0],
      ['embeddingsMetadata', o.embeddingsMetadata, null],
    ];
    for (const [name, value, only] of unsupported) {
      if (value !== undefined && value !== only) {
        throw new TypeError(
          `TensorBoard \`${name}\` is not supported by tf-napi; it can only be ${describeValue(only)}. Received: ${name}=${describeValue(value)}`,
        );
      }
    }
    // Batch hooks only when batch summaries are written: fit() skips callbacks without them, so
    // epoch-level logging costs nothing per step.
    if (this.updateFreq !== 'epoch') {
      this.onTrainBatchBegin = () => this.trainBatchBegin();
      this.onTrainBatchEnd = (_batch, logs) => this.trainBatchEnd(logs);
    }
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    this.closeWriters();
    this.shouldWriteModelConfig = this.writeGraph;
    this.shouldWriteTrainGraph = this.writeGraph;
  }

  private get tbModel(): TensorBoardModel {
    return this.model as TensorBoardModel;
  }

  private get trainWriter(): SummaryWriter {
    this.writers.train ??= new SummaryWriter(path.join(this.logDir, 'train'));
    return this.writers.train;
  }

  private get validationWriter(): SummaryWriter {
    this.writers.validation ??= new SummaryWriter(path.join(this.logDir, 'validation'));
    return this.writers.validation;
  }

  private closeWriters(): void {
    const { train, validation } = this.writers;
    this.writers = {};
    try {
      train?.close();
    } finally {
      validation?.close();
    }
  }

  private flushWriters(): void {
    this.writers.train?.flush();
    this.writers.validation?.flush();
  }

  /** Keras' keras_model_summary: the model's config as JSON (tag 'keras'), for the conceptual graph; Sequential models only here. */
  private writeModelConfig(): void {
    if (!this.shouldWriteModelConfig) return;
    this.shouldWriteModelConfig = false;
    let json: string;
    try {
      const serialized = serializeKerasObject(this.tbModel as never);
      if (serialized.class_name !== 'Sequential') return;
      json = JSON.stringify(serialized);
    } catch (e) {
      process.emitWarning(`Model failed to serialize as JSON. Ignoring... ${(e as Error).message}`);
      return;
    }
    this.trainWriter.write('keras', { dtype: 'DT_STRING', tensorShape: {}, stringVal: [Buffer.from(json, 'utf8')] }, 0, {
      pluginData: { pluginName: 'graph_keras_model', content: Buffer.from('1') },
    });
  }

  override onTrainBegin(): void {
    this.training = true;
    this.globalTrainBatch = 0;
    this.previousEpochIterations = 0;
    this.writeModelConfig();
  }

  override onTrainEnd(): void {
    this.training = false;
    this.closeWriters();
  }

  override onTestBegin(): void {
    this.writeModelConfig();
  }

  override onTestEnd(logs: Logs = {}): void {
    const iterations = this.tbModel.optimizer?.iterations;
    if (iterations !== undefined) {
      const step = iterations.numpy();
      for (const [name, value] of Object.entries(logs)) this.validationWriter.scalar(`evaluation_${name}_vs_iterations`, value, step);
    }
    // A standalone evaluate() ends here; inside fit() the epoch's end flushes.
    if (!this.training) this.closeWriters();
  }

  /** Counts train batches (the step of batch summaries) and times them; installed only for batch-level summaries. */
  private trainBatchBegin(): void {
    this.globalTrainBatch += 1;
    if (this.writeStepsPerSecond) this.batchStartTime = seconds();
  }

  /** Writes the batch summaries of every `updateFreq`-th train batch. */
  private trainBatchEnd(logs?: Logs): void {
    if (this.updateFreq === 'epoch' || this.globalTrainBatch % this.updateFreq !== 0) return;
    const step = this.globalTrainBatch;
    const writer = this.trainWriter;
    if (this.writeStepsPerSecond) writer.scalar('batch_steps_per_second', 1 / (seconds() - this.batchStartTime), step);
    for (const [name, value] of Object.entries(logs ?? {})) writer.scalar(`batch_${name}`, value, step);
  }

  /** The train step's GraphDef, once: after the first epoch, so it holds every trace that epoch made. */
  private writeTrainGraph(): void {
    if (!this.shouldWriteTrainGraph) return;
    this.shouldWriteTrainGraph = false;
    const graphDef = this.tbModel.trainFunction?.graphDef();
    if (graphDef !== undefined) this.trainWriter.graph(graphDef);
  }

  override onEpochBegin(): void {
    if (this.writeStepsPerSecond) {
      this.previousEpochIterations = this.tbModel.optimizer.iterations?.numpy() ?? 0;
      this.epochStartTime = seconds();
    }
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.writeTrainGraph();
    this.logEpochMetrics(epoch, logs);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) this.logWeights(epoch);
    this.flushWriters();
  }

  private logEpochMetrics(epoch: number, logs: Logs): void {
    const entries = Object.entries(logs);
    if (entries.length === 0) return;
    const trainLogs: Logs = Object.fromEntries(entries.filter(([key]) => !key.startsWith('val_')));
    const validationLogs = entries.filter(([key]) => key.startsWith('val_'));
    trainLogs.learning_rate = this.model.optimizer.learningRate.numpy();
    if (this.writeStepsPerSecond) {
      const iterations = this.tbModel.optimizer.iterations?.numpy() ?? 0;
      trainLogs.steps_per_second = (iterations - this.previousEpochIterations) / (seconds() - this.epochStartTime);
    }
    for (const [name, value] of Object.entries(trainLogs)) this.trainWriter.scalar(`epoch_${name}`, value, epoch);
    for (const [name, value] of validationLogs) this.validationWriter.scalar(`epoch_${name.slice('val_'.length)}`, value, epoch);
  }

  /**
   * A histogram of every weight of every layer, tagged with Keras 3's weight path: the model's name
   * first for a Sequential or subclassed model (whose layers are built in its name scope), not
   * for a functional one.
   */
  private logWeights(epoch: number): void {
    const model = this.tbModel;
    const isSequential = typeof (model as { add?: unknown }).add === 'function';
    const prefix = isSequential || model.inputs.length === 0 ? `${model.name}/` : '';
    const writer = this.trainWriter;
    for (const layer of model.layers) {
      for (const weight of layer.weights) {
        const value = initScope(() => weight.value());
        try {
          writer.histogram(`${prefix}${layer.weightPath(weight).replaceAll(':', '_')}/histogram`, value, epoch);
        } finally {
          value.dispose();
        }
      }
    }
  }
}
