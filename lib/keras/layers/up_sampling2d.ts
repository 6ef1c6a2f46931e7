// keras.layers.UpSampling2D (channels_last): rows and columns repeated `size` times ('nearest',
// Keras' ops.repeat, here the same values by an exact integer-factor nearest resize) or
// interpolated ('bilinear', tf.image.resize: half-pixel centers).
import { int32Vector } from '../../ops/convert';
import { ResizeBilinear, ResizeNearestNeighbor } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkChannelsLast, toTuple } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface UpSampling2DOptions extends LayerOptions {
  /** The row and column factors (one int for both); default 2. */
  size?: number | readonly number[];
  dataFormat?: 'channels_last';
  interpolation?: 'nearest' | 'bilinear';
}

const POSITIONAL = ['size', 'dataFormat', 'interpolation'] as const;

export class UpSampling2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(...args: PositionalArgs<UpSampling2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<UpSampling2DOptions>(new.target, args);
    super(options);
    checkChannelsLast(options.dataFormat);
    this.size = toTuple('size', options.size ?? 2, 2);
    const { interpolation = 'nearest' } = options;
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new RangeError(
        `UpSampling2D supports interpolation 'nearest' and 'bilinear'. Received: interpolation=${String(interpolation)}`,
      );
    }
    this.interpolation = interpolation;
    this.inputSpec = { ndim: 4 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const [height, width] = [inputs.shape[1], inputs.shape[2]];
    if (height === null || width === null)
      throw new RangeError(`UpSampling2D needs known input height and width. Received: ${JSON.stringify(inputs.shape)}`);
    const size = int32Vector([height * this.size[0], width * this.size[1]]);
    if (this.interpolation === 'bilinear') return ResizeBilinear({ images: inputs, size, halfPixelCenters: true });
    return ResizeNearestNeighbor({ images: inputs, size });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const scale = (d: number | null, f: number) => (d === null ? null : d * f);
    return [inputShape[0], scale(inputShape[1], this.size[0]), scale(inputShape[2], this.size[1]), inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, data_format: 'channels_last', interpolation: this.interpolation };
  }
}

kerasExport('keras.layers', [UpSampling2D]);
