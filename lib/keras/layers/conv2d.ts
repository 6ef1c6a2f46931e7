// keras.layers.Conv2D (channels_last): activation(conv2d(inputs, kernel) + bias).
import { BiasAdd, Conv2D as Conv2DOp } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BASE_CONV_KEYS, BaseConv, BaseConvOptions } from './base_conv';
import { atrousConvolution, spatialOutputShape } from './conv_utils';
import { CallOptions, Layer } from './layer';

export interface Conv2DOptions extends BaseConvOptions {
  padding?: 'valid' | 'same' | 'VALID' | 'SAME';
}

/** Keras config entries for what Conv2D lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = { groups: 1 };

/** Keras' leading parameters, in its order: `new Conv2D(filters, kernelSize)`. */
const POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate'] as const;

export class Conv2D extends BaseConv {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...BASE_CONV_KEYS];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;

  constructor(...args: PositionalArgs<Conv2DOptions, typeof POSITIONAL>) {
    super(2, positionalOptions<Conv2DOptions>(new.target, args));
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.buildWeights([...this.kernelSize, channels, this.filters], this.filters);
    this.inputSpec = { minNdim: 4, axes: { [-1]: channels } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const padding = this.padding === 'same' ? 'same' : 'valid';
    const conv2d = (input: Tensor, pad: 'SAME' | 'VALID'): Tensor =>
      Conv2DOp({ input, filter: this.kernel.value(), strides: [1, ...this.strides, 1], padding: pad, dataFormat: 'NHWC' });
    let x = this.dilationRate.some((d) => d > 1)
      ? atrousConvolution(inputs, this.kernelSize, this.dilationRate, padding, (spread) => conv2d(spread, 'VALID'))
      : conv2d(inputs, padding === 'same' ? 'SAME' : 'VALID');
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [height, width] = spatialOutputShape(
      inputShape,
      this.kernelSize as [number, number],
      this.strides as [number, number],
      this.padding === 'same' ? 'same' : 'valid',
      this.dilationRate as [number, number],
    );
    return [inputShape[0], height, width, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
      groups: 1,
      ...this.weightsConfig(),
    };
  }
}

kerasExport('keras.layers', [Conv2D]);
