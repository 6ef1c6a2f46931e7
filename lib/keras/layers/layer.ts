// Keras' Layer: weights made in build(inputShape), the computation in call(inputs, {training}),
// and apply() (Python's `layer(x)`), which builds on first use and either runs call() on tensors
// (eagerly or inside a tf.function) or, on KerasTensors, records a node of the functional graph.
import { DType, isFloating } from '../../dtypes';
import { computeOutputSpec, disposeTogether, initScope, TensorSpec } from '../../function';
import { HostValue, inferShape } from '../../host_data';
import { Cast, DivNoNan, Shape as ShapeOp, StridedSlice } from '../../ops/generated';
import { cast } from '../../ops/math';
import { formatShape } from '../../ops/convert';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../tensor';
import { disposeVariables, Variable } from '../../variable';
import { get as getConstraint, ConstraintIdentifier } from '../constraints';
import { get as getInitializer, InitializerIdentifier } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { optionsFromConfig } from '../saving/serialization_lib';
import { checkClassOptions, isPlainObject } from '../utils/argument_validation';
import { getKerasMask, hasKerasMask, setKerasMask } from '../utils/keras_mask';
import { autoName } from '../utils/naming';
import { KerasTensor, Node } from './keras_tensor';

export interface LayerOptions {
  /** Unique within a model; default: the snake_case class name, auto-numbered ('dense', 'dense_1'). */
  name?: string;
  trainable?: boolean;
  /** The weights' and computation's dtype (Keras' dtype policy); default float32. */
  dtype?: DType;
  /** Keras' `input_shape` (without the batch dim): lets a Sequential's first layer define the input. */
  inputShape?: Shape;
  batchSize?: number;
  /** [batch, ...inputShape] in one (Keras' `batch_input_shape`, as getConfig() reports it). */
  batchInputShape?: Shape;
  /** A penalty on the layer's outputs (divided by the batch size), added to `losses` at each call. */
  activityRegularizer?: RegularizerIdentifier | null;
}

export interface CallOptions {
  /** Training mode (Dropout drops, BatchNormalization uses batch statistics); default false. */
  training?: boolean;
  /**
   * Keras' `mask`: which timesteps are real (bool). apply() fills it from the mask the inputs carry
   * (set by Embedding(maskZero), Masking, ...) unless given.
   */
  mask?: Tensor | null;
}

export { getKerasMask, setKerasMask };

/** Keras' InputSpec: what a built layer accepts (checked on every call, with Keras' messages). */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  /** Required sizes of some axes (negative counts from the end). */
  axes?: Readonly<Record<number, number>>;
  /** A full shape, null where any size goes (functional models' inputs). */
  shape?: Shape;
  name?: string;
}

export interface WeightOptions {
  /** The weight's name within the layer ('kernel'); the variable is named '<layer>/<name>'. */
  name: string;
  shape: readonly number[];
  initializer?: InitializerIdentifier;
  trainable?: boolean;
  dtype?: DType;
  /** Its penalty joins `losses` (recomputed from the weight's value at each read). */
  regularizer?: RegularizerIdentifier | null;
  /** Applied by the optimizer after each update. */
  constraint?: ConstraintIdentifier | null;
}

/** A value for setWeights(): a tensor, nested arrays or a flat TypedArray (read as 1-D). */
export type WeightValue = Tensor | HostValue;

interface TrackedVariable {
  variable: Variable;
  /** The weight's own name ('kernel'). */
  name: string;
  /** Seed-generator states are variables but not weights (as in Keras). */
  isWeight: boolean;
  regularizer: Regularizer | null;
}

/** A loss given to addLoss(): a tensor (from call()) or a function computing one when `losses` is read. */
export type AddedLoss = Tensor | (() => Tensor);

/** The outermost layer call in progress (Keras' call context): it clears the losses of the previous call. */
let entryCall = false;

/** Python's `training` inheritance: a layer called inside another layer's call gets its mode. */
let enclosingTraining: boolean | undefined;

export class Layer {
  /**
   * The options the constructor accepts, checked once for the class actually constructed. A subclass
   * that passes options of its own to `super()` lists them: `static optionKeys = [...Layer.optionKeys, 'units']`
   * (or takes them off first: `constructor({ units, ...rest }) { super(rest); }`).
   */
  static readonly optionKeys: readonly string[] = [
    'name',
    'trainable',
    'dtype',
    'inputShape',
    'batchSize',
    'batchInputShape',
    'activityRegularizer',
  ];
  /**
   * The options a subclass also takes positionally, in Keras' order: a constructor
   * `(...args: PositionalArgs<DenseOptions, typeof POSITIONAL>)` merges them with positionalOptions().
   */
  static readonly positional: readonly string[] = [];
  /** Keras config entries for features a layer lacks, at the value that turns each off: fromConfig() accepts only that value. */
  static readonly unsupportedConfig: Readonly<Record<string, unknown>> = {};
  readonly name: string;
  readonly dtype: DType;
  /** Keras' supports_masking: the layer passes its input's mask on (computeMask's default). */
  supportsMasking = false;
  /** Layer calls on KerasTensors, in order (the functional graph's nodes of this layer). */
  readonly inboundNodes: Node[] = [];
  built = false;
  inputSpec: InputSpec | null = null;
  /** The input shape build() got (Keras' build config). */
  buildInputShape?: Shape;
  /** From the `inputShape`/`batchSize` options: [batch, ...inputShape]. */
  readonly batchInputShape?: Shape;
  private trainable_: boolean;
  activityRegularizer: Regularizer | null;
  private readonly tracked: TrackedVariable[] = [];
  /** Losses from addLoss() during the current call (cleared by the next outermost call). */
  private readonly callLosses: Tensor[] = [];
  /** Callables given to addLoss(): evaluated at each read of `losses`. */
  private readonly lossFunctions: (() => Tensor)[] = [];
  private disposed = false;

  constructor(options: LayerOptions = {}) {
    checkClassOptions(new.target, options);
    this.name = options.name ?? autoName(this.constructor.name);
    if (typeof this.name !== 'string' || this.name === '' || this.name.includes('/')) {
      throw new TypeError(`Layer names must be non-empty strings without '/'. Received: name=${String(options.name)}`);
    }
    this.trainable_ = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    this.activityRegularizer = getRegularizer(options.activityRegularizer);
    if (options.batchInputShape !== undefined) this.batchInputShape = [...options.batchInputShape];
    else if (options.inputShape !== undefined) this.batchInputShape = [options.batchSize ?? null, ...options.inputShape];
    // Keras' build wrapper: however build() is reached (a first call, or the user), it runs
    // eagerly (also inside a tf.function trace) and marks the layer built.
    const build = this.build;
    this.build = (inputShape: Shape) => {
      initScope(() => build.call(this, inputShape));
      this.buildInputShape = [...inputShape];
      this.built = true;
    };
  }

  get trainable(): boolean {
    return this.trainable_;
  }

  /** Freezing a layer freezes its sublayers (their weights become non-trainable). */
  set trainable(value: boolean) {
    this.trainable_ = value;
    for (const layer of this.sublayers()) layer.trainable = value;
  }

  /** Creates the weights for inputs of `inputShape` (batch dim first, null when unknown); marks the layer built. */
  build(_inputShape: Shape): void {}

  /** The computation; `inputs` are tensors (eager or inside a tf.function). */
  call(_inputs: Tensor, _options: CallOptions): Tensor {
    throw new Error(`Layer ${this.constructor.name} does not implement call()`);
  }

  /**
   * The output shape for `inputShape`. By default it traces call() into a scratch graph and reads
   * the shape TF infers; layers that know it override this.
   */
  computeOutputShape(inputShape: Shape): Shape {
    const spec = new TensorSpec(inputShape, this.dtype, 'inputs');
    return computeOutputSpec((inputs) => this.call(inputs, { training: false }), [spec], this.name).shape;
  }

  /** Python's `layer(x)`: on KerasTensors it adds a node to the functional graph, else it computes. */
  apply(inputs: KerasTensor, options?: CallOptions): KerasTensor;
  apply(inputs: TensorLike, options?: CallOptions): Tensor;
  apply(inputs: TensorLike | KerasTensor, options: CallOptions = {}): Tensor | KerasTensor {
    this.checkNotDisposed();
    if (inputs instanceof KerasTensor) return this.applySymbolic([inputs], options)[0];
    return this.applyToTensor(this.toInputTensor(inputs), options);
  }

  protected toInputTensor(value: TensorLike): Tensor {
    if (!(value instanceof Tensor)) return constantTensor(value as HostValue, isFloating(this.dtype) ? this.dtype : undefined);
    // Keras' autocast: floating inputs are computed in the layer's dtype.
    return isFloating(value.dtype) && isFloating(this.dtype) && value.dtype !== this.dtype ? cast(value, this.dtype) : value;
  }

  protected applyToTensor(inputs: Tensor, options: CallOptions): Tensor {
    const shape = inputs.shape;
    this.assertInputCompatible(shape);
    this.maybeBuild(shape);
    const training = options.training ?? enclosingTraining ?? false;
    const mask = options.mask === undefined ? getKerasMask(inputs) : options.mask;
    const outer = enclosingTraining;
    const outerEntry = entryCall;
    if (!entryCall) this.clearLosses();
    enclosingTraining = training;
    entryCall = true;
    try {
      const outputs = this.call(inputs, { ...options, training, mask });
      if (this.activityRegularizer !== null) this.addLoss(this.activityLoss(outputs));
      // Keras' _set_mask_metadata: a mask the call attached itself wins.
      if (!hasKerasMask(outputs) && outputs !== inputs) setKerasMask(outputs, this.computeMask(inputs, mask));
      return outputs;
    } finally {
      enclosingTraining = outer;
      entryCall = outerEntry;
    }
  }

  /** Keras: the activity penalty divided (no-nan) by the batch size. */
  private activityLoss(outputs: Tensor): Tensor {
    const loss = (this.activityRegularizer as Regularizer).call(outputs);
    if (outputs.rank === 0) return loss;
    const batch = outputs.shape[0];
    const size =
      batch !== null
        ? constantTensor(batch, loss.dtype)
        : Cast({
            x: StridedSlice({ input: ShapeOp({ input: outputs }), begin: [0], end: [1], strides: [1], shrinkAxisMask: 1 }),
            DstT: loss.dtype,
          });
    return DivNoNan({ x: loss, y: size });
  }

  /**
   * Keras' add_loss: a scalar loss that `losses` (and so fit's loss) includes. A tensor is added
   * from inside call() and lasts until the next call; a function (Keras 2's callable losses) is
   * evaluated at each read of `losses`, so it can depend on weights only.
   */
  addLoss(loss: AddedLoss | readonly AddedLoss[]): void {
    for (const item of Array.isArray(loss) ? loss : [loss]) {
      if (item instanceof Tensor) this.callLosses.push(item);
      else if (typeof item === 'function') this.lossFunctions.push(item as () => Tensor);
      else {
        throw new TypeError(
          `\`add_loss()\` can only be called from inside \`build()\` or \`call()\`, on a tensor input. Received invalid value: ${String(item)}`,
        );
      }
    }
  }

  /** Keras' `losses`: addLoss() losses of this layer and its sublayers, then the trainable weights' regularization penalties. */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    const visit = (layer: Layer, seen: Set<Layer>): void => {
      if (seen.has(layer)) return;
      seen.add(layer);
      out.push(...layer.callLosses, ...layer.lossFunctions.map((f) => f()));
      for (const sub of layer.sublayers()) visit(sub, seen);
    };
    visit(this, new Set());
    const regularizers = new Map<Variable, Regularizer>();
    const collect = (layer: Layer): void => {
      for (const e of layer.tracked) if (e.regularizer !== null) regularizers.set(e.variable, e.regularizer);
      for (const sub of layer.sublayers()) collect(sub);
    };
    collect(this);
    for (const variable of this.trainableWeights) {
      const regularizer = regularizers.get(variable);
      if (regularizer !== undefined) out.push(regularizer.call(variable.value()));
    }
    return out;
  }

  /** Forgets the call losses of this layer and its sublayers (Keras' _clear_losses at each outermost call). */
  private clearLosses(seen = new Set<Layer>()): void {
    if (seen.has(this)) return;
    seen.add(this);
    this.callLosses.length = 0;
    for (const sub of this.sublayers()) sub.clearLosses(seen);
  }

  /**
   * Keras' compute_mask: the mask of the outputs for `inputs` carrying `mask`. By default a layer
   * that supportsMasking passes it on, and any other drops it.
   */
  computeMask(_inputs: Tensor, mask: Tensor | null): Tensor | null {
    return this.supportsMasking ? mask : null;
  }

  /** Records this call as a node: builds the layer and infers the outputs' shapes. */
  protected applySymbolic(inputs: readonly KerasTensor[], options: CallOptions): KerasTensor[] {
    if (inputs.length !== 1) throw new TypeError(`Layer '${this.name}' takes one input; got ${inputs.length}`);
    const shape = inputs[0].shape;
    this.assertInputCompatible(shape);
    this.maybeBuild(shape);
    const node = new Node(this, inputs, [{ shape: this.computeOutputShape(shape), dtype: this.dtype }], options);
    this.inboundNodes.push(node);
    return node.outputs;
  }

  /** Builds once, for the first input shape seen. */
  maybeBuild(inputShape: Shape): void {
    if (!this.built) this.build(inputShape);
  }

  /** Throws Keras' incompatibility error when `shape` does not fit the layer's input spec. */
  assertInputCompatible(shape: Shape, inputIndex = 0): void {
    const spec = this.inputSpec;
    if (spec === null) return;
    const prefix = `Input ${inputIndex} with name '${spec.name ?? 'None'}' of layer '${this.name}' is incompatible with the layer:`;
    const ndim = shape.length;
    if (spec.ndim !== undefined && ndim !== spec.ndim) {
      throw new RangeError(`${prefix} expected ndim=${spec.ndim}, found ndim=${ndim}. Full shape received: ${formatShape(shape)}`);
    }
    if (spec.minNdim !== undefined && ndim < spec.minNdim) {
      throw new RangeError(`${prefix} expected min_ndim=${spec.minNdim}, found ndim=${ndim}. Full shape received: ${formatShape(shape)}`);
    }
    for (const [axisText, value] of Object.entries(spec.axes ?? {})) {
      const axis = Number(axisText);
      const dim = shape[axis < 0 ? ndim + axis : axis];
      if (dim !== value && dim !== null) {
        throw new RangeError(
          `${prefix} expected axis ${axis} of input shape to have value ${value}, but received input with shape ${formatShape(shape)}`,
        );
      }
    }
    if (spec.shape !== undefined) {
      const fits = spec.shape.length === ndim && spec.shape.every((d, i) => d === null || shape[i] === null || d === shape[i]);
      if (!fits) throw new RangeError(`${prefix} expected shape=${formatShape(spec.shape)}, found shape=${formatShape(shape)}`);
    }
  }

  /** Keras' add_weight: a variable named '<layer>/<name>', initialized (eagerly) by `initializer`. */
  addWeight(options: WeightOptions): Variable {
    this.checkNotDisposed();
    const { name, shape, initializer = 'glorot_uniform', trainable = true, dtype = this.dtype } = options;
    const init = getInitializer(initializer);
    const constraint = getConstraint(options.constraint);
    const variable = new Variable(() => init.call([...shape], dtype), {
      name: `${this.name}/${name}`,
      trainable,
      dtype,
      constraint: constraint === null ? null : (value) => constraint.call(value),
    });
    this.tracked.push({ variable, name, isWeight: true, regularizer: getRegularizer(options.regularizer) });
    return variable;
  }

  /**
   * Frees the variables of the layer and of its sublayers (a layer shared with another model loses
   * them there too); later calls throw. Twice is a no-op.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeTogether(() => {
      for (const sub of this.sublayers()) sub.dispose();
      disposeVariables(this.variables);
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  protected checkNotDisposed(): void {
    if (this.disposed) throw new Error(`Layer '${this.name}' was disposed`);
  }

  /** Tracks a variable that is layer state but not a weight (a seed generator's state). */
  protected trackState(variable: Variable, name: string): void {
    this.tracked.push({ variable, name, isWeight: false, regularizer: null });
  }

  /** Layers held by this one: Layer-valued properties and arrays of layers, in property order. */
  protected sublayers(): Layer[] {
    const found: Layer[] = [];
    for (const value of Object.values(this)) {
      if (value instanceof Layer) found.push(value);
      else if (Array.isArray(value)) for (const item of value) if (item instanceof Layer) found.push(item);
    }
    return found;
  }

  /** Own and sublayers' entries, each variable once. */
  private collect(pick: (entry: TrackedVariable, layer: Layer) => boolean): Variable[] {
    const seen = new Set<Variable>();
    const out: Variable[] = [];
    const visit = (layer: Layer): void => {
      for (const entry of layer.tracked) {
        if (!seen.has(entry.variable) && pick(entry, layer)) {
          seen.add(entry.variable);
          out.push(entry.variable);
        }
      }
      for (const sub of layer.sublayers()) visit(sub);
    };
    visit(this);
    return out;
  }

  /** Trainable weights, then non-trainable ones (Keras' order within each layer). */
  get weights(): Variable[] {
    const seen = new Set<Variable>();
    const out: Variable[] = [];
    const visit = (layer: Layer): void => {
      for (const entry of [...layer.tracked.filter((e) => e.variable.trainable), ...layer.tracked.filter((e) => !e.variable.trainable)]) {
        if (entry.isWeight && !seen.has(entry.variable)) {
          seen.add(entry.variable);
          out.push(entry.variable);
        }
      }
      for (const sub of layer.sublayers()) visit(sub);
    };
    visit(this);
    return out;
  }

  get trainableWeights(): Variable[] {
    return this.collect((e, layer) => e.isWeight && e.variable.trainable && layer.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.collect((e, layer) => e.isWeight && !(e.variable.trainable && layer.trainable));
  }

  /** Every variable of the layer: weights and seed-generator states. */
  get variables(): Variable[] {
    return this.collect(() => true);
  }

  get trainableVariables(): Variable[] {
    return this.trainableWeights;
  }

  get nonTrainableVariables(): Variable[] {
    return this.collect((e, layer) => !(e.variable.trainable && layer.trainable && e.isWeight));
  }

  /** 'dense/kernel' for a weight of this layer or its sublayers. */
  weightPath(variable: Variable): string {
    const visit = (layer: Layer): string | undefined => {
      const entry = layer.tracked.find((e) => e.variable === variable);
      if (entry) return `${layer.name}/${entry.name}`;
      for (const sub of layer.sublayers()) {
        const path = visit(sub);
        if (path !== undefined) return path;
      }
      return undefined;
    };
    return visit(this) ?? variable.name;
  }

  countParams(): number {
    if (!this.built) {
      throw new Error(
        `You tried to call \`count_params\` on layer '${this.name}', but the layer isn't built. You can build it manually via: \`layer.build(input_shape)\`.`,
      );
    }
    return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** The weights' current values, in `weights` order (Python's get_weights(), as tensors). */
  getWeights(): Tensor[] {
    return this.weights.map((w) => initScope(() => w.value()));
  }

  /** Assigns every weight, in `weights` order; the count and each shape must match. */
  setWeights(values: readonly WeightValue[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new RangeError(
        `You called \`set_weights(weights)\` on layer '${this.name}' with a weight list of length ${Array.isArray(values) ? values.length : String(values)}, ` +
          `but the layer was expecting ${weights.length} weights.`,
      );
    }
    const tensors = values.map((value, i) => {
      const variable = weights[i];
      const shape = value instanceof Tensor ? value.shape : inferShape(value as HostValue, variable.dtype);
      const fits = shape.length === variable.shape.length && shape.every((d, j) => d === variable.shape[j]);
      if (!fits) {
        throw new RangeError(
          `Layer '${this.name}' weight '${this.weightPath(variable)}' has shape ${formatShape(variable.shape)}, ` +
            `which is not compatible with the provided weight shape ${formatShape(shape)}.`,
        );
      }
      if (!(value instanceof Tensor)) return initScope(() => constantTensor(value as HostValue, variable.dtype));
      return value.dtype === variable.dtype ? value : initScope(() => cast(value, variable.dtype));
    });
    initScope(() => weights.forEach((w, i) => w.assign(tensors[i])));
  }

  /** Keras' get_config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.trainable,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: this.dtype }, registered_name: null },
    };
    if (this.batchInputShape !== undefined) config.batch_input_shape = this.batchInputShape;
    if (this.activityRegularizer !== null) config.activity_regularizer = serializeRegularizer(this.activityRegularizer);
    return config;
  }

  /** Keras' from_config: the config's keys camelCased (a DTypePolicy dict read as its dtype) as constructor options. */
  static fromConfig<T extends Layer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const cls = this as unknown as typeof Layer;
    const options = optionsFromConfig(cls.name, config, cls.unsupportedConfig);
    if (isPlainObject(options.dtype) && isPlainObject(options.dtype.config)) options.dtype = options.dtype.config.name;
    return new this(options as never);
  }

  /** Keras' get_build_config: the shape build() got, so a deserialized copy is built the same. */
  getBuildConfig(): Record<string, unknown> | null {
    return this.buildInputShape === undefined ? null : { input_shape: this.buildInputShape };
  }

  /** Keras' build_from_config. */
  buildFromConfig(config: Record<string, unknown>): void {
    if (Array.isArray(config.input_shape)) this.build(config.input_shape as Shape);
  }

  toString(): string {
    return `<${this.constructor.name} name=${this.name}, built=${this.built ? 'True' : 'False'}>`;
  }
}
