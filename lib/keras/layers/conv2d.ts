// keras.layers.Conv2D (channels_last): activation(conv2d(inputs, kernel) + bias).
import { BiasAdd, Conv2D as Conv2DOp } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import * as activations from '../activations';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { checkChannelsLast, checkPadding, IntPair, Padding, spatialOutputShape, toPair } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface Conv2DOptions extends LayerOptions {
  filters: number;
  kernelSize: IntPair;
  strides?: IntPair;
  padding?: Padding | 'VALID' | 'SAME';
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
  dilationRate?: IntPair;
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/** Keras config entries for what Conv2D lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = {
  groups: 1,
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

/** Keras' leading parameters, in its order: `new Conv2D(filters, kernelSize)`. */
const POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate'] as const;

export class Conv2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'dataFormat',
    'dilationRate',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
  ];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(...args: PositionalArgs<Conv2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<Conv2DOptions>(new.target, args);
    super(options);
    const { filters, kernelSize, strides = 1, padding = 'valid', dilationRate = 1, activation, useBias = true } = options;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new RangeError(
        `Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`,
      );
    }
    checkChannelsLast(options.dataFormat);
    this.filters = filters;
    this.kernelSize = toPair('kernelSize', kernelSize);
    this.strides = toPair('strides', strides);
    this.padding = checkPadding(padding);
    this.dilationRate = toPair('dilationRate', dilationRate);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new RangeError(
        `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${JSON.stringify(this.strides)} and dilation_rate=${JSON.stringify(this.dilationRate)}`,
      );
    }
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.inputSpec = { minNdim: 4 };
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[inputShape.length - 1];
    if (channels === null || channels === undefined) {
      throw new RangeError(
        `The channel dimension of the inputs should be defined. The input_shape received is ${JSON.stringify(inputShape)}, where axis -1 (0-based) is the channel dimension, which found to be \`None\`.`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels, this.filters],
      initializer: this.kernelInitializer,
    });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.biasInitializer });
    this.inputSpec = { minNdim: 4, axes: { [-1]: channels } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let x = Conv2DOp({
      input: inputs,
      filter: this.kernel.value(),
      strides: [1, ...this.strides, 1],
      padding: this.padding === 'same' ? 'SAME' : 'VALID',
      dataFormat: 'NHWC',
      dilations: [1, ...this.dilationRate, 1],
    });
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [height, width] = spatialOutputShape(inputShape, this.kernelSize, this.strides, this.padding, this.dilationRate);
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
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      ...UNSUPPORTED_CONFIG,
    };
  }
}

kerasExport('keras.layers', [Conv2D]);
