// keras.layers.Attention: dot-product (Luong) or concat attention of a query over value (and key)
// sequences: softmax of the masked scores, dropout, then the weighted sum of the values.
import { formatShape } from '../../ops/convert';
import { AddV2, BatchMatMulV2, LogicalNot, Mul, SelectV2, Softmax, Sub, Sum, Tanh } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkOptions } from '../../utils/argument_validation';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { andMasks, causalMask, dimOf, expandDims, toBool } from './attention_masks';
import { seededDropout } from './dropout';
import { KerasTensor, Node } from './keras_tensor';
import { CallOptions, getKerasMask, Layer, LayerOptions } from './layer';
import { SeedGenerator } from './seed_generator';

export type ScoreMode = 'dot' | 'concat';

export interface AttentionOptions extends LayerOptions {
  /** A trainable scalar multiplying the scores. */
  useScale?: boolean;
  /** 'dot' (query·key) or 'concat' (sum(tanh(query + key))); default 'dot'. */
  scoreMode?: ScoreMode;
  /** Dropout on the attention probabilities (training only). */
  dropout?: number;
  seed?: number | null;
}

/** Python's `attention([query, value, key], mask=..., ...)` keyword arguments. */
export interface AttentionCallOptions {
  /** [queryMask, valueMask] ([B, Tq], [B, Tv]); default: the masks the inputs carry. */
  mask?: readonly (Tensor | null)[] | Tensor | null;
  /** Also return the attention probabilities [B, Tq, Tv]. */
  returnAttentionScores?: boolean;
  training?: boolean;
  /** Query position i attends only to value positions ≤ i. */
  useCausalMask?: boolean;
}

interface ScoresCallOptions extends CallOptions {
  value: Tensor;
  key: Tensor;
  valueMask: Tensor | null;
  returnAttentionScores: boolean;
  useCausalMask: boolean;
}

const CALL_OPTIONS = ['mask', 'returnAttentionScores', 'training', 'useCausalMask'];

const POSITIONAL = ['useScale', 'scoreMode', 'dropout', 'seed'] as const;

export class Attention extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly useScale: boolean;
  readonly scoreMode: ScoreMode;
  readonly dropout: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | null;
  scale: Variable | null = null;
  concatScoreWeight: Variable | null = null;
  /** The scores of the call in progress (call() returns one tensor; apply() returns both). */
  private lastScores: Tensor | null = null;

  constructor(...args: PositionalArgs<AttentionOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AttentionOptions>(new.target, args);
    const { useScale = false, scoreMode = 'dot', dropout = 0, seed = null, ...rest } = options;
    super(rest);
    this.supportsMasking = true;
    if (scoreMode !== 'dot' && scoreMode !== 'concat') {
      throw new RangeError(
        `Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${String(scoreMode)}`,
      );
    }
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError(
        `Invalid value received for argument \`dropout\`. Expected a float value between 0 and 1. Received: dropout=${String(dropout)}`,
      );
    }
    this.useScale = useScale;
    this.scoreMode = scoreMode;
    this.dropout = dropout;
    this.seed = seed;
    this.seedGenerator = dropout > 0 ? new SeedGenerator(seed) : null;
    if (this.seedGenerator) this.trackState(this.seedGenerator.state, 'seed_generator_state');
  }

  /** Keras' _validate_inputs: a list of 2 or 3. */
  protected validateInputs(inputs: unknown, describe: () => string): void {
    const name = this.constructor.name;
    if (!Array.isArray(inputs)) {
      throw new TypeError(
        `${name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: inputs=${describe()}.`,
      );
    }
    if (inputs.length < 2 || inputs.length > 3) {
      throw new RangeError(
        `${name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. Received length: ${inputs.length}.`,
      );
    }
  }

  /** `inputShape`: [queryShape, valueShape] or [queryShape, valueShape, keyShape]. */
  override build(inputShape: Shape | readonly Shape[]): void {
    this.validateInputs(inputShape, () => formatShape(inputShape as Shape));
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat')
      this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: 'ones' });
  }

  /**
   * Python's `attention([query, value, key], ...)`: `apply([query, value])` or `apply([query, value, key], {mask, ...})`.
   * With returnAttentionScores, [output, scores].
   */
  override apply(
    inputs: readonly KerasTensor[],
    options: AttentionCallOptions & { returnAttentionScores: true },
  ): [KerasTensor, KerasTensor];
  override apply(inputs: readonly KerasTensor[], options?: AttentionCallOptions): KerasTensor;
  override apply(
    inputs: readonly (TensorLike | KerasTensor)[],
    options: AttentionCallOptions & { returnAttentionScores: true },
  ): [Tensor, Tensor];
  override apply(inputs: readonly (TensorLike | KerasTensor)[] | TensorLike, options?: AttentionCallOptions): Tensor;
  /** Layer's one-input form: Keras' call needs a list, so this throws. */
  override apply(inputs: KerasTensor, options?: CallOptions): KerasTensor;
  override apply(
    inputs: readonly (TensorLike | KerasTensor)[] | TensorLike | KerasTensor,
    options: AttentionCallOptions = {},
  ): Tensor | KerasTensor | [Tensor, Tensor] | [KerasTensor, KerasTensor] {
    this.checkNotDisposed();
    this.validateInputs(inputs, () =>
      inputs instanceof Tensor || inputs instanceof KerasTensor ? formatShape(inputs.shape) : String(inputs),
    );
    checkOptions(`${this.constructor.name}.apply`, options, CALL_OPTIONS);
    const list = inputs as readonly (TensorLike | KerasTensor)[];
    const symbolic = list.filter((t) => t instanceof KerasTensor);
    if (symbolic.length > 0) {
      if (symbolic.length !== list.length) {
        throw new TypeError(`Layer '${this.name}' was called on a list mixing KerasTensors and tensors; pass only one kind.`);
      }
      return this.applyScoresSymbolic(symbolic as KerasTensor[], options);
    }
    const [q, v, k] = list.map((t) => this.toInputTensor(t as TensorLike));
    const mask = (options.mask ?? null) as readonly (Tensor | null)[] | null;
    if (mask !== null && !Array.isArray(mask)) {
      throw new TypeError(
        `${this.constructor.name} layer mask must be a list, namely [query_mask, value_mask]. Received: mask=${String(mask)}.`,
      );
    }
    if (mask !== null && (mask.length < 2 || mask.length > 3)) {
      throw new RangeError(`${this.constructor.name} layer accepts mask list of length 2 or 3. Received: mask of length ${mask.length}.`);
    }
    if (!this.built) this.build([q, v, k ?? v].slice(0, list.length).map((t) => t.shape));
    const state: ScoresCallOptions = {
      value: v,
      key: k ?? v,
      valueMask: mask === null ? getKerasMask(v) : (mask[1] ?? null),
      returnAttentionScores: options.returnAttentionScores ?? false,
      useCausalMask: options.useCausalMask ?? false,
      mask: mask === null ? getKerasMask(q) : (mask[0] ?? null),
      ...(options.training === undefined ? {} : { training: options.training }),
    };
    this.lastScores = null;
    const output = this.applyToTensor(q, state) as Tensor;
    const scores = this.lastScores as unknown as Tensor;
    this.lastScores = null;
    return state.returnAttentionScores ? [output, scores] : output;
  }

  /** A functional node over the list (Keras' `args: [[q, v, k]]`), with the output (and scores) shapes. */
  private applyScoresSymbolic(inputs: KerasTensor[], options: AttentionCallOptions): KerasTensor | [KerasTensor, KerasTensor] {
    if (options.mask !== undefined && options.mask !== null) {
      throw new TypeError(
        `${this.constructor.name} '${this.name}': \`mask\` is not supported in a functional call yet (the inputs' own masks are); call the layer on tensors to pass it.`,
      );
    }
    const shapes = inputs.map((t) => t.shape);
    if (!this.built) this.build(shapes);
    const returnScores = options.returnAttentionScores ?? false;
    const [query, value] = shapes;
    const key = shapes[2] ?? value;
    const specs = [{ shape: this.computeOutputShape(shapes), dtype: this.dtype }];
    if (returnScores) specs.push({ shape: [...query.slice(0, -1), key[key.length - 2]], dtype: this.dtype });
    const callOptions: Record<string, unknown> = {};
    for (const name of ['returnAttentionScores', 'useCausalMask', 'training'] as const)
      if (options[name] !== undefined) callOptions[name] = options[name];
    const node = new Node(this, inputs, specs, callOptions as CallOptions, undefined, true);
    this.inboundNodes.push(node);
    return returnScores ? [node.outputs[0], node.outputs[1]] : node.outputs[0];
  }

  /** Keras' _calculate_scores: [B, Tq, Tv]. */
  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const scores = BatchMatMulV2({ x: query, y: key, adjY: true });
      return this.scale === null ? scores : Mul({ x: scores, y: this.scale.value() });
    }
    let sum = AddV2({ x: expandDims(query, -2), y: expandDims(key, -3) });
    if (this.scale !== null) sum = Mul({ x: this.scale.value(), y: sum });
    const reduced = Sum({ input: Tanh({ x: sum }), reductionIndices: constantTensor(-1, 'int32') });
    return Mul({ x: (this.concatScoreWeight as Variable).value(), y: reduced });
  }

  override call(query: Tensor, options: CallOptions): Tensor {
    const o = options as ScoresCallOptions;
    const scores = this.calculateScores(query, o.key);
    let scoresMask = o.valueMask === null ? null : toBool(o.valueMask);
    if (o.useCausalMask) {
      const causal = causalMask(dimOf(scores, scores.rank - 2), dimOf(scores, scores.rank - 1));
      scoresMask = scoresMask === null ? causal : andMasks(expandDims(scoresMask, -2), causal);
    }
    // Keras' _apply_scores: masked scores lowered by 1e9 (not replaced), softmax, dropout.
    let masked = scores;
    if (scoresMask !== null) {
      let padding = LogicalNot({ x: scoresMask });
      if (padding.rank === 2) padding = expandDims(padding, -2);
      masked = SelectV2({ condition: padding, t: Sub({ x: scores, y: constantTensor(1e9, scores.dtype) }), e: scores });
    }
    const weights = Softmax({ logits: masked });
    this.lastScores = weights;
    const dropped = o.training && this.seedGenerator !== null ? seededDropout(weights, this.dropout, this.seedGenerator) : weights;
    const output = BatchMatMulV2({ x: dropped, y: o.value });
    const queryMask = o.mask ?? null;
    if (queryMask === null) return output;
    return SelectV2({ condition: expandDims(toBool(queryMask), -1), t: output, e: constantTensor(0, output.dtype) });
  }

  /** `inputShape`: the list of the inputs' shapes. */
  override computeOutputShape(inputShape: Shape | readonly Shape[]): Shape {
    const [queryShape, valueShape] = inputShape as readonly Shape[];
    return [...queryShape.slice(0, -1), valueShape[valueShape.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode, dropout: this.dropout, seed: this.seed };
  }
}

kerasExport('keras.layers', [Attention]);
