// compile/fit/evaluate. The train step is one tf.function — forward pass under a GradientTape, the
// loss, the loss tracker, gradients, optimizer.applyGradients, the compiled metrics — returning
// the running metric values, so each batch is one session run; the test step likewise.
import { tfFunction, TracedFunction } from '../../function';
import { GradientTape } from '../../gradient_tape';
import { Cast, Pack, Shape as ShapeOp, StridedSlice, Sum } from '../../ops/generated';
import { int32Vector } from '../../ops/convert';
import { isFloating } from '../../dtypes';
import { Shape, Tensor } from '../../tensor';
import type { Callback, Logs } from '../callbacks';
import { pythonFloatRepr } from '../callbacks/python_float_repr';
import { get as getLoss, Loss, LossIdentifier } from '../losses';
import { get as getMetric, Mean, Metric, MetricIdentifier } from '../metrics';
import type { Model } from '../models/model';
import { get as getOptimizer, Optimizer, OptimizerIdentifier, zip } from '../optimizers';
import { checkOptions, isPlainObject } from '../utils/argument_validation';
import { CallbackList } from '../callbacks/callback_list';
import { HostArray } from '../../host_data';
import {
  ArrayData,
  ArraySource,
  Batch,
  BatchDataset,
  CLASS_AND_SAMPLE_WEIGHT,
  ClassWeight,
  checkClassWeight,
  classWeightsOf,
  checkSameSamples,
  DataSource,
  DataLayout,
  DatasetSource,
  isDataset,
  ModelData,
  toHostArrays,
  StepLimitedSource,
  withSteps,
  toHostArray,
} from './data_adapter';
import type { History } from '../callbacks/history';
import { runBatches, StepPacer } from './loop';
import { StepFunction } from './step_function';
import { StepLogs } from './step_logs';
import {
  DeviceReplicaStrategy,
  TrainingStrategy,
  currentDeviceReplicaStrategy,
  currentTrainingStrategy,
} from '../../distribute/distribution_context';
import { MulNoNan, RealDiv, Reshape } from '../../ops/generated';
import { readingAs } from '../../distribute/sync_on_read';
import { LossSpec, LossWeights, MetricsSpec, MultiOutputCompile } from './compile_loss';
import { IOStructure, packNest } from '../models/io_structure';
import type { ModelIO } from '../models/model';
import { layoutOf } from './predict';

export interface CompileOptions {
  optimizer: OptimizerIdentifier;
  /**
   * Optional only for a model whose own trainStep/testStep compute their loss (Keras' customized fit).
   * With several outputs: one loss for each, a list in output order, or a dict by output name.
   */
  loss?: LossSpec;
  /** Several outputs: each output's loss weight (a list, or a dict by output name); the total loss is the weighted sum. */
  lossWeights?: LossWeights;
  /**
   * e.g. ['accuracy'] (resolved from the targets' and outputs' shapes, as in Keras), 'mae', metric
   * objects; with several outputs a list per output ([['mae'], ['mse']]) or a dict by output name.
   */
  metrics?: MetricsSpec;
  /** Metrics that the sample weights (sampleWeight, classWeight) weigh; `metrics` never are. */
  weightedMetrics?: MetricsSpec;
}

export interface FitOptions {
  /** Samples per step (default 32); not for datasets, which are already batched. */
  batchSize?: number;
  epochs?: number;
  /** 0 silent, 1 progress bar (the default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly Callback[];
  /** The last fraction of (x, y), taken before shuffling, to validate on. */
  validationSplit?: number;
  /** [xVal, yVal], [xVal, yVal, sampleWeightVal], or a dataset of [x, y] (or [x, y, sampleWeight]) batches. */
  validationData?: readonly [ModelData, ModelData] | readonly [ModelData, ModelData, ArrayData] | BatchDataset;
  validationBatchSize?: number;
  /** Reshuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** The epoch to start at (for resuming). */
  initialEpoch?: number;
  /** Batches per epoch, drawn from one pass over the data that continues across epochs (needed for a dataset that repeats forever). */
  stepsPerEpoch?: number;
  /** Batches per validation, each validation from the start of the validation data. */
  validationSteps?: number;
  /** Validate every `validationFreq` epochs, or after the (1-based) epochs listed. */
  validationFreq?: number | readonly number[];
  /** One weight per sample (or per sample and timestep), weighing the loss and the weightedMetrics; not with a dataset. */
  sampleWeight?: ModelData;
  /** {classIndex: weight}: each sample weighs its class's weight (1 for classes not listed). */
  classWeight?: ClassWeight;
}

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: readonly Callback[];
  /** Return {loss, metric: value} instead of a number or list. */
  returnDict?: boolean;
  /** Batches to evaluate (needed for a dataset that repeats forever). */
  steps?: number;
  /** One weight per sample, weighing the loss and the weightedMetrics; not with a dataset. */
  sampleWeight?: ModelData;
}

type StepKind = 'train' | 'test';

/** One batch as a step gets it: Keras' `data`, [x, y] or [x, y, sampleWeight]. */
export type StepData = readonly [x: Tensor, y: Tensor, sampleWeight?: Tensor];

/** Keras' compute_loss arguments. */
export interface ComputeLossArguments {
  x?: Tensor;
  y: Tensor;
  yPred: Tensor;
  sampleWeight?: Tensor;
  training?: boolean;
}

const COMPILE_OPTIONS = ['optimizer', 'loss', 'lossWeights', 'metrics', 'weightedMetrics'];
const FIT_OPTIONS = [
  'batchSize',
  'epochs',
  'verbose',
  'callbacks',
  'validationSplit',
  'validationData',
  'validationBatchSize',
  'shuffle',
  'initialEpoch',
  'stepsPerEpoch',
  'validationSteps',
  'validationFreq',
  'sampleWeight',
  'classWeight',
];
const EVALUATE_OPTIONS = ['batchSize', 'verbose', 'callbacks', 'returnDict', 'steps', 'sampleWeight'];

/** Keras' _should_eval: every `freq` epochs, or the (1-based) epochs listed. */
function validationSchedule(freq: unknown): (epoch: number) => boolean {
  if (typeof freq === 'number' && Number.isInteger(freq) && freq > 0) return (epoch) => (epoch + 1) % freq === 0;
  if (Array.isArray(freq) && freq.every((e) => Number.isInteger(e) && e > 0)) return (epoch) => freq.includes(epoch + 1);
  throw new TypeError(
    `Expected \`validationFreq\` to be a positive integer or a list of them. Received: validationFreq=${JSON.stringify(freq)}`,
  );
}

function isAccuracyName(identifier: MetricIdentifier): identifier is string {
  return typeof identifier === 'string' && ['accuracy', 'acc'].includes(identifier.toLowerCase());
}

function positiveInteger(name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) <= 0)
    throw new RangeError(`\`${name}\` must be a positive integer. Received: ${name}=${String(value)}`);
  return value as number;
}

function checkVerbose(verbose: unknown): 0 | 1 | 2 {
  if (verbose !== 0 && verbose !== 1 && verbose !== 2)
    throw new RangeError(`\`verbose\` must be 0, 1 or 2. Received: verbose=${String(verbose)}`);
  return verbose;
}

/** The batch size of `x` inside a step (Keras: `tf.shape(x)[0]`). */
function batchSizeOf(x: Tensor): Tensor {
  return StridedSlice({ input: ShapeOp({ input: x }), begin: [0], end: [1], strides: [1], shrinkAxisMask: 1 });
}

/** Keras' message for sample weights given beside a dataset (a ValueError there). */
const DATASET_SAMPLE_WEIGHT =
  'When providing `x` as a dataset, `sampleWeight` should not be passed. Instead, the sample weights should be included as part of the dataset (its third element).';

/** A batch as the step function's inputs: (...xs, ...ys), then the sample weights if any. */
function stepInputs(batch: Batch): Tensor[] {
  const inputs = [...(batch.xs ?? [batch.x]), ...(batch.ys ?? [batch.y as Tensor])];
  if (batch.sampleWeights !== undefined) return [...inputs, ...batch.sampleWeights];
  return batch.sampleWeight === undefined ? inputs : [...inputs, batch.sampleWeight];
}

/** The first tensor of a model input: one tensor, a list or a dict. */
function firstTensor(x: ModelIO): Tensor {
  if (x instanceof Tensor) return x;
  return (Array.isArray(x) ? x[0] : Object.values(x)[0]) as Tensor;
}

/** `value` (one tensor, a list or a dict) in `structure`'s flat order. */
function flatOf(value: ModelIO, structure: IOStructure): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return [...value];
  const dict = value as Record<string, Tensor>;
  return structure.kind === 'dict' ? structure.keys.map((k) => dict[k]) : structure.names.map((k) => dict[k]);
}

/** Splits fit/evaluate's (x, y, options) or (dataset, options) arguments. */
function parseArguments<O extends object>(
  x: ModelData | BatchDataset,
  y: ModelData | O | undefined,
  options: O,
): { x: ModelData | BatchDataset; y?: ModelData; options: O } {
  if (isDataset(x)) {
    if (y !== undefined && (typeof y !== 'object' || y === null || Array.isArray(y) || ArrayBuffer.isView(y) || y instanceof Tensor)) {
      throw new TypeError('`y` must not be given when `x` is a dataset (it yields [x, y] batches)');
    }
    return { x, options: (y as O | undefined) ?? options };
  }
  return { x, y: y as ModelData | undefined, options };
}

/** fit's or evaluate's arguments checked before anything runs (also before waiting for a run in flight). */
export function checkArguments(kind: 'fit' | 'evaluate', x: ModelData | BatchDataset, y: unknown, options: object): void {
  const parsed = parseArguments(x, y as ModelData | object | undefined, options);
  checkOptions(`${kind}()`, parsed.options, kind === 'fit' ? FIT_OPTIONS : EVALUATE_OPTIONS);
}

export class Trainer {
  readonly optimizer: Optimizer;
  /** The compiled loss; a model whose own trainStep computes its loss may compile without one. */
  readonly loss: Loss | undefined;
  /** A model with several outputs (or a dict of them): per-output losses and metrics (Keras' CompileLoss). */
  private readonly multi: MultiOutputCompile | null;
  /** Whether a train step has been made (so the optimizer has its slots). */
  optimizerBuilt = false;
  private readonly lossTracker = new Mean({ name: 'loss' });
  /** Compiled metrics; 'accuracy' stays a name until the first step sees the shapes. */
  private readonly metricSlots: (Metric | string)[];
  /** Compiled weightedMetrics, likewise. */
  private readonly weightedSlots: (Metric | string)[];
  private readonly steps: Record<StepKind, StepFunction<Tensor[], Record<string, Tensor>>>;
  private reset?: { metrics: number; fn: TracedFunction<[], null> };
  /** Every metric's result by its log key, in a run of its own: the logs of a step run for its effects only. */
  private results?: { metrics: number; fn: TracedFunction<[], Record<string, Tensor>> };
  /** The strategy whose scope compile() ran in (Keras' model.distribute_strategy), null for none. */
  readonly strategy: TrainingStrategy | null = currentTrainingStrategy();
  /** A MirroredStrategy's replicas on this process's devices, or null. */
  private readonly deviceReplicas: DeviceReplicaStrategy | null = currentDeviceReplicaStrategy();

  /** Keras' model.distribute_strategy: either kind, or null. */
  get distributeStrategy(): TrainingStrategy | DeviceReplicaStrategy | null {
    return this.strategy ?? this.deviceReplicas;
  }
  private broadcasted = false;

  constructor(
    private readonly model: Model,
    options: CompileOptions,
  ) {
    checkOptions('compile()', options, COMPILE_OPTIONS);
    this.optimizer = getOptimizer(options.optimizer);
    const { inputs, outputs } = layoutOf(model);
    if (outputs.kind !== 'single') {
      this.multi = new MultiOutputCompile(outputs, options.loss, options.lossWeights, options.metrics, options.weightedMetrics);
      this.loss = undefined;
      this.metricSlots = [];
      this.weightedSlots = [];
    } else {
      if (options.lossWeights !== undefined) {
        if (!Array.isArray(options.lossWeights) || options.lossWeights.length !== 1 || typeof options.lossWeights[0] !== 'number')
          throw new TypeError(
            `\`lossWeights\` of a model with one output must be [weight]. Received: lossWeights=${JSON.stringify(options.lossWeights)}`,
          );
      }
      this.multi = null;
      this.loss = options.loss === undefined || options.loss === null ? undefined : getLoss(options.loss as LossIdentifier);
      const slots = (what: string, metrics: unknown): (Metric | string)[] => {
        if (!Array.isArray(metrics)) throw new TypeError(`\`${what}\` must be an array. Received: ${what}=${String(metrics)}`);
        return metrics.map((m) => (isAccuracyName(m) ? m : getMetric(m)));
      };
      this.metricSlots = slots('metrics', options.metrics ?? []);
      this.weightedSlots = slots('weightedMetrics', options.weightedMetrics ?? []);
    }
    // The model's own steps, so a subclass that overrides trainStep/testStep customizes fit/evaluate;
    // every input and target, and the sample weights when there are any, are inputs of the same one session run.
    const nx = inputs.names.length;
    const ny = outputs.names.length;
    const data = (args: Tensor[]): StepData => {
      const pack = (flat: Tensor[], structure: IOStructure) => (structure.kind === 'single' ? flat[0] : packNest(flat, structure));
      const x = pack(args.slice(0, nx), inputs) as Tensor;
      const y = pack(args.slice(nx, nx + ny), outputs) as Tensor;
      // Sample weights: none, one for every output, or one per output (a list, in flat order).
      const weights = args.slice(nx + ny);
      if (weights.length === 0) return [x, y];
      return [x, y, (weights.length === 1 ? weights[0] : weights) as Tensor];
    };
    this.steps = {
      train: new StepFunction(model, 'train', (...args: Tensor[]) => this.model.trainStep(data(args))),
      test: new StepFunction(model, 'test', (...args: Tensor[]) => this.model.testStep(data(args))),
    };
  }

  /** The model's inputs and outputs as data takes them (read when used: a deferred Sequential gets its inputs at its first fit). */
  private get layout(): DataLayout {
    return layoutOf(this.model);
  }

  /** The traced train step fit() runs per batch (Keras' `train_function`). */
  get trainFunction(): TracedFunction<Tensor[], Record<string, Tensor>> {
    return this.steps.train.function;
  }

  /** The loss tracker, then the compiled metrics and weighted metrics that are resolved. */
  get metrics(): Metric[] {
    if (this.multi !== null) return [this.lossTracker, ...this.multi.metrics];
    return [this.lossTracker, ...[...this.metricSlots, ...this.weightedSlots].filter((m): m is Metric => m instanceof Metric)];
  }

  /** Frees the traced steps and the metrics (the optimizer is the model's to dispose: it may be shared). */
  dispose(): void {
    this.steps.train.dispose();
    this.steps.test.dispose();
    this.reset?.fn.dispose();
    this.results?.fn.dispose();
    for (const metric of this.metrics) metric.dispose();
  }

  /** Resolves 'accuracy' from the shapes (Keras' get_metric), once. */
  private compiledMetrics(yTrueShape: Shape, yPredShape: Shape): { metrics: Metric[]; weighted: Metric[] } {
    for (const slots of [this.metricSlots, this.weightedSlots]) {
      slots.forEach((slot, i) => {
        if (typeof slot === 'string') slots[i] = getMetric(slot, yTrueShape, yPredShape);
      });
    }
    return { metrics: this.metricSlots as Metric[], weighted: this.weightedSlots as Metric[] };
  }

  /**
   * The log key of each metric (Keras' CompileMetrics.result): its name, `name_1`... for a repeated
   * one, and `weighted_name` for a weighted metric whose name an unweighted one has.
   */
  private logNames(): Map<Metric, string> {
    const names = new Map<Metric, string>([[this.lossTracker, this.lossTracker.name]]);
    if (this.multi !== null) {
      for (const [m, name] of this.multi.logNames()) names.set(m, name);
      return names;
    }
    const counters = new Map<string, number>();
    const unique = (name: string) => {
      const index = counters.get(name);
      counters.set(name, (index ?? 0) + 1);
      return index === undefined ? name : `${name}_${index}`;
    };
    for (const m of this.metricSlots) if (m instanceof Metric) names.set(m, unique(m.name));
    for (const m of this.weightedSlots) {
      if (m instanceof Metric) names.set(m, counters.has(m.name) ? unique(`weighted_${m.name}`) : unique(m.name));
    }
    return names;
  }

  /** Keras' _flatten_metrics_in_order: the loss and each compiled metric by its own name (repeats included), then the other logs sorted. */
  private flattenInOrder(logs: Logs): number | number[] {
    const names = this.model.metrics.map((m) => m.name);
    const values = [
      ...names.filter((name) => name in logs).map((name) => logs[name] as number),
      ...Object.keys(logs)
        .filter((key) => !names.includes(key))
        .sort()
        .map((key) => logs[key] as number),
    ];
    return values.length === 1 ? values[0] : values;
  }

  /** Keras' default train_step: forward under a tape, compute_loss, the loss tracker, the update, compute_metrics. */
  trainStep([x, y, sampleWeight]: StepData): Record<string, Tensor> {
    if (this.deviceReplicas !== null) return this.replicatedStep(true, [x, y, sampleWeight]);
    const tape = new GradientTape();
    const { yPred, loss, scaledLoss } = tape.record(() => {
      const output = this.model.apply(x, { training: true });
      const loss = this.model.computeLoss({ x, y, yPred: output, sampleWeight, training: true });
      // Keras' train_step differentiates optimizer.scale_loss(loss); the tracker gets the loss itself.
      return { yPred: output, loss, scaledLoss: this.optimizer.scaleLoss(loss) };
    });
    const variables = this.model.trainableVariables;
    if (this.distributed && variables.length > 0) {
      // The compiled metrics update first (they need only yPred), so their states join the gradients' one all-reduce.
      const logs = this.model.computeMetrics(x, y, yPred, sampleWeight);
      const synced = this.syncAcrossReplicas(loss, batchSizeOf(firstTensor(x)), tape.gradient(scaledLoss, variables), logs);
      this.optimizer.applyGradients(zip(synced.gradients, variables));
      this.optimizerBuilt = true;
      return synced.logs;
    }
    this.lossTracker.updateState(loss, batchSizeOf(firstTensor(x)));
    if (variables.length > 0) {
      this.optimizer.applyGradients(zip(tape.gradient(scaledLoss, variables), variables));
      this.optimizerBuilt = true;
    } else {
      process.emitWarning('The model does not have any trainable weights.');
    }
    return this.model.computeMetrics(x, y, yPred, sampleWeight);
  }

  /** Whether compile() ran under a strategy of several replicas. */
  private get distributed(): boolean {
    return this.strategy !== null && this.strategy.numReplicasInSync > 1;
  }

  /**
   * One packed all-reduce per step: each replica's mean gradients and loss times its sample count, the
   * count, and the compiled metrics' states. Dividing by the summed count gives the global batch's mean
   * (unequal parts, the last batch, weigh right; an empty part adds zeros, MulNoNan). The loss tracker
   * gets the global loss; each compiled metric's log is its result over the summed states (Keras' SUM
   * SyncOnRead read), so every worker logs what one process with the global batch would.
   */
  private syncAcrossReplicas(
    loss: Tensor,
    batchSize: Tensor,
    gradients: readonly (Tensor | null)[],
    logs: Record<string, Tensor>,
  ): { gradients: (Tensor | null)[]; logs: Record<string, Tensor> } {
    const strategy = this.strategy as TrainingStrategy;
    const cast = (t: Tensor, dtype: Tensor['dtype']) => (t.dtype === dtype ? t : Cast({ x: t, DstT: dtype } as Parameters<typeof Cast>[0]));
    const n = cast(batchSize, loss.dtype);
    const present = gradients.filter((g): g is Tensor => g !== null);
    const names = this.logNames();
    const synced = this.model.metrics.filter((m) => m !== this.lossTracker && names.has(m) && names.get(m)! in logs);
    const states = synced.flatMap((m) => m.variables);
    const reduced = strategy.allReduceValues([
      ...present.map((g) => MulNoNan({ x: g, y: cast(n, g.dtype) })),
      Reshape({ tensor: MulNoNan({ x: loss, y: n }), shape: [1] }),
      Reshape({ tensor: n, shape: [1] }),
      ...states.map((v) => v.value()),
    ]);
    const total = Reshape({ tensor: reduced[present.length + 1], shape: [] });
    this.lossTracker.updateState(RealDiv({ x: Reshape({ tensor: reduced[present.length], shape: [] }), y: total }), total);
    const globalLogs = { ...logs };
    const trackerName = names.get(this.lossTracker) as string;
    if (trackerName in globalLogs) globalLogs[trackerName] = this.lossTracker.result();
    let next = present.length + 2;
    for (const metric of synced) {
      const values = reduced.slice(next, (next += metric.variables.length));
      globalLogs[names.get(metric) as string] = readingAs(metric.variables, values, () => metric.result());
    }
    let g = 0;
    return {
      gradients: gradients.map((grad) => (grad === null ? null : RealDiv({ x: reduced[g++], y: cast(total, grad.dtype) }))),
      logs: globalLogs,
    };
  }

  /**
   * MirroredStrategy's step: each replica's part of the batch goes through the forward pass, the loss
   * and the gradients on its device and updates the compiled metrics (whose sums are then the global
   * batch's); the count-weighted mean loss and gradients are formed on one device and applied once.
   */
  private replicatedStep(training: boolean, data: StepData): Record<string, Tensor> {
    const strategy = this.deviceReplicas as DeviceReplicaStrategy;
    const variables = training ? this.model.trainableVariables : [];
    let logs: Record<string, Tensor> = {};
    const { results, counts } = strategy.forEachReplica(data, ([x, y, sampleWeight]) => {
      const forward = () => {
        const yPred = this.model.apply(x as Tensor, { training });
        const loss = this.model.computeLoss({ x, y: y as Tensor, yPred, sampleWeight, training });
        return { yPred, loss, scaledLoss: training ? this.optimizer.scaleLoss(loss) : loss };
      };
      const tape = new GradientTape();
      const { yPred, loss, scaledLoss } = variables.length > 0 ? tape.record(forward) : forward();
      const gradients = variables.length > 0 ? tape.gradient(scaledLoss, variables) : [];
      logs = this.model.computeMetrics(x as Tensor, y as Tensor, yPred, sampleWeight);
      return [loss, ...gradients];
    });
    const { means, total } = strategy.weightedMean(results, counts);
    this.lossTracker.updateState(means[0] as Tensor, total);
    if (variables.length > 0) {
      this.optimizer.applyGradients(zip(means.slice(1), variables));
      this.optimizerBuilt = true;
    }
    // Read after every replica's update and the loss tracker's.
    const names = this.logNames();
    const result = { ...logs };
    for (const metric of this.model.metrics) {
      const name = names.get(metric);
      if (name !== undefined && name in result) result[name] = metric.result();
    }
    return result;
  }

  /** Keras' default test_step. */
  testStep([x, y, sampleWeight]: StepData): Record<string, Tensor> {
    if (this.deviceReplicas !== null) return this.replicatedStep(false, [x, y, sampleWeight]);
    const yPred = this.model.apply(x, { training: false });
    if (this.distributed) {
      const loss = this.model.computeLoss({ x, y, yPred, sampleWeight, training: false });
      return this.syncAcrossReplicas(loss, batchSizeOf(firstTensor(x)), [], this.model.computeMetrics(x, y, yPred, sampleWeight)).logs;
    }
    this.lossTracker.updateState(this.model.computeLoss({ x, y, yPred, sampleWeight, training: false }), batchSizeOf(firstTensor(x)));
    return this.model.computeMetrics(x, y, yPred, sampleWeight);
  }

  /** Keras' default compute_loss: the compiled loss of (y, yPred), weighted by the sample weights. */
  computeLoss({ y, yPred, sampleWeight }: ComputeLossArguments): Tensor {
    // Keras: the compiled loss plus each of model.losses (add_loss, regularizers), summed as one stack.
    const extra = this.model.losses.map((l) => {
      const x = isFloating(l.dtype) ? l : Cast({ x: l, DstT: 'float32' });
      return x.rank === 0 ? x : Sum({ input: x, reductionIndices: int32Vector([...x.shape.keys()]) });
    });
    let compiled: Tensor | null = null;
    if (this.multi !== null) {
      const yPreds = flatOf(yPred, this.layout.outputs);
      compiled = this.multi.call(flatOf(y, this.layout.outputs), yPreds, sampleWeight, batchSizeOf(yPreds[0]));
    } else if (this.loss !== undefined) {
      compiled = this.loss.apply(y, yPred, sampleWeight);
    }
    if (compiled === null && extra.length === 0) throw new TypeError('No loss to compute. Provide a `loss` argument in `compile()`.');
    const losses = compiled === null ? extra : [compiled, ...extra];
    if (losses.length === 1) return losses[0];
    const dtype = losses[0].dtype;
    return Sum({ input: Pack({ values: losses.map((l) => (l.dtype === dtype ? l : Cast({ x: l, DstT: dtype }))) }), reductionIndices: 0 });
  }

  /**
   * Keras' default compute_metrics: updates the compiled metrics, and the weighted metrics with the
   * sample weights; every metric's running value by its log key (sorted, as Keras logs).
   */
  computeMetrics(y: Tensor, yPred: Tensor, sampleWeight?: Tensor): Record<string, Tensor> {
    if (this.multi !== null) {
      this.multi.updateMetrics(flatOf(y, this.layout.outputs), flatOf(yPred, this.layout.outputs), sampleWeight);
      const names = this.logNames();
      const entries = this.model.metrics.map((m) => [names.get(m) ?? m.name, m] as const);
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([name, m]) => [name, m.result()]));
    }
    const { metrics, weighted } = this.compiledMetrics(y.shape, yPred.shape);
    for (const metric of metrics) metric.updateState(y, yPred);
    for (const metric of weighted) {
      if (sampleWeight === undefined) metric.updateState(y, yPred);
      else metric.updateState(y, yPred, sampleWeight);
    }
    return this.metricResults();
  }

  /** The model's metrics by their log keys, sorted (Keras logs them sorted). */
  private metricsByKey(): (readonly [string, Metric])[] {
    const names = this.logNames();
    const entries = this.model.metrics.map((m) => [names.get(m) ?? m.name, m] as const);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries;
  }

  /** Every metric's running value by its log key: what the default steps return. */
  private metricResults(): Record<string, Tensor> {
    return Object.fromEntries(this.metricsByKey().map(([name, m]) => [name, m.result()]));
  }

  /**
   * Whether the model's steps return exactly the metrics' results, computed last (Keras' default
   * train_step/test_step and compute_metrics, not overridden): a step then need not fetch them, and
   * a separate run of the results gives the same values when they are read.
   */
  private stepReturnsMetricResults(kind: StepKind): boolean {
    const definitions = (key: string) => {
      let count = 0;
      for (let o: object | null = this.model; o !== null; o = Object.getPrototypeOf(o)) if (Object.hasOwn(o, key)) count += 1;
      return count;
    };
    return definitions(kind === 'train' ? 'trainStep' : 'testStep') === 1 && definitions('computeMetrics') === 1;
  }

  /** The metrics' results in one run (traced again when the set of metrics changes). */
  private resultsFunction(): TracedFunction<[], Record<string, Tensor>> {
    const metrics = this.model.metrics;
    if (this.results?.metrics !== metrics.length) {
      this.results?.fn.dispose();
      const fn = tfFunction<[], Record<string, Tensor>>(() => this.metricResults(), { name: `${this.model.name}_metric_results` });
      this.results = { metrics: metrics.length, fn };
    }
    return this.results.fn;
  }

  /** The traced step for batches like (x, y). */
  private stepFor(kind: StepKind, y: Tensor | undefined): TracedFunction<Tensor[], Record<string, Tensor>> {
    if (y === undefined)
      throw new TypeError(`${kind === 'train' ? 'fit' : 'evaluate'}() needs targets \`y\` (or a dataset of [x, y] batches)`);
    return this.steps[kind].function;
  }

  /** Zeroes every metric in one session run (Keras' reset_metrics). */
  private resetMetrics(): void {
    const metrics = this.model.metrics;
    if (this.reset?.metrics !== metrics.length) {
      const fn = tfFunction<[], null>(
        () => {
          for (const metric of metrics) metric.resetState();
          return null;
        },
        { name: `${this.model.name}_reset_metrics` },
      );
      this.reset = { metrics: metrics.length, fn };
    }
    this.reset.fn();
  }

  /** One pass over `source`; returns the last step's values (the running means), or undefined without data. */
  private async runEpoch(
    kind: StepKind,
    source: DataSource,
    shuffle: boolean,
    callbacks: CallbackList,
    pacer?: StepPacer,
  ): Promise<Logs | undefined> {
    let last: StepLogs | undefined;
    // With Keras' default steps, a step on the main thread whose logs may never be read (not the
    // epoch's last, when the epoch's length is known) fetches nothing; its logs are fetched if and
    // when something reads them (between steps: nothing else runs while a step runs on the main thread).
    // Under a strategy a step's logs are the global results computed in the step: never read later from local states.
    const deferrable = !this.distributed && this.stepReturnsMetricResults(kind) && !callbacks.readsEveryBatchLogs(kind);
    let keys: string[] | undefined;
    let fetching = true;
    const deferred = () => {
      keys ??= this.metricsByKey().map(([name]) => name);
      return new StepLogs(() => this.resultsFunction()(), keys);
    };
    try {
      await runBatches(
        source,
        shuffle,
        {
          before: (step) => {
            fetching = !deferrable || source.steps === null || step >= source.steps - 1;
            return kind === 'train' ? callbacks.onTrainBatchBegin(step) : callbacks.onTestBatchBegin(step);
          },
          run: (batch) => {
            const fn = this.stepFor(kind, batch.y);
            if (fetching) return fn(...stepInputs(batch));
            fn.callForEffects(...stepInputs(batch));
            return undefined;
          },
          // A step on the pool (after one of 10 ms or more) always fetches its logs. With a progress
          // bar, which may redraw while it runs, the last step's deferred logs are fetched before it
          // starts: the metrics' results must not run against the variables the step is updating.
          launch: (batch) => {
            if (callbacks.progbar !== undefined) last?.read();
            return this.stepFor(kind, batch.y).callAsync(...stepInputs(batch));
          },
          after: (outputs, step) => {
            last?.dispose();
            last = outputs === undefined ? deferred() : new StepLogs(outputs);
            const ended = kind === 'train' ? callbacks.onTrainBatchEnd(step, last) : callbacks.onTestBatchEnd(step, last);
            const more = () => !(kind === 'train' && this.model.stopTraining);
            return ended === undefined ? more() : ended.then(more);
          },
        },
        pacer,
      );
      return last === undefined ? undefined : { ...last.read() };
    } finally {
      last?.dispose();
    }
  }

  /** Host data as batches; the sample weights from `sampleWeight`, or from `classWeight` and y. */
  private arraySource(
    x: ModelData,
    y: ModelData | undefined,
    batchSize: number,
    sampleWeight?: ModelData,
    classWeight?: ClassWeight,
  ): ArraySource {
    const { inputs, outputs, inputDTypes } = this.layout;
    const xs = toHostArrays(x, inputs, 'x', inputDTypes);
    const ys = y === undefined ? undefined : toHostArrays(y, outputs, 'y');
    checkSameSamples(xs, ys);
    // Keras: a list or dict of weights (one array per output) weighs each output's loss and weighted metrics.
    const byOutput =
      outputs.names.length > 1 &&
      sampleWeight !== undefined &&
      sampleWeight !== null &&
      ((isPlainObject(sampleWeight) && !('data' in sampleWeight)) ||
        (Array.isArray(sampleWeight) &&
          sampleWeight.length === outputs.names.length &&
          sampleWeight.every((w) => w instanceof Tensor || ArrayBuffer.isView(w) || (Array.isArray(w) && w.length === xs[0].length))));
    if (byOutput) {
      if (classWeight !== undefined) throw new TypeError(CLASS_AND_SAMPLE_WEIGHT);
      const sws = toHostArrays(
        sampleWeight,
        outputs,
        'sampleWeight',
        outputs.names.map(() => 'float32' as const),
      );
      checkSameSamples(xs, sws);
      return new ArraySource(xs, ys, batchSize, sws);
    }
    let sw =
      sampleWeight === undefined || sampleWeight === null ? undefined : toHostArray(sampleWeight as ArrayData, 'sampleWeight', 'float32');
    if (classWeight !== undefined) {
      if (sw !== undefined) throw new TypeError(CLASS_AND_SAMPLE_WEIGHT);
      if (ys === undefined) throw new TypeError('`classWeight` needs targets `y`');
      if (ys.length > 1) throw new TypeError('`classWeight` is only supported for Models with a single output.');
      sw = new HostArray(classWeightsOf(ys[0], classWeight), [ys[0].length], 'float32');
    }
    if (sw !== undefined && sw.length !== xs[0].length) {
      throw new RangeError(
        `Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: ${xs[0].length}\n'sample_weight' sizes: ${sw.length}\n`,
      );
    }
    return new ArraySource(xs, ys, batchSize, sw);
  }

  /** A deferred Sequential (or subclassed model) is built for the data's shape before tracing. */
  private buildFor(source: DataSource): void {
    if (source instanceof ArraySource) this.model.maybeBuild([null, ...source.x.rowShape]);
  }

  private validationSource(data: FitOptions['validationData'], batchSize: number): DataSource {
    if (isDataset(data)) return new DatasetSource(data, this.layout, undefined, this.batchShard);
    if (!Array.isArray(data) || data.length < 2 || data.length > 3)
      throw new TypeError('`validationData` must be [xVal, yVal], [xVal, yVal, sampleWeightVal] or a dataset of [x, y] batches');
    return this.arraySource(data[0], data[1], batchSize, data[2]);
  }

  /** Under a strategy of several replicas: this worker's part of each global batch. */
  private get batchShard(): { index: number; count: number } | undefined {
    return this.distributed ? (this.strategy as TrainingStrategy).batchShard : undefined;
  }

  /** Host arrays cut to this worker's part of each batch (datasets are given the shard when made). */
  private sharded(source: DataSource): DataSource {
    const shard = this.batchShard;
    return shard !== undefined && source instanceof ArraySource ? source.sharded(shard) : source;
  }

  /** Keras' mirrored variables start from the chief's initial values: broadcast before the first step. */
  private broadcastOnce(): void {
    if (this.distributed && !this.broadcasted) {
      (this.strategy as TrainingStrategy).broadcastVariables(this.model.variables);
      this.broadcasted = true;
    }
  }

  async fit(xArg: ModelData | BatchDataset, yArg: ModelData | FitOptions | undefined, optionsArg: FitOptions): Promise<History> {
    // Host data whose unshuffled batches are fed again every epoch keeps them as tensors until fit ends.
    const kept: ArraySource[] = [];
    try {
      return await this.fitSources(xArg, yArg, optionsArg, kept);
    } finally {
      for (const source of kept) source.dispose();
    }
  }

  private async fitSources(
    xArg: ModelData | BatchDataset,
    yArg: ModelData | FitOptions | undefined,
    optionsArg: FitOptions,
    kept: ArraySource[],
  ): Promise<History> {
    const { x, y, options } = parseArguments(xArg, yArg, optionsArg);
    checkOptions('fit()', options, FIT_OPTIONS);
    const { epochs = 1, callbacks = [], validationSplit = 0, validationData, shuffle = true, initialEpoch = 0 } = options;
    const verbose = checkVerbose(options.verbose ?? 1);
    if (!Number.isInteger(epochs) || epochs < 0)
      throw new RangeError(`\`epochs\` must be a non-negative integer. Received: epochs=${String(epochs)}`);
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
      throw new RangeError(`\`initialEpoch\` must be a non-negative integer. Received: initialEpoch=${String(initialEpoch)}`);
    // Checked before use: NaN would be skipped as falsy and '0.25' coerced, both silently.
    if (typeof validationSplit !== 'number') {
      throw new TypeError(`\`validationSplit\` must be a number in [0, 1). Received: validationSplit=${JSON.stringify(validationSplit)}`);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new RangeError(`\`validationSplit\` must be a number in [0, 1). Received: validationSplit=${String(validationSplit)}`);
    }
    const classWeight =
      options.classWeight === undefined || options.classWeight === null ? undefined : checkClassWeight(options.classWeight);
    let train: DataSource;
    let validation: DataSource | undefined;
    if (isDataset(x)) {
      if (options.batchSize !== undefined)
        throw new TypeError('`batchSize` must not be given with a dataset: its elements are batches already');
      if (options.sampleWeight !== undefined) throw new TypeError(DATASET_SAMPLE_WEIGHT);
      if (validationSplit) {
        throw new TypeError(
          `\`validation_split\` is only supported for tensors or arrays, not datasets. Received: validationSplit=${pythonFloatRepr(validationSplit)}`,
        );
      }
      if (classWeight !== undefined && this.layout.outputs.names.length > 1)
        throw new TypeError('`classWeight` is only supported for Models with a single output.');
      train = new DatasetSource(x, this.layout, classWeight, this.batchShard);
    } else {
      const batchSize = positiveInteger('batchSize', options.batchSize ?? 32);
      const source = this.arraySource(x, y, batchSize, options.sampleWeight, classWeight);
      if (validationSplit && validationData === undefined) {
        [train, validation] = source.split(
          validationSplit,
          positiveInteger('validationBatchSize', options.validationBatchSize ?? batchSize),
        );
      } else {
        train = source;
      }
    }
    if (validationData !== undefined)
      validation = this.validationSource(
        validationData,
        positiveInteger('validationBatchSize', options.validationBatchSize ?? options.batchSize ?? 32),
      );
    this.buildFor(train);
    train = this.sharded(train);
    if (validation !== undefined) validation = this.sharded(validation);
    this.broadcastOnce();
    for (const source of [train, validation]) if (source instanceof ArraySource && source.keepBatches()) kept.push(source);
    train = withSteps(train, options.stepsPerEpoch, 'stepsPerEpoch');
    const validationSteps = options.validationSteps;
    if (validation !== undefined) withSteps(validation, validationSteps, 'validationSteps');
    const shouldValidate = validationSchedule(options.validationFreq ?? 1);

    const model = this.model;
    const callbackList = new CallbackList(callbacks, {
      addHistory: true,
      addProgbar: verbose !== 0,
      verbose,
      epochs,
      steps: train.steps,
      model,
    });
    model.stopTraining = false;
    await callbackList.onTrainBegin();
    // BackupAndRestore sets where a restarted run resumes (Keras' `model._initial_epoch`).
    const startEpoch = model.resumeEpoch ?? initialEpoch;
    model.resumeEpoch = null;
    let trainingLogs: Logs | undefined;
    let announcedSteps = train.steps;
    const pacer = new StepPacer();
    for (let epoch = startEpoch; epoch < epochs; ++epoch) {
      this.resetMetrics();
      await callbackList.onEpochBegin(epoch);
      const logs = await this.runEpoch('train', train, shuffle, callbackList, pacer);
      if (logs === undefined) throw new RangeError('fit() got no data: the training data has no samples (or the dataset no batches)');
      if (train.steps !== announcedSteps) callbackList.setSteps((announcedSteps = train.steps));
      if (validation !== undefined && shouldValidate(epoch)) {
        // Each validation starts from the beginning of the data (Keras resets its iterator).
        const validationLogs = await this.evaluateSource(withSteps(validation, validationSteps, 'validationSteps'), callbackList);
        for (const [name, value] of Object.entries(validationLogs)) logs[`val_${name}`] = value;
      }
      logs.learning_rate = this.optimizer.learningRate.numpy();
      await callbackList.onEpochEnd(epoch, logs);
      trainingLogs = logs;
      if (model.stopTraining) break;
    }
    if (train instanceof StepLimitedSource) await train.restart();
    // Keras: with EMA, the weights become their averages.
    if (epochs > 0) this.optimizer.finalizeVariableValues(model.trainableVariables);
    await callbackList.onTrainEnd(trainingLogs);
    return callbackList.history as History;
  }

  private async evaluateSource(source: DataSource, callbacks: CallbackList): Promise<Logs> {
    this.resetMetrics();
    await callbacks.onTestBegin();
    const logs = await this.runEpoch('test', source, false, callbacks);
    if (logs === undefined) throw new RangeError('evaluate() got no data: the data has no samples (or the dataset no batches)');
    await callbacks.onTestEnd(logs);
    return logs;
  }

  async evaluate(
    xArg: ModelData | BatchDataset,
    yArg: ModelData | EvaluateOptions | undefined,
    optionsArg: EvaluateOptions,
  ): Promise<number | number[] | Logs> {
    const { x, y, options } = parseArguments(xArg, yArg, optionsArg);
    checkOptions('evaluate()', options, EVALUATE_OPTIONS);
    const { callbacks = [], returnDict = false } = options;
    const verbose = checkVerbose(options.verbose ?? 1);
    if (isDataset(x) && options.sampleWeight !== undefined) throw new TypeError(DATASET_SAMPLE_WEIGHT);
    const data = isDataset(x)
      ? new DatasetSource(x, this.layout, undefined, this.batchShard)
      : this.arraySource(x, y, positiveInteger('batchSize', options.batchSize ?? 32), options.sampleWeight);
    this.buildFor(data);
    this.broadcastOnce();
    const source = withSteps(this.sharded(data), options.steps, 'steps');
    const callbackList = new CallbackList(callbacks, {
      addProgbar: verbose !== 0,
      verbose,
      epochs: 1,
      steps: source.steps,
      model: this.model,
    });
    const logs = await this.evaluateSource(source, callbackList);
    if (returnDict) return logs;
    return this.flattenInOrder(logs);
  }
}
