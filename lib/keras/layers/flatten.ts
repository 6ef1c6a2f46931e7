// keras.layers.Flatten: (batch, d1, d2, ...) → (batch, d1·d2·...).
import { int32Vector } from '../../ops/convert';
import { Pack, Reshape, Shape as ShapeOp, StridedSlice } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { checkChannelsLast } from './conv_utils';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface FlattenOptions extends LayerOptions {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
}

/** Keras' leading parameters, in its order: `new Flatten(dataFormat)`. */
const POSITIONAL = ['dataFormat'] as const;

export class Flatten extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'dataFormat'];

  constructor(...args: PositionalArgs<FlattenOptions, typeof POSITIONAL>) {
    const options = positionalOptions<FlattenOptions>(new.target, args);
    super(options);
    checkChannelsLast(options.dataFormat);
    this.inputSpec = { minNdim: 1 };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const [, flat] = this.computeOutputShape(inputs.shape);
    if (flat !== null) return Reshape({ tensor: inputs, shape: int32Vector([-1, flat]) });
    const batch = StridedSlice({ input: ShapeOp({ input: inputs }), begin: [0], end: [1], strides: [1], shrinkAxisMask: 1 });
    return Reshape({ tensor: inputs, shape: Pack({ values: [batch, -1] }) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const flat = rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * (d as number), 1);
    return [inputShape[0], flat];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
}

kerasExport('keras.layers', [Flatten]);
