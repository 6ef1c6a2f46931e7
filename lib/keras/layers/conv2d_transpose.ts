// keras.layers.Conv2DTranspose (channels_last): the gradient of a Conv2D w.r.t. its input
// (TF's conv2d_transpose, Conv2DBackpropInput), kernel [kh, kw, filters, inChannels], then bias.
import { int32Vector } from '../../ops/convert';
import { BiasAdd, ConcatV2, Conv2DBackpropInput, Shape as ShapeOp, StridedSlice } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BASE_CONV_KEYS, BaseConv, BaseConvOptions } from './base_conv';
import { checkNoDilation, deconvOutputLength, toTuple } from './conv_utils';
import { CallOptions, Layer } from './layer';

export interface Conv2DTransposeOptions extends BaseConvOptions {
  padding?: 'valid' | 'same' | 'VALID' | 'SAME';
  /** Extra rows/columns on the output's bottom/right (each < its stride); default null. */
  outputPadding?: number | readonly number[] | null;
}

/** Keras' leading parameters, in its order: `new Conv2DTranspose(filters, kernelSize)`. */
const POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'dataFormat', 'dilationRate'] as const;

export class Conv2DTranspose extends BaseConv {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...BASE_CONV_KEYS, 'outputPadding'];
  readonly outputPadding: number[] | null;

  constructor(...args: PositionalArgs<Conv2DTransposeOptions, typeof POSITIONAL>) {
    const options = positionalOptions<Conv2DTransposeOptions>(new.target, args);
    super(2, options);
    checkNoDilation('Conv2DTranspose', this.dilationRate);
    const { outputPadding = null } = options;
    this.outputPadding = outputPadding === null ? null : toTuple('outputPadding', outputPadding, 2, true);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]) {
        throw new RangeError(
          `Strides must be greater than output padding. Received strides=${JSON.stringify(this.strides)}, output_padding=${JSON.stringify(this.outputPadding)}.`,
        );
      }
    });
    this.inputSpec = { ndim: 4 };
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    this.buildWeights([...this.kernelSize, this.filters, channels], this.filters);
    this.inputSpec = { ndim: 4, axes: { [-1]: channels } };
  }

  private spatialOutput(inputShape: Shape): [number | null, number | null] {
    const padding = this.padding === 'same' ? 'same' : 'valid';
    return [0, 1].map((i) =>
      deconvOutputLength(inputShape[1 + i], this.kernelSize[i], padding, this.outputPadding?.[i] ?? null, this.strides[i]),
    ) as [number | null, number | null];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const [height, width] = this.spatialOutput(inputs.shape);
    if (height === null || width === null)
      throw new RangeError(`Conv2DTranspose needs known input height and width. Received: ${JSON.stringify(inputs.shape)}`);
    const batch = inputs.shape[0];
    const sizes =
      batch !== null
        ? int32Vector([batch, height, width, this.filters])
        : ConcatV2({
            values: [
              StridedSlice({ input: ShapeOp({ input: inputs }), begin: [0], end: [1], strides: [1] }),
              int32Vector([height, width, this.filters]),
            ],
            axis: 0,
          });
    let x = Conv2DBackpropInput({
      inputSizes: sizes,
      filter: this.kernel.value(),
      outBackprop: inputs,
      strides: [1, ...this.strides, 1],
      padding: this.padding === 'same' ? 'SAME' : 'VALID',
      dataFormat: 'NHWC',
    });
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], ...this.spatialOutput(inputShape), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      output_padding: this.outputPadding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
      ...this.weightsConfig(),
    };
  }
}

kerasExport('keras.layers', [Conv2DTranspose]);
