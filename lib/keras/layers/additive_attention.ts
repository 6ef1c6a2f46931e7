// keras.layers.AdditiveAttention: Bahdanau attention, scores sum(scale · tanh(query + key)) with a
// trainable per-feature scale; masking, softmax, dropout and the weighted sum as Attention.
import { AddV2, Mul, Sum, Tanh } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Attention } from './attention';
import { expandDims } from './attention_masks';
import { formatShape } from '../../ops/convert';
import { LayerOptions } from './layer';

export interface AdditiveAttentionOptions extends LayerOptions {
  /** A trainable per-feature scale on the tanh terms; default true. */
  useScale?: boolean;
  /** Dropout on the attention probabilities (training only). */
  dropout?: number;
  seed?: number | null;
}

const POSITIONAL = ['useScale', 'dropout'] as const;

export class AdditiveAttention extends Attention {
  static override readonly positional: readonly string[] = POSITIONAL;

  constructor(...args: PositionalArgs<AdditiveAttentionOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdditiveAttentionOptions>(new.target, args);
    super({ ...options, useScale: options.useScale ?? true });
  }

  override build(inputShape: Shape | readonly Shape[]): void {
    this.validateInputs(inputShape, () => formatShape(inputShape as Shape));
    const dim = (inputShape as Shape[])[0].at(-1);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [dim as number], initializer: 'glorot_uniform' });
  }

  protected override calculateScores(query: Tensor, key: Tensor): Tensor {
    let terms = Tanh({ x: AddV2({ x: expandDims(query, -2), y: expandDims(key, -3) }) });
    if (this.scale !== null) terms = Mul({ x: this.scale.value(), y: terms });
    return Sum({ input: terms, reductionIndices: constantTensor(-1, 'int32') });
  }

  override getConfig(): Record<string, unknown> {
    const { score_mode: _unused, ...config } = super.getConfig();
    return config;
  }
}

kerasExport('keras.layers', [AdditiveAttention]);
