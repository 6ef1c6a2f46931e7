// keras.layers.DepthwiseConv2D (channels_last): each input channel convolved with its own
// depthMultiplier filters (TF's DepthwiseConv2dNative), kernel [kh, kw, in, depthMultiplier].
import { BiasAdd, DepthwiseConv2dNative } from '../../ops/generated';
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

export interface DepthwiseConv2DOptions extends LayerOptions {
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: Padding | 'VALID' | 'SAME';
  depthMultiplier?: number;
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
  /** Only 1 (TF's CPU kernel). */
  dilationRate?: number | readonly number[];
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** Keras' leading parameters, in its order: `new DepthwiseConv2D(kernelSize)`. */
const POSITIONAL = ['kernelSize', 'strides', 'padding', 'depthMultiplier', 'dataFormat', 'dilationRate', 'activation', 'useBias'] as const;

export class DepthwiseConv2D extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    ...POSITIONAL,
    'depthwiseInitializer',
    'biasInitializer',
    'depthwiseRegularizer',
    'biasRegularizer',
    'depthwiseConstraint',
    'biasConstraint',
  ];
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly depthMultiplier: number;
  readonly dilationRate: number[];
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(...args: PositionalArgs<DepthwiseConv2DOptions, typeof POSITIONAL>) {
    const options = positionalOptions<DepthwiseConv2DOptions>(new.target, args);
    super(options);
    const { kernelSize, strides = 1, padding = 'valid', depthMultiplier = 1, dilationRate = 1, activation, useBias = true } = options;
    checkChannelsLast(options.dataFormat);
    if (!Number.isInteger(depthMultiplier) || depthMultiplier <= 0) {
      throw new RangeError(
        `Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. Received depth_multiplier=${String(depthMultiplier)}.`,
      );
    }
    this.kernelSize = toTuple('kernelSize', kernelSize, 2);
    this.strides = toTuple('strides', strides, 2);
    this.padding = checkPadding(padding);
    this.depthMultiplier = depthMultiplier;
    this.dilationRate = toTuple('dilationRate', dilationRate, 2);
    checkNoDilation('DepthwiseConv2D', this.dilationRate);
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.depthwiseInitializer = getInitializer(options.depthwiseInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = getRegularizer(options.depthwiseRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.depthwiseConstraint = getConstraint(options.depthwiseConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    this.inputSpec = { ndim: 4 };
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[3];
    if (channels === null || channels === undefined)
      throw new RangeError(`The channel dimension of the inputs should be defined. Received: input_shape=${JSON.stringify(inputShape)}`);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [channels * this.depthMultiplier],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = { ndim: 4, axes: { [-1]: channels } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let x = DepthwiseConv2dNative({
      input: inputs,
      filter: this.kernel.value(),
      strides: [1, ...this.strides, 1],
      padding: this.padding === 'same' ? 'SAME' : 'VALID',
      dataFormat: 'NHWC',
    });
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w] = spatialOutputShape(inputShape, this.kernelSize as [number, number], this.strides as [number, number], this.padding);
    const channels = inputShape[3];
    return [inputShape[0], h, w, channels === null ? null : channels * this.depthMultiplier];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: serialize(this.depthwiseInitializer),
      bias_initializer: serialize(this.biasInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      depthwise_constraint: serializeConstraint(this.depthwiseConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}

kerasExport('keras.layers', [DepthwiseConv2D]);
