// Keras' BaseConv: the options, weights and config the convolution layers share (Conv1D, Conv2D,
// Conv2DTranspose); each subclass brings its kernel shape, call() and output shape.
import { Shape } from '../../tensor';
import { Variable } from '../../variable';
import * as activations from '../activations';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { checkChannelsLast, checkPadding, Padding, toTuple } from './conv_utils';
import { Layer, LayerOptions } from './layer';

export interface BaseConvOptions extends LayerOptions {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: Padding | 'causal' | 'VALID' | 'SAME';
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
  dilationRate?: number | readonly number[];
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The option keys every convolution takes. */
export const BASE_CONV_KEYS = [
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
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
] as const;

export abstract class BaseConv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding | 'causal';
  readonly dilationRate: number[];
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel!: Variable;
  bias: Variable | null = null;

  protected constructor(rank: number, options: BaseConvOptions, allowCausal = false) {
    super(options);
    const { filters, kernelSize, strides = 1, padding = 'valid', dilationRate = 1, activation, useBias = true } = options;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new RangeError(
        `Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`,
      );
    }
    checkChannelsLast(options.dataFormat);
    this.filters = filters;
    this.kernelSize = toTuple('kernelSize', kernelSize, rank);
    this.strides = toTuple('strides', strides, rank);
    this.padding = allowCausal && typeof padding === 'string' && padding.toLowerCase() === 'causal' ? 'causal' : checkPadding(padding);
    this.dilationRate = toTuple('dilationRate', dilationRate, rank);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new RangeError(
        `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${JSON.stringify(this.strides)} and dilation_rate=${JSON.stringify(this.dilationRate)}`,
      );
    }
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
    this.inputSpec = { minNdim: rank + 2 };
  }

  /** The input's channel count (Keras' error when it is unknown). */
  protected inputChannels(inputShape: Shape): number {
    const channels = inputShape[inputShape.length - 1];
    if (channels === null || channels === undefined) {
      throw new RangeError(
        `The channel dimension of the inputs should be defined. The input_shape received is ${JSON.stringify(inputShape)}, where axis -1 (0-based) is the channel dimension, which found to be \`None\`.`,
      );
    }
    return channels;
  }

  /** The kernel of `shape`, then the bias of `units` (when useBias). */
  protected buildWeights(kernelShape: number[], biasUnits: number): void {
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape,
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [biasUnits],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** The config entries after data_format/dilation_rate, in Keras' order. */
  protected weightsConfig(): Record<string, unknown> {
    return {
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}
