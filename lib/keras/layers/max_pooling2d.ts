// keras.layers.MaxPooling2D (channels_last): the max over each poolSize window.
import { MaxPool } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { checkChannelsLast, checkPadding, IntPair, Padding, spatialOutputShape, toPair } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface MaxPooling2DOptions extends LayerOptions {
  poolSize?: IntPair;
  /** Default: poolSize. */
  strides?: IntPair | null;
  padding?: Padding | 'VALID' | 'SAME';
  dataFormat?: 'channels_last';
}

/** Keras' leading parameters, in its order: `new MaxPooling2D(poolSize, strides)`. */
const POSITIONAL = ['poolSize', 'strides', 'padding', 'dataFormat', 'name'] as const;

export class MaxPooling2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'poolSize', 'strides', 'padding', 'dataFormat'];
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(...args: PositionalArgs<MaxPooling2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<MaxPooling2DOptions>(new.target, args);
    super(options);
    const { poolSize = 2, strides = null, padding = 'valid' } = options;
    checkChannelsLast(options.dataFormat);
    this.poolSize = toPair('poolSize', poolSize);
    this.strides = strides === null ? this.poolSize : toPair('strides', strides);
    this.padding = checkPadding(padding);
    this.inputSpec = { ndim: 4 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return MaxPool({
      input: inputs,
      ksize: [1, ...this.poolSize, 1],
      strides: [1, ...this.strides, 1],
      padding: this.padding === 'same' ? 'SAME' : 'VALID',
      dataFormat: 'NHWC',
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [height, width] = spatialOutputShape(inputShape, this.poolSize, this.strides, this.padding);
    return [inputShape[0], height, width, inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), pool_size: this.poolSize, padding: this.padding, strides: this.strides, data_format: 'channels_last' };
  }
}

kerasExport('keras.layers', [MaxPooling2D]);
