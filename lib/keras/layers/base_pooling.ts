// Keras' BasePooling (channels_last): a max or average over each poolSize window. 1-D pools run
// TF's way, as a 2-D pool over [batch, 1, steps, channels].
import { AvgPool, ExpandDims, MaxPool, Squeeze } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { checkChannelsLast, checkPadding, Padding, spatialOutputShape, stepsOutputShape, toTuple } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface PoolingOptions extends LayerOptions {
  poolSize?: number | readonly number[];
  /** Default: poolSize. */
  strides?: number | readonly number[] | null;
  padding?: Padding | 'VALID' | 'SAME';
  dataFormat?: 'channels_last';
}

export const POOLING_KEYS = ['poolSize', 'strides', 'padding', 'dataFormat'] as const;
/** Keras' leading parameters of every pooling layer. */
export const POOLING_POSITIONAL = ['poolSize', 'strides', 'padding', 'dataFormat', 'name'] as const;

export abstract class BasePooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;

  protected constructor(
    private readonly rank: 1 | 2,
    private readonly mode: 'max' | 'average',
    options: PoolingOptions,
    defaultPoolSize: number | undefined,
  ) {
    super(options);
    const { poolSize = defaultPoolSize, strides = null, padding = 'valid' } = options;
    if (poolSize === undefined) throw new TypeError(`${new.target.name} requires poolSize`);
    checkChannelsLast(options.dataFormat);
    this.poolSize = toTuple('poolSize', poolSize, rank);
    this.strides = strides === null ? this.poolSize : toTuple('strides', strides, rank);
    this.padding = checkPadding(padding);
    this.inputSpec = { ndim: rank + 2 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const window = this.rank === 1 ? [1, 1, this.poolSize[0], 1] : [1, ...this.poolSize, 1];
    const strides = this.rank === 1 ? [1, 1, this.strides[0], 1] : [1, ...this.strides, 1];
    const padding = this.padding === 'same' ? 'SAME' : 'VALID';
    const pool = (x: Tensor): Tensor =>
      this.mode === 'max'
        ? MaxPool({ input: x, ksize: window, strides, padding, dataFormat: 'NHWC' })
        : AvgPool({ value: x, ksize: window, strides, padding, dataFormat: 'NHWC' });
    if (this.rank === 2) return pool(inputs);
    return Squeeze({ input: pool(ExpandDims({ input: inputs, dim: 1 })), squeezeDims: [1] });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.rank === 1)
      return [inputShape[0], stepsOutputShape(inputShape, this.poolSize[0], this.strides[0], this.padding), inputShape[2]];
    const [h, w] = spatialOutputShape(inputShape, this.poolSize as [number, number], this.strides as [number, number], this.padding);
    return [inputShape[0], h, w, inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), pool_size: this.poolSize, padding: this.padding, strides: this.strides, data_format: 'channels_last' };
  }
}
