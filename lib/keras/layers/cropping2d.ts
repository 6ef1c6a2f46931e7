// keras.layers.Cropping2D (channels_last): rows cut from the top/bottom, columns from left/right.
import { formatShape } from '../../ops/convert';
import { StridedSlice } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkChannelsLast, toSymmetricPairs } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface Cropping2DOptions extends LayerOptions {
  /** n, [rows, cols], or [[top, bottom], [left, right]]; default no cropping. */
  cropping?: number | readonly number[] | readonly (readonly number[])[];
  dataFormat?: 'channels_last';
}

const POSITIONAL = ['cropping', 'dataFormat'] as const;

export class Cropping2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly cropping: [[number, number], [number, number]];

  constructor(...args: PositionalArgs<Cropping2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<Cropping2DOptions>(new.target, args);
    super(options);
    checkChannelsLast(options.dataFormat);
    this.cropping = toSymmetricPairs('cropping', options.cropping ?? 0);
    this.inputSpec = { ndim: 4 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    const [[top, bottom], [left, right]] = this.cropping;
    // inputs[:, top:-bottom, left:-right, :], an end of 0 meaning "to the end" (end_mask bits).
    const endMask = 1 | 8 | (bottom === 0 ? 2 : 0) | (right === 0 ? 4 : 0);
    return StridedSlice({
      input: inputs,
      begin: [0, top, left, 0],
      end: [0, -bottom, -right, 0],
      strides: [1, 1, 1, 1],
      beginMask: 1 | 8,
      endMask,
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const cut = (d: number | null, [a, b]: [number, number]) => {
      if (d === null) return null;
      if (d - a - b <= 0) {
        throw new RangeError(
          `Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape=${formatShape(inputShape)}, cropping=${JSON.stringify(this.cropping)}`,
        );
      }
      return d - a - b;
    };
    return [inputShape[0], cut(inputShape[1], this.cropping[0]), cut(inputShape[2], this.cropping[1]), inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping, data_format: 'channels_last' };
  }
}

kerasExport('keras.layers', [Cropping2D]);
