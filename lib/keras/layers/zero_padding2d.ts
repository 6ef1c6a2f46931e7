// keras.layers.ZeroPadding2D (channels_last): zero rows above/below and columns left/right.
import { Pad } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkChannelsLast, toSymmetricPairs } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface ZeroPadding2DOptions extends LayerOptions {
  /** n, [rows, cols], or [[top, bottom], [left, right]]; default 1. */
  padding?: number | readonly number[] | readonly (readonly number[])[];
  dataFormat?: 'channels_last';
}

const POSITIONAL = ['padding', 'dataFormat'] as const;

export class ZeroPadding2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly padding: [[number, number], [number, number]];

  constructor(...args: PositionalArgs<ZeroPadding2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<ZeroPadding2DOptions>(new.target, args);
    super(options);
    checkChannelsLast(options.dataFormat);
    this.padding = toSymmetricPairs('padding', options.padding ?? 1);
    this.inputSpec = { ndim: 4 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return Pad({ input: inputs, paddings: [[0, 0], ...this.padding, [0, 0]] });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const grow = (d: number | null, [a, b]: [number, number]) => (d === null ? null : d + a + b);
    return [inputShape[0], grow(inputShape[1], this.padding[0]), grow(inputShape[2], this.padding[1]), inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, data_format: 'channels_last' };
  }
}

kerasExport('keras.layers', [ZeroPadding2D]);
