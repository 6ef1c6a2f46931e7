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
import { checkOptions } from '../utils/argument_validation';
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
  DatasetSource,
  isDataset,
  splitForValidation,
  StepLimitedSource,
  withSteps,
  toHostArray,
} from './data_adapter';
import type { History } from '../callbacks/history';
import { runBatches, StepPacer } from './loop';
import { StepFunction } from './step_function';
import { StepLogs } from './step_logs';
import { TrainingStrategy, currentTrainingStrategy } from '../../distribute/distribution_context';
import { Mul, RealDiv, Reshape } from '../../ops/generated';

export interface CompileOptions {
  optimizer: OptimizerIdentifier;
  /** Optional only for a model whose own trainStep/testStep compute their loss (Keras' customized fit). */
  loss?: LossIdentifier;
  /** e.g. ['accuracy'] (resolved from the targets' and outputs' shapes, as in Keras), 'mae', metric objects. */
  metrics?: readonly MetricIdentifier[];
  /** Metrics that the sample weights (sampleWeight, classWeight) weigh; `metrics` never are. */
  weightedMetrics?: readonly MetricIdentifier[];
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
  validationData?: readonly [ArrayData, ArrayData] | readonly [ArrayData, ArrayData, ArrayData] | BatchDataset;
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
  sampleWeight?: ArrayData;
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
  sampleWeight?: ArrayData;
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

const COMPILE_OPTIONS = ['optimizer', 'loss', 'metrics', 'weightedMetrics'];
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

/** A batch as the step function's inputs: (x, y), or (x, y, sampleWeight). */
function stepInputs(batch: Batch): Tensor[] {
  return batch.sampleWeight === undefined ? [batch.x, batch.y as Tensor] : [batch.x, batch.y as Tensor, batch.sampleWeight];
}

/** Splits fit/evaluate's (x, y, options) or (dataset, options) arguments. */
function parseArguments<O extends object>(
  x: ArrayData | BatchDataset,
  y: ArrayData | O | undefined,
  options: O,
): { x: ArrayData | BatchDataset; y?: ArrayData; options: O } {
  if (isDataset(x)) {
    if (y !== undefined && (typeof y !== 'object' || y === null || Array.isArray(y) || ArrayBuffer.isView(y) || y instanceof Tensor)) {
      throw new TypeError('`y` must not be given when `x` is a dataset (it yields [x, y] batches)');
    }
    return { x, options: (y as O | undefined) ?? options };
  }
  return { x, y: y as ArrayData | undefined, options };
}

/** fit's or evaluate's arguments checked before anything runs (also before waiting for a run in flight). */
export function checkArguments(kind: 'fit' | 'evaluate', x: ArrayData | BatchDataset, y: unknown, options: object): void {
  const parsed = parseArguments(x, y as ArrayData | object | undefined, options);
  checkOptions(`${kind}()`, parsed.options, kind === 'fit' ? FIT_OPTIONS : EVALUATE_OPTIONS);
}

export class Trainer {
  readonly optimizer: Optimizer;
  /** The compiled loss; a model whose own trainStep computes its loss may compile without one. */
  readonly loss: Loss | undefined;
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
  private broadcasted = false;

  constructor(
    private readonly model: Model,
    options: CompileOptions,
  ) {
    checkOptions('compile()', options, COMPILE_OPTIONS);
    this.optimizer = getOptimizer(options.optimizer);
    this.loss = options.loss === undefined || options.loss === null ? undefined : getLoss(options.loss);
    const slots = (what: string, metrics: unknown): (Metric | string)[] => {
      if (!Array.isArray(metrics)) throw new TypeError(`\`${what}\` must be an array. Received: ${what}=${String(metrics)}`);
      return metrics.map((m) => (isAccuracyName(m) ? m : getMetric(m)));
    };
    this.metricSlots = slots('metrics', options.metrics ?? []);
    this.weightedSlots = slots('weightedMetrics', options.weightedMetrics ?? []);
    // The model's own steps, so a subclass that overrides trainStep/testStep customizes fit/evaluate;
    // the sample weights, when there are any, are a third input of the same one session run.
    const data = (args: Tensor[]): StepData => (args.length > 2 ? [args[0], args[1], args[2]] : [args[0], args[1]]);
    this.steps = {
      train: new StepFunction(model, 'train', (...args: Tensor[]) => this.model.trainStep(data(args))),
      test: new StepFunction(model, 'test', (...args: Tensor[]) => this.model.testStep(data(args))),
    };
  }

  /** The traced train step fit() runs per batch (Keras' `train_function`). */
  get trainFunction(): TracedFunction<Tensor[], Record<string, Tensor>> {
    return this.steps.train.function;
  }

  /** The loss tracker, then the compiled metrics and weighted metrics that are resolved. */
  get metrics(): Metric[] {
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
    const tape = new GradientTape();
    const { yPred, loss, scaledLoss } = tape.record(() => {
      const output = this.model.apply(x, { training: true });
      const loss = this.model.computeLoss({ x, y, yPred: output, sampleWeight, training: true });
      // Keras' train_step differentiates optimizer.scale_loss(loss); the tracker gets the loss itself.
      return { yPred: output, loss, scaledLoss: this.optimizer.scaleLoss(loss) };
    });
    const variables = this.model.trainableVariables;
    if (this.strategy !== null && this.strategy.numReplicasInSync > 1 && variables.length > 0) {
      this.optimizer.applyGradients(zip(this.reduceAcrossReplicas(tape.gradient(scaledLoss, variables), loss, batchSizeOf(x)), variables));
      this.optimizerBuilt = true;
      return this.model.computeMetrics(x, y, yPred, sampleWeight);
    }
    this.lossTracker.updateState(loss, batchSizeOf(x));
    if (variables.length > 0) {
      this.optimizer.applyGradients(zip(tape.gradient(scaledLoss, variables), variables));
      this.optimizerBuilt = true;
    } else {
      process.emitWarning('The model does not have any trainable weights.');
    }
    return this.model.computeMetrics(x, y, yPred, sampleWeight);
  }

  /**
   * The global batch's mean gradients and loss from each replica's mean over its own part: every value
   * times its replica's sample count, one packed all-reduce (sums), divided by the global count, so
   * unequal parts (the last batch) weigh right. The loss tracker gets the global loss.
   */
  private reduceAcrossReplicas(gradients: (Tensor | null)[], loss: Tensor, batchSize: Tensor): (Tensor | null)[] {
    const strategy = this.strategy as TrainingStrategy;
    const n = Cast({ x: batchSize, DstT: loss.dtype } as Parameters<typeof Cast>[0]);
    const present = gradients.filter((g): g is Tensor => g !== null);
    const reduced = strategy.allReduceValues([
      ...present.map((g) => Mul({ x: g, y: Cast({ x: n, DstT: g.dtype } as Parameters<typeof Cast>[0]) })),
      Reshape({ tensor: Mul({ x: loss, y: n }), shape: [1] }),
      Reshape({ tensor: n, shape: [1] }),
    ]);
    const total = Reshape({ tensor: reduced[reduced.length - 1], shape: [] });
    this.lossTracker.updateState(RealDiv({ x: Reshape({ tensor: reduced[reduced.length - 2], shape: [] }), y: total }), total);
    let next = 0;
    return gradients.map((g) =>
      g === null ? null : RealDiv({ x: reduced[next++], y: Cast({ x: total, DstT: g.dtype } as Parameters<typeof Cast>[0]) }),
    );
  }

  /** Keras' default test_step. */
  testStep([x, y, sampleWeight]: StepData): Record<string, Tensor> {
    const yPred = this.model.apply(x, { training: false });
    this.lossTracker.updateState(this.model.computeLoss({ x, y, yPred, sampleWeight, training: false }), batchSizeOf(x));
    return this.model.computeMetrics(x, y, yPred, sampleWeight);
  }

  /** Keras' default compute_loss: the compiled loss of (y, yPred), weighted by the sample weights. */
  computeLoss({ y, yPred, sampleWeight }: ComputeLossArguments): Tensor {
    // Keras: the compiled loss plus each of model.losses (add_loss, regularizers), summed as one stack.
    const extra = this.model.losses.map((l) => {
      const x = isFloating(l.dtype) ? l : Cast({ x: l, DstT: 'float32' });
      return x.rank === 0 ? x : Sum({ input: x, reductionIndices: int32Vector([...x.shape.keys()]) });
    });
    if (this.loss === undefined && extra.length === 0) throw new TypeError('No loss to compute. Provide a `loss` argument in `compile()`.');
    const losses = this.loss === undefined ? extra : [this.loss.apply(y, yPred, sampleWeight), ...extra];
    if (losses.length === 1) return losses[0];
    const dtype = losses[0].dtype;
    return Sum({ input: Pack({ values: losses.map((l) => (l.dtype === dtype ? l : Cast({ x: l, DstT: dtype }))) }), reductionIndices: 0 });
  }

  /**
   * Keras' default compute_metrics: updates the compiled metrics, and the weighted metrics with the
   * sample weights; every metric's running value by its log key (sorted, as Keras logs).
   */
  computeMetrics(y: Tensor, yPred: Tensor, sampleWeight?: Tensor): Record<string, Tensor> {
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
    const deferrable = this.stepReturnsMetricResults(kind) && !callbacks.readsEveryBatchLogs(kind);
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
    x: ArrayData,
    y: ArrayData | undefined,
    batchSize: number,
    sampleWeight?: ArrayData,
    classWeight?: ClassWeight,
  ): ArraySource {
    const xs = toHostArray(x, 'x', this.inputDType());
    const ys = y === undefined ? undefined : toHostArray(y, 'y');
    checkSameSamples(xs, ys);
    let sw = sampleWeight === undefined || sampleWeight === null ? undefined : toHostArray(sampleWeight, 'sampleWeight', 'float32');
    if (classWeight !== undefined) {
      if (sw !== undefined) throw new TypeError(CLASS_AND_SAMPLE_WEIGHT);
      if (ys === undefined) throw new TypeError('`classWeight` needs targets `y`');
      sw = new HostArray(classWeightsOf(ys, classWeight), [ys.length], 'float32');
    }
    if (sw !== undefined && sw.length !== xs.length) {
      throw new RangeError(
        `Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: ${xs.length}\n'sample_weight' sizes: ${sw.length}\n`,
      );
    }
    return new ArraySource(xs, ys, batchSize, sw);
  }

  private inputDType() {
    return this.model.inputs[0]?.dtype ?? this.model.dtype;
  }

  /** A deferred Sequential (or subclassed model) is built for the data's shape before tracing. */
  private buildFor(source: DataSource): void {
    if (source instanceof ArraySource) this.model.maybeBuild([null, ...source.x.rowShape]);
  }

  private validationSource(data: FitOptions['validationData'], batchSize: number): DataSource {
    if (isDataset(data)) return new DatasetSource(data, this.inputDType());
    if (!Array.isArray(data) || data.length < 2 || data.length > 3)
      throw new TypeError('`validationData` must be [xVal, yVal], [xVal, yVal, sampleWeightVal] or a dataset of [x, y] batches');
    return this.arraySource(data[0], data[1], batchSize, data[2]);
  }

  async fit(xArg: ArrayData | BatchDataset, yArg: ArrayData | FitOptions | undefined, optionsArg: FitOptions): Promise<History> {
    // Host data whose unshuffled batches are fed again every epoch keeps them as tensors until fit ends.
    const kept: ArraySource[] = [];
    try {
      return await this.fitSources(xArg, yArg, optionsArg, kept);
    } finally {
      for (const source of kept) source.dispose();
    }
  }

  private async fitSources(
    xArg: ArrayData | BatchDataset,
    yArg: ArrayData | FitOptions | undefined,
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
      const strategy = this.strategy !== null && this.strategy.numReplicasInSync > 1 ? this.strategy : null;
      train = new DatasetSource(x, this.inputDType(), classWeight, strategy?.batchShard);
    } else {
      const batchSize = positiveInteger('batchSize', options.batchSize ?? 32);
      const source = this.arraySource(x, y, batchSize, options.sampleWeight, classWeight);
      if (validationSplit && validationData === undefined) {
        const [[tx, ty], [vx, vy]] = splitForValidation(source.x, source.y, validationSplit);
        const [[tw], [vw]] = source.sampleWeight ? splitForValidation(source.sampleWeight, undefined, validationSplit) : [[], []];
        train = new ArraySource(tx, ty, batchSize, tw);
        validation = new ArraySource(vx, vy, positiveInteger('validationBatchSize', options.validationBatchSize ?? batchSize), vw);
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
    if (this.strategy !== null && this.strategy.numReplicasInSync > 1) {
      if (train instanceof ArraySource) train = train.sharded(this.strategy.batchShard);
      if (!this.broadcasted) {
        // Keras' mirrored variables start from the chief's initial values.
        this.strategy.broadcastVariables(this.model.variables);
        this.broadcasted = true;
      }
    }
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
    xArg: ArrayData | BatchDataset,
    yArg: ArrayData | EvaluateOptions | undefined,
    optionsArg: EvaluateOptions,
  ): Promise<number | number[] | Logs> {
    const { x, y, options } = parseArguments(xArg, yArg, optionsArg);
    checkOptions('evaluate()', options, EVALUATE_OPTIONS);
    const { callbacks = [], returnDict = false } = options;
    const verbose = checkVerbose(options.verbose ?? 1);
    if (isDataset(x) && options.sampleWeight !== undefined) throw new TypeError(DATASET_SAMPLE_WEIGHT);
    const data = isDataset(x)
      ? new DatasetSource(x, this.inputDType())
      : this.arraySource(x, y, positiveInteger('batchSize', options.batchSize ?? 32), options.sampleWeight);
    this.buildFor(data);
    const source = withSteps(data, options.steps, 'steps');
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
