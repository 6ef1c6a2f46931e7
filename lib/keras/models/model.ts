// keras.Model: a functional model (`new Model({inputs, outputs})`) or, subclassed with its own call(),
// a model of the layers it holds; either way a Layer, with compile/fit/evaluate/predict.
import { disposeTogether, TracedFunction } from '../../function';
import { Shape, Tensor, TensorLike } from '../../tensor';
import type { Optimizer } from '../optimizers';
import type { Logs } from '../callbacks';
import { InputLayer } from '../layers/input_layer';
import { KerasTensor, Node } from '../layers/keras_tensor';
import { CallOptions, Layer } from '../layers/layer';
import { checkClassOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { autoName } from '../utils/naming';
import type { Metric } from '../metrics';
import type { History } from '../callbacks/history';
import { checkPredictOptions, predict, predictOnBatch, PredictOptions } from '../training/predict';
import { runExclusively, runExclusivelySync } from '../training/exclusive_run';
import { StepFunction } from '../training/step_function';
import type { ReplicaStrategy } from '../../distribute/distribution_context';
import { checkArguments, CompileOptions, ComputeLossArguments, EvaluateOptions, FitOptions, StepData, Trainer } from '../training/trainer';
import type { ArrayData, BatchDataset } from '../training/data_adapter';
import { exportSavedModel, ExportOptions } from '../export/saved_model';
import { FunctionalGraph } from './functional';
import { functionalConfig } from './functional_config';
import type { KerasObject } from '../saving/object_registration';
import { exportedFrom } from '../saving/serialization_lib';
import { printSummary, SummaryOptions } from './summary';

export interface ModelOptions {
  /** The Input tensor(s) of a functional model. */
  inputs?: KerasTensor | readonly KerasTensor[];
  outputs?: KerasTensor | readonly KerasTensor[];
  name?: string;
  trainable?: boolean;
}

function toList(value: KerasTensor | readonly KerasTensor[]): KerasTensor[] {
  return Array.isArray(value) ? [...value] : [value as KerasTensor];
}

/** Keras' leading parameters of a functional model: `new Model(inputs, outputs)`. */
const POSITIONAL = ['inputs', 'outputs', 'name'] as const;

/** The models compiled with each optimizer and not yet disposed: the last one disposes it. */
const optimizerModels = new WeakMap<Optimizer, Set<Model>>();

function optimizerUsers(optimizer: Optimizer): Set<Model> {
  let users = optimizerModels.get(optimizer);
  if (!users) optimizerModels.set(optimizer, (users = new Set()));
  return users;
}

export class Model extends Layer {
  static override readonly optionKeys: readonly string[] = ['inputs', 'outputs', 'name', 'trainable'];
  static override readonly positional: readonly string[] = POSITIONAL;
  /** Set by callbacks (e.g. early stopping) to end fit() after the current batch. */
  stopTraining = false;
  /** The History of the last fit(). */
  history: History | null = null;
  /** Set in onTrainBegin by a callback that restored a backup (BackupAndRestore): the epoch fit() starts at. */
  resumeEpoch: number | null = null;
  /** Counts changes of the layer graph; traced train/test/predict steps are rebuilt when it moves. */
  graphVersion = 0;
  protected graph: FunctionalGraph | null = null;
  private trainer: Trainer | null = null;
  /** What compile() was given, for Keras' compile_config. */
  private compileOptions: CompileOptions | null = null;
  private readonly predictStep = new StepFunction(this, 'predict', (x: Tensor) => this.apply(x, { training: false }));

  constructor(...args: PositionalArgs<ModelOptions, typeof POSITIONAL>) {
    const options = positionalOptions<ModelOptions>(new.target, args);
    // Checked here: only name and trainable reach Layer's constructor.
    checkClassOptions(new.target, options);
    const { inputs, outputs } = options;
    super({ name: options.name ?? (inputs !== undefined ? autoName('functional') : undefined), trainable: options.trainable });
    if ((inputs === undefined) !== (outputs === undefined)) {
      throw new TypeError('A functional Model needs both `inputs` and `outputs`; a subclassed Model takes neither.');
    }
    if (inputs !== undefined) {
      this.setGraph(toList(inputs), toList(outputs as KerasTensor));
      const input = this.inputs[0];
      this.inputSpec = { shape: input.shape, name: input.node.layer.name };
    }
  }

  /** Makes the model the graph from `inputs` to `outputs` (one of each). */
  protected setGraph(inputs: KerasTensor[], outputs: KerasTensor[]): void {
    if (inputs.length !== 1 || outputs.length !== 1) {
      throw new RangeError(
        `Model '${this.name}': only models with one input and one output are supported; got ${inputs.length} inputs and ${outputs.length} outputs.`,
      );
    }
    this.graph = new FunctionalGraph(inputs, outputs, this.name);
    this.built = true;
    this.buildInputShape = [...inputs[0].shape];
    this.graphVersion++;
  }

  get inputs(): KerasTensor[] {
    return this.graph ? [...this.graph.inputs] : [];
  }

  get outputs(): KerasTensor[] {
    return this.graph ? [...this.graph.outputs] : [];
  }

  /** The model's layers (a functional model's InputLayer included, as in Keras). */
  get layers(): Layer[] {
    return this.graph ? [...this.graph.operations] : super.sublayers();
  }

  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (layer === undefined)
      throw new RangeError(`No such layer: ${name}. Existing layers are: ${this.layers.map((l) => l.name).join(', ')}.`);
    return layer;
  }

  protected override sublayers(): Layer[] {
    return this.layers.filter((layer) => !(layer instanceof InputLayer));
  }

  /** The forward pass; a subclass overrides this (and creates its layers in the constructor). */
  override call(inputs: Tensor, options: CallOptions): Tensor {
    if (this.graph === null) throw new Error(`Model '${this.name}' has no graph: build it from Input tensors or override call()`);
    return this.graph.run([inputs], options)[0];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.graph ? this.graph.outputShapes([inputShape])[0] : super.computeOutputShape(inputShape);
  }

  /** A subclassed model builds its layers by tracing call() once for `inputShape`. */
  override build(inputShape: Shape): void {
    if (this.graph === null) super.computeOutputShape(inputShape);
  }

  /** The calls of `layer` in this model's graph (none without a graph). */
  nodesOf(layer: Layer): Node[] {
    return this.graph?.nodesOf(layer) ?? [];
  }

  /** Keras' sequential-like test: one node per depth, single inputs, no layer called twice. */
  get isSequentialLike(): boolean {
    if (this.graph === null) return true;
    const perDepth = new Map<number, number>();
    for (const [node, depth] of this.graph.nodeDepths) {
      if (node.inputs.length > 1) return false;
      perDepth.set(depth, (perDepth.get(depth) ?? 0) + 1);
    }
    if ([...perDepth.values()].some((n) => n > 1)) return false;
    const calls = new Map<Layer, number>();
    for (const node of this.graph.nodeDepths.keys()) calls.set(node.layer, (calls.get(node.layer) ?? 0) + 1);
    return [...calls.values()].every((n) => n === 1);
  }

  /**
   * Keras' model.export(filepath): a SavedModel of the inference pass with the 'serve' and
   * 'serving_default' signatures, for TF Serving, Python's tf.saved_model.load and tf.savedModel.load.
   */
  export(filepath: string, options: ExportOptions = {}): void {
    exportSavedModel(this, filepath, options);
  }

  /** Prints Keras' summary table (or hands the text to `printFn`). */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  /** Configures training: an optimizer (instance or 'adam'/'sgd'/'adamw'), a loss, metrics. */
  compile(options: CompileOptions): void {
    this.checkNotDisposed();
    this.trainer = new Trainer(this, options);
    optimizerUsers(this.trainer.optimizer).add(this);
    this.compileOptions = { ...options };
  }

  /**
   * Frees everything the model owns: its layers' variables, its traced steps, its metrics, and its
   * optimizer unless another model not yet disposed was compiled with it. Later use throws; twice
   * is a no-op. The graph ops go at the next compaction (see docs/ARCHITECTURE.md).
   */
  override dispose(): void {
    if (this.isDisposed) return;
    disposeTogether(() => {
      this.predictStep.dispose();
      const trainer = this.trainer;
      if (trainer) {
        trainer.dispose();
        const users = optimizerUsers(trainer.optimizer);
        users.delete(this);
        if (users.size === 0) trainer.optimizer.dispose();
      }
      super.dispose();
    });
  }

  /** What compile() was given (null before), for Keras' `get_compile_config`. */
  get compileArguments(): Readonly<CompileOptions> | null {
    return this.compileOptions;
  }

  /** The class a functional `Model` serializes as: Keras' 'Functional' (models/functional_model.ts). */
  get serializedClass(): KerasObject | undefined {
    return this.constructor === Model && this.graph !== null ? exportedFrom('keras.src.models.functional').get('Functional') : undefined;
  }

  /** A functional model's config: its layers and their calls (Keras' Functional.get_config). */
  override getConfig(): Record<string, unknown> {
    if (this.graph === null) return super.getConfig();
    return functionalConfig(this.name, this.trainable, this.graph);
  }

  /**
   * Keras' `model.save_weights(path)`: a path ending in `.weights.h5` gets Keras 3's HDF5 layout (the
   * model's and the optimizer's variables, readable by Python's `model.load_weights`); any other path
   * a TF checkpoint (`<path>.index` + data). Written atomically.
   */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('../saving/saving_api');
    return saveWeights(this, path);
  }

  /** Keras' `model.load_weights(path)`: from a `.weights.h5` file, a `.keras` file or a TF checkpoint; all or nothing. */
  async loadWeights(path: string): Promise<void> {
    const { loadWeights } = await import('../saving/saving_api');
    return loadWeights(this, path);
  }

  /** Keras' `model.save('m.keras')`: the config, compile config and weights in Keras 3's zip format, written atomically. */
  async save(path: string): Promise<void> {
    const { saveModel } = await import('../saving/saving_api');
    return saveModel(this, path);
  }

  /** Keras' `model.distribute_strategy`: the strategy whose scope compile() ran in, null for none. */
  get distributeStrategy(): ReplicaStrategy | null {
    return this.trainer?.distributeStrategy ?? null;
  }

  get compiled(): boolean {
    return this.trainer !== null;
  }

  private requireTrainer(): Trainer {
    if (this.isDisposed) throw new Error(`Model '${this.name}' was disposed`);
    if (this.trainer === null) throw new Error('You must call `compile()` before using the model.');
    return this.trainer;
  }

  get optimizer(): Optimizer {
    return this.requireTrainer().optimizer;
  }

  /** Whether the optimizer has made its state (Keras' `optimizer.built`), for summary(). */
  get optimizerBuilt(): boolean {
    return this.trainer?.optimizerBuilt ?? false;
  }

  /**
   * Keras' `train_step(data)`: one training step on a batch, traced into fit's one session run per
   * batch; returns the logs by metric name. Override it to customize fit() (keras.io's "Customizing
   * what happens in fit()"); the default is the forward pass under a tape, `computeLoss`, the loss
   * tracker, the optimizer's update and `computeMetrics`.
   */
  trainStep(data: StepData): Record<string, Tensor> {
    return this.requireTrainer().trainStep(data);
  }

  /** Keras' `test_step(data)`, which evaluate() and fit's validation run per batch. */
  testStep(data: StepData): Record<string, Tensor> {
    return this.requireTrainer().testStep(data);
  }

  /** Keras' `compute_loss(x, y, y_pred)`: by default the compiled loss. */
  computeLoss(args: ComputeLossArguments): Tensor {
    return this.requireTrainer().computeLoss(args);
  }

  /** Keras' `compute_metrics(x, y, y_pred, sample_weight)`: updates the compiled metrics, returns every metric's value by name. */
  computeMetrics(_x: Tensor, y: Tensor, yPred: Tensor, sampleWeight?: Tensor): Record<string, Tensor> {
    return this.requireTrainer().computeMetrics(y, yPred, sampleWeight);
  }

  /** The loss tracker, then the compiled metrics (known once fit/evaluate has seen data). */
  get metrics(): Metric[] {
    return this.trainer?.metrics ?? [];
  }

  get metricsNames(): string[] {
    return this.metrics.map((m) => m.name);
  }

  /** Trains for `epochs` over (x, y) or a dataset of [x, y] batches; resolves to the History. */
  fit(x: ArrayData, y?: ArrayData, options?: FitOptions): Promise<History>;
  fit(dataset: BatchDataset, options?: FitOptions): Promise<History>;
  async fit(x: ArrayData | BatchDataset, y?: ArrayData | FitOptions, options: FitOptions = {}): Promise<History> {
    checkArguments('fit', x, y, options);
    return runExclusively(this, this.name, 'fit()', () => this.requireTrainer().fit(x, y, options));
  }

  /** The loss (and metrics, in compile order) over (x, y): a number, or [loss, ...metrics]. */
  evaluate(x: ArrayData, y?: ArrayData, options?: EvaluateOptions): Promise<number | number[] | Logs>;
  evaluate(dataset: BatchDataset, options?: EvaluateOptions): Promise<number | number[] | Logs>;
  async evaluate(
    x: ArrayData | BatchDataset,
    y?: ArrayData | EvaluateOptions,
    options: EvaluateOptions = {},
  ): Promise<number | number[] | Logs> {
    checkArguments('evaluate', x, y, options);
    return runExclusively(this, this.name, 'evaluate()', () => this.requireTrainer().evaluate(x, y, options));
  }

  /** Keras' `train_function`: the traced train step fit() runs per batch; null before compile(). */
  get trainFunction(): TracedFunction<[Tensor, Tensor], Record<string, Tensor>> | null {
    return this.trainer?.trainFunction ?? null;
  }

  /** Keras' `predict_function`: the traced inference step predict() runs per batch (training false). */
  get predictFunction(): TracedFunction<[Tensor], Tensor> {
    return this.predictStep.function;
  }

  /** The model's outputs for every sample of `x`, batch by batch, as one tensor. */
  async predict(x: ArrayData | BatchDataset, options: PredictOptions = {}): Promise<Tensor> {
    checkPredictOptions(options);
    return runExclusively(this, this.name, 'predict()', () => predict(this, x, options));
  }

  /** The outputs for one batch, in one session run. */
  predictOnBatch(x: TensorLike): Tensor {
    return runExclusivelySync(this, this.name, 'predictOnBatch()', () => predictOnBatch(this, x));
  }
}
