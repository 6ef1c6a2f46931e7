// Keras' BaseGlobalPooling (channels_last): the mean or max over every step / spatial position.
import { int32Vector } from '../../ops/convert';
import { Cast, ExpandDims, Max, Mean, RealDiv, SelectV2, Sum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { checkChannelsLast } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface GlobalPoolingOptions extends LayerOptions {
  dataFormat?: 'channels_last';
  /** Keep the pooled axes as size 1. Default false. */
  keepdims?: boolean;
}

export const GLOBAL_POOLING_KEYS = ['dataFormat', 'keepdims'] as const;
export const GLOBAL_POOLING_POSITIONAL = ['dataFormat', 'keepdims'] as const;

export abstract class BaseGlobalPooling extends Layer {
  readonly keepdims: boolean;

  protected constructor(
    private readonly rank: 1 | 2,
    private readonly mode: 'max' | 'average',
    options: GlobalPoolingOptions,
  ) {
    super(options);
    checkChannelsLast(options.dataFormat);
    this.keepdims = options.keepdims ?? false;
    this.inputSpec = { ndim: rank + 2 };
    this.built = true;
  }

  override call(inputs: Tensor, { mask }: CallOptions): Tensor {
    const reductionIndices = int32Vector(this.rank === 1 ? [1] : [1, 2]);
    if (this.mode === 'average' && this.rank === 1 && mask !== null && mask !== undefined) {
      // Keras: the mean over the unmasked steps only.
      const expanded = ExpandDims({
        input: mask.dtype === 'bool' ? mask : Cast({ x: mask, DstT: 'bool' }),
        dim: constantTensor(2, 'int32'),
      });
      const kept = SelectV2({ condition: expanded, t: inputs, e: constantTensor(0, inputs.dtype) });
      const weights = Cast({ x: expanded, DstT: inputs.dtype });
      return RealDiv({
        x: Sum({ input: kept, reductionIndices, keepDims: this.keepdims }),
        y: Sum({ input: weights, reductionIndices, keepDims: this.keepdims }),
      });
    }
    const args = { input: inputs, reductionIndices, keepDims: this.keepdims };
    return this.mode === 'max' ? Max(args) : Mean(args);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const channels = inputShape[inputShape.length - 1];
    if (!this.keepdims) return [inputShape[0], channels];
    return this.rank === 1 ? [inputShape[0], 1, channels] : [inputShape[0], 1, 1, channels];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last', keepdims: this.keepdims };
  }
}
