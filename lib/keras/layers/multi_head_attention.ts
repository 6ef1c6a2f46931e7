// keras.layers.MultiHeadAttention: query, key and value projected per head by EinsumDense sublayers
// ('query', 'key', 'value'), scaled dot-product attention over `attentionAxes`, and the heads
// projected back by 'attention_output'. Keras' equations, weight shapes and mask rules, so weights
// move between the two either way.
import { initScope } from '../../function';
import { formatShape } from '../../ops/convert';
import { Einsum, Mul, SelectV2, Softmax } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import {
  deserialize as deserializeInitializer,
  get as getInitializer,
  Initializer,
  InitializerIdentifier,
  serialize,
} from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { kerasExport } from '../saving/serialization_lib';
import { checkOptions, isPlainObject } from '../../utils/argument_validation';
import { isOptionsObject, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { andMasks, causalMask, dimOf, expandDims, maskedSoftmax, slidingWindowMask, toBool } from './attention_masks';
import { Dropout } from './dropout';
import { EinsumDense } from './einsum_dense';
import { KerasTensor, Node } from './keras_tensor';
import { CallOptions, getKerasMask, isInputList, isShapeList, Layer, LayerOptions, ListCallOptions, setKerasMask } from './layer';

export interface MultiHeadAttentionOptions extends LayerOptions {
  numHeads: number;
  /** The size of each head for query and key. */
  keyDim: number;
  /** The size of each head for value; default keyDim. */
  valueDim?: number | null;
  /** Dropout on the attention probabilities. */
  dropout?: number;
  useBias?: boolean;
  /** The output's last dims (without batch and attention dims); default the query's last dim. */
  outputShape?: number | readonly number[] | null;
  /** The axes attention runs over (of the projected query, without the head axis); default all but batch, heads and features. */
  attentionAxes?: number | readonly number[] | null;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seeds the attention dropout. */
  seed?: number | null;
  /** A sigmoid gate (sublayer 'gate', from the query) multiplying each head's output. */
  useGate?: boolean;
  /** Each query position attends only to key positions less than this far from it. */
  slidingWindow?: number | null;
}

/** Python's `mha(query, value, key=None, ...)` keyword arguments. */
export interface MultiHeadAttentionCallOptions {
  /** Default: `value`. */
  key?: TensorLike | null;
  /** [B, T, S] bool: which query positions attend to which key positions. */
  attentionMask?: TensorLike | null;
  /** [B, T]; default: the mask `query` carries (Embedding(maskZero), Masking). */
  queryMask?: Tensor | null;
  /** [B, S]; default: the mask `value` carries. */
  valueMask?: Tensor | null;
  /** [B, S]; default: the mask `key` carries. */
  keyMask?: Tensor | null;
  /** Also return the attention probabilities [B, heads, T, S]. */
  returnAttentionScores?: boolean;
  training?: boolean;
  /** Each query position attends only to key positions at or before it. */
  useCausalMask?: boolean;
}

type ScoresWanted = MultiHeadAttentionCallOptions & { returnAttentionScores: true };

/** What apply() hands to call() besides the query. */
interface AttentionCallOptions extends CallOptions {
  value: Tensor;
  key: Tensor | null;
  attentionMask: Tensor | null;
  valueMask: Tensor | null;
  keyMask: Tensor | null;
  returnAttentionScores: boolean;
  useCausalMask: boolean;
}

const CALL_OPTIONS = ['key', 'attentionMask', 'queryMask', 'valueMask', 'keyMask', 'returnAttentionScores', 'training', 'useCausalMask'];

const POSITIONAL = ['numHeads', 'keyDim', 'valueDim', 'dropout', 'useBias', 'outputShape', 'attentionAxes'] as const;

const letter = (i: number) => String.fromCharCode(97 + i);

/** Keras' _build_proj_equation: [equation, bias axes, output rank]. */
export function buildProjEquation(freeDims: number, boundDims: number, outputDims: number): [string, string, number] {
  let input = '';
  let kernel = '';
  let output = '';
  let bias = '';
  for (let i = 0; i < freeDims; i++) {
    input += letter(i);
    output += letter(i);
  }
  for (let i = 0; i < boundDims; i++) {
    input += letter(freeDims + i);
    kernel += letter(freeDims + i);
  }
  for (let i = 0; i < outputDims; i++) {
    const c = letter(freeDims + boundDims + i);
    kernel += c;
    output += c;
    bias += c;
  }
  return [`${input},${kernel}->${output}`, bias, output.length];
}

/** Keras' _build_attention_equation: [dot product, combine, scores rank]. */
export function buildAttentionEquation(rank: number, attnAxes: readonly number[]): [string, string, number] {
  let target = '';
  for (let i = 0; i < rank; i++) target += letter(i);
  const batchDims = Array.from({ length: rank }, (_, i) => i).filter((i) => !attnAxes.includes(i) && i !== rank - 1);
  let offset = rank;
  let source = '';
  for (let i = 0; i < rank; i++) source += batchDims.includes(i) || i === rank - 1 ? target[i] : letter(offset++);
  const product = [...batchDims.map((i) => target[i]), ...attnAxes.map((i) => target[i]), ...attnAxes.map((i) => source[i])].join('');
  return [`${source},${target}->${product}`, `${product},${source}->${target}`, product.length];
}

const outputShapeOf = (outputRank: number, known: readonly number[]): (number | null)[] => [
  ...Array<null>(outputRank - known.length).fill(null),
  ...known,
];

function positiveInteger(name: string, value: unknown, orNull = false): void {
  if (orNull && (value === null || value === undefined)) return;
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new RangeError(
      `Received an invalid value for argument \`${name}\`, expected a positive integer${orNull ? ' or `None`' : ''}. Received: ${name}=${String(value)}`,
    );
  }
}

const sameDims = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

export class MultiHeadAttention extends Layer {
  /** Keras calls it on separate positional tensors (query, value, key), which a functional config records as such. */
  static readonly positionalInputs = true;
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    ...POSITIONAL,
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
    'seed',
    'useGate',
    'slidingWindow',
  ];
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number[] | null;
  /** As given, then (once built) normalized to non-negative axes of the projected inputs, as Keras does. */
  attentionAxes: number[] | null;
  readonly seed: number | null;
  readonly useGate: boolean;
  readonly slidingWindow: number | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  /** Keras gives it to the projections only (the layer's own output is not penalized). */
  readonly sublayerActivityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  // Sublayers in Keras' weight order; the walk names them query_dense, key_dense, ... as Keras' properties.
  queryDense: EinsumDense | null = null;
  keyDense: EinsumDense | null = null;
  // Keras keeps these two private: the weights file names them '_gate_dense', '_dropout_layer'.
  _gateDense: EinsumDense | null = null;
  valueDense: EinsumDense | null = null;
  outputDense: EinsumDense | null = null;
  _dropoutLayer: Dropout | null = null;
  private dotProductEquation = '';
  private combineEquation = '';
  private normAxes = 1;
  private buildShapes: Record<string, Shape> | null = null;
  /** The scores of the call in progress (call() returns one tensor; apply() returns both). */
  private lastScores: Tensor | null = null;

  constructor(...args: PositionalArgs<MultiHeadAttentionOptions, typeof POSITIONAL>) {
    const options = positionalOptions<MultiHeadAttentionOptions>(new.target, args);
    const { numHeads, keyDim, valueDim = null, dropout = 0, useBias = true, outputShape = null, attentionAxes = null } = options;
    positiveInteger('num_heads', numHeads);
    positiveInteger('key_dim', keyDim);
    positiveInteger('value_dim', valueDim, true);
    const { activityRegularizer, ...rest } = options;
    super(rest);
    this.supportsMasking = true;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError(
        `Invalid value received for argument \`dropout\`. Expected a float value between 0 and 1. Received: dropout=${String(dropout)}`,
      );
    }
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = valueDim ?? keyDim;
    this.dropout = dropout;
    this.useBias = useBias;
    if (outputShape !== null && outputShape !== 0 && !(Array.isArray(outputShape) && outputShape.length === 0)) {
      const dims = typeof outputShape === 'number' ? [outputShape] : outputShape;
      if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d > 0)) {
        throw new RangeError(
          `Invalid \`output_shape\`: ${String(outputShape)}. When specified, the \`output_shape\` should be of type tuple, list, or int.`,
        );
      }
      this.outputShape = [...dims];
    } else this.outputShape = null;
    if (attentionAxes === null || attentionAxes === undefined) this.attentionAxes = null;
    else if (typeof attentionAxes === 'number') this.attentionAxes = [attentionAxes];
    else if (Array.isArray(attentionAxes) && attentionAxes.every((a) => Number.isInteger(a))) this.attentionAxes = [...attentionAxes];
    else throw new RangeError(`\`attention_axes\` must be an int, list, or tuple.Received: attention_axes=${String(attentionAxes)}`);
    this.seed = options.seed ?? null;
    this.useGate = options.useGate ?? false;
    const { slidingWindow = null } = options;
    if (slidingWindow !== null && !(Number.isInteger(slidingWindow) && slidingWindow > 0)) {
      throw new RangeError(`\`sliding_window\` must be \`None\` or a positive integer. Received: sliding_window=${String(slidingWindow)}`);
    }
    this.slidingWindow = slidingWindow;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.sublayerActivityRegularizer = getRegularizer(activityRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    // Keras' build(query_shape, value_shape, key_shape): Layer's wrapper forwards one shape, this one all three.
    const build = Object.getPrototypeOf(this).build as MultiHeadAttention['build'];
    this.build = (queryShape: Shape, valueShape?: Shape, keyShape?: Shape | null) => {
      initScope(() => build.call(this, queryShape, valueShape, keyShape));
      this.buildInputShape = [...queryShape];
      this.buildShapes = { query_shape: [...queryShape], ...(valueShape ? { value_shape: [...valueShape] } : {}) };
      if (keyShape) this.buildShapes.key_shape = [...keyShape];
      this.built = true;
    };
  }

  /** Keras' per-sublayer kwargs: fresh initializer copies, so the projections do not share draws. */
  private sublayerOptions() {
    const copy = (init: Initializer) => deserializeInitializer(serialize(init) as never);
    return {
      kernelInitializer: copy(this.kernelInitializer),
      biasInitializer: copy(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
      activityRegularizer: this.sublayerActivityRegularizer,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
      dtype: this.dtype,
    };
  }

  private projection(name: string, inputShape: Shape, boundDims: number, dims: readonly number[], activation?: string): EinsumDense {
    const [equation, biasAxes, outputRank] = buildProjEquation(inputShape.length - 1, boundDims, dims.length);
    const layer = new EinsumDense({
      equation,
      outputShape: outputShapeOf(outputRank - 1, dims),
      biasAxes: this.useBias ? biasAxes : null,
      activation,
      name,
      ...this.sublayerOptions(),
    });
    return layer;
  }

  override build(queryShape: Shape, valueShape?: Shape, keyShape?: Shape | null): void {
    if (valueShape === undefined) throw new TypeError("MultiHeadAttention.build() missing 1 required positional argument: 'value_shape'");
    const key = keyShape ?? valueShape;
    if (!sameDims(valueShape.slice(1, -1), key.slice(1, -1))) {
      throw new RangeError(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${formatShape(valueShape)} and key_shape=${formatShape(key)}`,
      );
    }
    this.queryDense = this.projection('query', queryShape, 1, [this.numHeads, this.keyDim]);
    this.queryDense.build(queryShape);
    this.keyDense = this.projection('key', key, 1, [this.numHeads, this.keyDim]);
    this.keyDense.build(key);
    if (this.useGate) {
      this._gateDense = this.projection('gate', queryShape, 1, [this.numHeads, this.valueDim], 'sigmoid');
      this._gateDense.build(queryShape);
    }
    this.valueDense = this.projection('value', valueShape, 1, [this.numHeads, this.valueDim]);
    this.valueDense.build(valueShape);
    this.buildAttention(valueShape.length + 1);
    const outputDims = this.outputShape ?? [queryShape[queryShape.length - 1] as number];
    this.outputDense = this.projection('attention_output', queryShape, 2, outputDims);
    const projected = this.queryDense.computeOutputShape(queryShape);
    projected[projected.length - 1] = this.valueDim;
    this.outputDense.build(projected);
  }

  /** Keras' _build_attention: the einsum equations, the softmax axes and the dropout layer. */
  private buildAttention(rank: number): void {
    this.attentionAxes =
      this.attentionAxes === null
        ? Array.from({ length: rank - 3 }, (_, i) => i + 1)
        : this.attentionAxes.map((a) => (a >= 0 ? a : rank - 1 + a));
    const [dot, combine] = buildAttentionEquation(rank, this.attentionAxes);
    this.dotProductEquation = dot;
    this.combineEquation = combine;
    this.normAxes = this.attentionAxes.length;
    this._dropoutLayer = new Dropout({ rate: this.dropout, seed: this.seed, dtype: this.dtype });
  }

  /**
   * Python's `mha(query, value, key=None, ...)`: `mha.apply(query, value)`, `mha.apply(query, value, key, {...})`
   * or `mha.apply(query, value, {key, attentionMask, ...})`. With returnAttentionScores, [output, scores].
   */
  override apply(inputs: KerasTensor, options?: CallOptions): KerasTensor;
  override apply(
    query: KerasTensor,
    value: KerasTensor,
    key: KerasTensor | null | undefined,
    options: ScoresWanted,
  ): [KerasTensor, KerasTensor];
  override apply(query: KerasTensor, value: KerasTensor, options: ScoresWanted): [KerasTensor, KerasTensor];
  override apply(
    query: KerasTensor,
    value: KerasTensor,
    key?: KerasTensor | MultiHeadAttentionCallOptions | null,
    options?: MultiHeadAttentionCallOptions,
  ): KerasTensor;
  override apply(query: TensorLike, value: TensorLike, key: TensorLike | null | undefined, options: ScoresWanted): [Tensor, Tensor];
  override apply(query: TensorLike, value: TensorLike, options: ScoresWanted): [Tensor, Tensor];
  override apply(
    query: TensorLike,
    value: TensorLike,
    key?: TensorLike | MultiHeadAttentionCallOptions | null,
    options?: MultiHeadAttentionCallOptions,
  ): Tensor;
  /** The functional graph's form: the positional arguments as one list, `[query, value, key?]`. */
  override apply(inputs: readonly KerasTensor[], options?: ListCallOptions): KerasTensor;
  override apply(inputs: readonly (Tensor | Variable)[], options?: ListCallOptions): Tensor;
  /** Layer's one-input form: Keras' call needs `value` too, so this throws unless given. */
  override apply(inputs: TensorLike, options?: CallOptions): Tensor;
  override apply(
    query: TensorLike | KerasTensor | readonly (TensorLike | KerasTensor)[],
    value?: TensorLike | KerasTensor | CallOptions | ListCallOptions,
    key?: TensorLike | KerasTensor | MultiHeadAttentionCallOptions | null,
    options?: MultiHeadAttentionCallOptions,
  ): Tensor | KerasTensor | [Tensor, Tensor] | [KerasTensor, KerasTensor] {
    this.checkNotDisposed();
    if (isInputList(query)) {
      // [query, value, key?] with the options second (how the functional graph replays a node).
      const [q, v, k] = query as readonly (TensorLike | KerasTensor)[];
      return this.apply(q as never, v as never, (k ?? null) as never, (value ?? {}) as never);
    }
    let opts: MultiHeadAttentionCallOptions;
    if (isOptionsObject(key) && options === undefined) {
      opts = key as MultiHeadAttentionCallOptions;
      key = opts.key;
    } else {
      opts = options ?? {};
      if (opts.key !== undefined && key !== undefined && key !== null) {
        throw new TypeError("MultiHeadAttention.apply() got multiple values for argument 'key'");
      }
      key = key ?? opts.key;
    }
    checkOptions(`${this.constructor.name}.apply`, opts, CALL_OPTIONS);
    if (value === undefined || isOptionsObject(value)) {
      throw new TypeError("MultiHeadAttention.apply() missing 1 required positional argument: 'value'");
    }
    const tensors = [query, value, key].filter((t) => t !== undefined && t !== null);
    const symbolic = tensors.filter((t) => t instanceof KerasTensor);
    if (symbolic.length > 0) {
      if (symbolic.length !== tensors.length) {
        throw new TypeError(`Layer '${this.name}' was called on a mix of KerasTensors and tensors; pass only one kind.`);
      }
      return this.applyAttentionSymbolic(symbolic as KerasTensor[], opts);
    }
    const q = this.toInputTensor(query as TensorLike);
    const v = this.toInputTensor(value as TensorLike);
    const k = key === undefined || key === null ? null : this.toInputTensor(key as TensorLike);
    if (!this.built) this.build(q.shape, v.shape, k?.shape);
    const state: AttentionCallOptions = {
      value: v,
      key: k,
      attentionMask: opts.attentionMask === undefined || opts.attentionMask === null ? null : this.toMask(opts.attentionMask),
      valueMask: opts.valueMask ?? getKerasMask(v),
      keyMask: opts.keyMask ?? (k === null ? null : getKerasMask(k)),
      returnAttentionScores: opts.returnAttentionScores ?? false,
      useCausalMask: opts.useCausalMask ?? false,
      ...(opts.training === undefined ? {} : { training: opts.training }),
      // Keras' query_mask: the query's own mask (or the one given).
      mask: opts.queryMask ?? getKerasMask(q),
    };
    // Keras deletes the inputs' masks (handled here): a later layer given the same tensors sees none.
    for (const t of [q, v, k]) if (t !== null) setKerasMask(t, null);
    this.lastScores = null;
    const output = this.applyToTensor(q, state) as Tensor;
    const scores = this.lastScores;
    this.lastScores = null;
    return state.returnAttentionScores ? [output, scores as unknown as Tensor] : output;
  }

  /** A functional node over [query, value, key?] (Keras' `args: [q, v, k]`), with the output (and scores) shapes. */
  private applyAttentionSymbolic(inputs: KerasTensor[], opts: MultiHeadAttentionCallOptions): KerasTensor | [KerasTensor, KerasTensor] {
    for (const name of ['attentionMask', 'queryMask', 'valueMask', 'keyMask'] as const) {
      if (opts[name] !== undefined && opts[name] !== null) {
        throw new TypeError(
          `MultiHeadAttention '${this.name}': \`${name}\` is not supported in a functional call yet (the inputs' own masks are); call the layer on tensors to pass it.`,
        );
      }
    }
    const [q, v, k] = inputs.map((t) => t.shape);
    if (!this.built) this.build(q, v, k ?? null);
    const outputShape = this.computeOutputShape(q, v, k ?? null);
    const returnScores = opts.returnAttentionScores ?? false;
    const specs = [{ shape: outputShape, dtype: this.dtype }];
    if (returnScores) specs.push({ shape: this.scoresShape(q, k ?? v), dtype: this.dtype });
    const callOptions: Record<string, unknown> = {};
    for (const name of ['returnAttentionScores', 'useCausalMask', 'training'] as const)
      if (opts[name] !== undefined) callOptions[name] = opts[name];
    const node = new Node(this, inputs, specs, callOptions as CallOptions, undefined, true, true);
    this.inboundNodes.push(node);
    return returnScores ? [node.outputs[0], node.outputs[1]] : node.outputs[0];
  }

  /** The scores' shape: the dot-product equation's output letters, sized from the projected query and key. */
  private scoresShape(queryShape: Shape, keyShape: Shape): Shape {
    const [source, target, product] = this.dotProductEquation.split(/,|->/);
    const key = [...keyShape.slice(0, -1), this.numHeads, this.keyDim];
    const query = [...queryShape.slice(0, -1), this.numHeads, this.keyDim];
    return [...product].map((c) => (target.includes(c) ? query[target.indexOf(c)] : key[source.indexOf(c)]));
  }

  private toMask(mask: TensorLike): Tensor {
    return mask instanceof Tensor ? mask : constantTensor(mask as never, 'bool');
  }

  override call(query: Tensor, options: CallOptions): Tensor {
    const o = options as AttentionCallOptions;
    const value = o.value;
    const key = o.key ?? value;
    const queryMask = o.mask ?? null;
    // Keras routes a causal-only mask to the fused kernel's is_causal instead of a mask tensor.
    const causalOnly =
      o.useCausalMask &&
      queryMask === null &&
      o.valueMask === null &&
      o.keyMask === null &&
      o.attentionMask === null &&
      this.slidingWindow === null;
    const attentionMask = causalOnly ? null : this.computeAttentionMask(query, value, queryMask, o);
    const gate = this._gateDense === null ? null : this._gateDense.apply(query);
    const q = (this.queryDense as EinsumDense).apply(query);
    const k = (this.keyDense as EinsumDense).apply(key);
    const v = (this.valueDense as EinsumDense).apply(value);
    const [attention, scores] = this.computeAttention(q, k, v, attentionMask, o.training ?? false, o.returnAttentionScores, causalOnly);
    this.lastScores = scores;
    return (this.outputDense as EinsumDense).apply(gate === null ? attention : Mul({ x: attention, y: gate }));
  }

  /** Keras' _compute_attention_mask: the query [B, T, 1], value and key [B, 1, S] masks, the causal one and `attentionMask`, and-ed. */
  private computeAttentionMask(query: Tensor, value: Tensor, queryMask: Tensor | null, o: AttentionCallOptions): Tensor | null {
    let auto: Tensor | null = null;
    if (queryMask !== null) auto = expandDims(toBool(queryMask), -1);
    if (o.valueMask !== null) auto = andMasks(auto, expandDims(toBool(o.valueMask), -2));
    if (o.keyMask !== null) auto = andMasks(auto, expandDims(toBool(o.keyMask), -2));
    if (o.useCausalMask) auto = andMasks(auto, causalMask(dimOf(query, 1), dimOf(value, 1)));
    if (this.slidingWindow !== null) auto = andMasks(auto, slidingWindowMask(dimOf(query, 1), dimOf(value, 1), this.slidingWindow));
    const given = o.attentionMask === null ? null : toBool(o.attentionMask);
    return auto === null ? given : andMasks(given, auto);
  }

  /** Keras' _compute_attention: [output, scores] (scores null on the fused path, which Keras takes when they are not asked for). */
  private computeAttention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attentionMask: Tensor | null,
    training: boolean,
    returnScores: boolean,
    causalOnly: boolean,
  ): [Tensor, Tensor | null] {
    const scale = constantTensor(1 / Math.sqrt(this.keyDim), query.dtype);
    const axes = this.attentionAxes as number[];
    if (!(this.dropout > 0 || returnScores || query.rank !== 4)) {
      // ops.dot_product_attention (TF backend): scaled logits, masked to -0.7·max, softmax, no zeroing of fully masked rows.
      const logits = Mul({ x: Einsum({ inputs: [query, key], equation: 'btnh,bsnh->bnts' }), y: scale });
      let mask = causalOnly ? causalMask(dimOf(query, 1), dimOf(value, 1)) : attentionMask;
      if (mask !== null) for (let r = mask.rank; r < 4; r++) mask = expandDims(mask, -axes.length * 2 - 1);
      const padded = mask === null ? logits : SelectV2({ condition: mask, t: logits, e: constantTensor(-0.7 * 3.38953e38, logits.dtype) });
      return [Einsum({ inputs: [Softmax({ logits: padded }), value], equation: 'bnts,bsnh->btnh' }), null];
    }
    const mask = causalOnly ? causalMask(dimOf(query, 1), dimOf(value, 1)) : attentionMask;
    const scaled = Mul({ x: query, y: scale });
    const raw = Einsum({ inputs: [key, scaled], equation: this.dotProductEquation });
    let expanded = mask;
    if (expanded !== null) for (let r = expanded.rank; r < raw.rank; r++) expanded = expandDims(expanded, -axes.length * 2 - 1);
    const scores = maskedSoftmax(raw, expanded, this.normAxes);
    const dropped = this.dropout > 0 ? (this._dropoutLayer as Dropout).apply(scores, { training }) : scores;
    return [Einsum({ inputs: [dropped, value], equation: this.combineEquation }), scores];
  }

  /** Keras' compute_output_shape(query_shape, value_shape, key_shape); value defaults to the query (self-attention). */
  override computeOutputShape(queryShape: Shape | Shape[], valueShape?: Shape, keyShape?: Shape | null): Shape {
    // The functional graph passes its node's shapes as one list.
    if (isShapeList(queryShape)) return this.computeOutputShape(queryShape[0], queryShape[1], queryShape[2] ?? null);
    valueShape ??= queryShape;
    const key = keyShape ?? valueShape;
    if (!sameDims(valueShape.slice(1, -1), key.slice(1, -1))) {
      throw new RangeError(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${formatShape(valueShape)} and key_shape=${formatShape(key)}`,
      );
    }
    return this.outputShape === null ? [...queryShape] : [...queryShape.slice(0, -1), ...this.outputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputShape,
      attention_axes: this.attentionAxes,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.sublayerActivityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      seed: this.seed,
      use_gate: this.useGate,
      sliding_window: this.slidingWindow,
    };
  }

  /** Keras' build config for a multi-shape build: {shapes_dict: {query_shape, value_shape[, key_shape]}}. */
  override getBuildConfig(): Record<string, unknown> | null {
    return this.buildShapes === null ? null : { shapes_dict: this.buildShapes };
  }

  override buildFromConfig(config: Record<string, unknown>): void {
    const shapes = config.shapes_dict;
    if (!isPlainObject(shapes)) return;
    this.build(shapes.query_shape as Shape, shapes.value_shape as Shape, (shapes.key_shape as Shape | undefined) ?? null);
  }
}

kerasExport('keras.layers', [MultiHeadAttention]);
