// keras.layers.Conv1D (channels_last, [batch, steps, channels]): TF's conv1d, a Conv2D over
// [batch, 1, steps, channels]; 'causal' padding pads the start by dilation·(kernel − 1).
import { BiasAdd, Conv2D as Conv2DOp, ExpandDims, Pad, Squeeze } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BASE_CONV_KEYS, BaseConv, BaseConvOptions } from './base_conv';
import { atrousConvolution, stepsOutputShape } from './conv_utils';
import { CallOptions, Layer } from './layer';

export type Conv1DOptions = BaseConvOptions;

/** Keras config entries for what Conv1D lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = { groups: 1 };

/** Keras' leading parameters, in its order: `new Conv1D(filters, kernelSize)`. */
const POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate'] as const;

export class Conv1D extends BaseConv {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...BASE_CONV_KEYS];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;

  constructor(...args: PositionalArgs<Conv1DOptions, typeof POSITIONAL>) {
    super(1, positionalOptions<Conv1DOptions>(new.target, args), true);
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.buildWeights([this.kernelSize[0], channels, this.filters], this.filters);
    this.inputSpec = { minNdim: 3, axes: { [-1]: channels } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let x = inputs;
    if (this.padding === 'causal') {
      const left = this.dilationRate[0] * (this.kernelSize[0] - 1);
      x = Pad({
        input: x,
        paddings: [
          [0, 0],
          [left, 0],
          [0, 0],
        ],
      });
    }
    const conv1d = (input: Tensor, padding: 'SAME' | 'VALID'): Tensor =>
      Squeeze({
        input: Conv2DOp({
          input: ExpandDims({ input, dim: 1 }),
          filter: ExpandDims({ input: this.kernel.value(), dim: 0 }),
          strides: [1, 1, this.strides[0], 1],
          padding,
          dataFormat: 'NHWC',
        }),
        squeezeDims: [1],
      });
    const padding = this.padding === 'same' ? 'same' : 'valid';
    let y =
      this.dilationRate[0] > 1
        ? atrousConvolution(x, this.kernelSize, this.dilationRate, padding, (spread) => conv1d(spread, 'VALID'))
        : conv1d(x, padding === 'same' ? 'SAME' : 'VALID');
    if (this.bias !== null) y = BiasAdd({ value: y, bias: this.bias.value() });
    return this.activation(y);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const steps = stepsOutputShape(inputShape, this.kernelSize[0], this.strides[0], this.padding, this.dilationRate[0]);
    return [inputShape[0], steps, this.filters];
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

kerasExport('keras.layers', [Conv1D]);
