// keras.layers.SeparableConv2D (channels_last): TF's separable_conv2d, a depthwise convolution
// (depthwise_kernel [kh, kw, in, depthMultiplier]) then a 1×1 one (pointwise_kernel), then bias.
import { BiasAdd, Conv2D as Conv2DOp, DepthwiseConv2dNative } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import * as activations from '../activations';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkChannelsLast, checkNoDilation, checkPadding, Padding, spatialOutputShape, toTuple } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface SeparableConv2DOptions extends LayerOptions {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: Padding | 'VALID' | 'SAME';
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
  /** Only 1 (TF's CPU depthwise kernel). */
  dilationRate?: number | readonly number[];
  depthMultiplier?: number;
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** Keras' leading parameters, in its order: `new SeparableConv2D(filters, kernelSize)`. */
const POSITIONAL = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'depthMultiplier',
  'activation',
  'useBias',
] as const;

export class SeparableConv2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    ...POSITIONAL,
    'depthwiseInitializer',
    'pointwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'pointwiseRegularizer',
    'biasRegularizer',
    'depthwiseConstraint',
    'pointwiseConstraint',
    'biasConstraint',
  ];
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dilationRate: number[];
  readonly depthMultiplier: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  depthwiseKernel!: Variable;
  pointwiseKernel!: Variable;
  bias: Variable | null = null;

  constructor(...args: PositionalArgs<SeparableConv2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<SeparableConv2DOptions>(new.target, args);
    super(options);
    const {
      filters,
      kernelSize,
      strides = 1,
      padding = 'valid',
      depthMultiplier = 1,
      dilationRate = 1,
      activation,
      useBias = true,
    } = options;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new RangeError(
        `Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`,
      );
    }
    if (!Number.isInteger(depthMultiplier) || depthMultiplier <= 0) {
      throw new RangeError(
        `Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. Received depth_multiplier=${String(depthMultiplier)}.`,
      );
    }
    checkChannelsLast(options.dataFormat);
    this.filters = filters;
    this.kernelSize = toTuple('kernelSize', kernelSize, 2);
    this.strides = toTuple('strides', strides, 2);
    this.padding = checkPadding(padding);
    this.dilationRate = toTuple('dilationRate', dilationRate, 2);
    checkNoDilation('SeparableConv2D', this.dilationRate);
    this.depthMultiplier = depthMultiplier;
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.depthwiseInitializer = getInitializer(options.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInitializer = getInitializer(options.pointwiseInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = getRegularizer(options.depthwiseRegularizer);
    this.pointwiseRegularizer = getRegularizer(options.pointwiseRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.depthwiseConstraint = getConstraint(options.depthwiseConstraint);
    this.pointwiseConstraint = getConstraint(options.pointwiseConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    this.inputSpec = { ndim: 4 };
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[3];
    if (channels === null || channels === undefined)
      throw new RangeError(`The channel dimension of the inputs should be defined. Received: input_shape=${JSON.stringify(inputShape)}`);
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [1, 1, channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = { ndim: 4, axes: { [-1]: channels } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const depthwise = DepthwiseConv2dNative({
      input: inputs,
      filter: this.depthwiseKernel.value(),
      strides: [1, ...this.strides, 1],
      padding: this.padding === 'same' ? 'SAME' : 'VALID',
      dataFormat: 'NHWC',
    });
    let x = Conv2DOp({
      input: depthwise,
      filter: this.pointwiseKernel.value(),
      strides: [1, 1, 1, 1],
      padding: 'VALID',
      dataFormat: 'NHWC',
    });
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w] = spatialOutputShape(inputShape, this.kernelSize as [number, number], this.strides as [number, number], this.padding);
    return [inputShape[0], h, w, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: serialize(this.depthwiseInitializer),
      pointwise_initializer: serialize(this.pointwiseInitializer),
      bias_initializer: serialize(this.biasInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwise_regularizer: serializeRegularizer(this.pointwiseRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      depthwise_constraint: serializeConstraint(this.depthwiseConstraint),
      pointwise_constraint: serializeConstraint(this.pointwiseConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}

kerasExport('keras.layers', [SeparableConv2D]);
