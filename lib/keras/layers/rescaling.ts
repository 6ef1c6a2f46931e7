// keras.layers.Rescaling: inputs · scale + offset (e.g. scale 1/255 for pixel values).
import { AddV2, Cast, Mul } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { isFloating } from '../../dtypes';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface RescalingOptions extends LayerOptions {
  scale: number;
  /** Default 0. */
  offset?: number;
}

const POSITIONAL = ['scale', 'offset'] as const;

export class Rescaling extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly scale: number;
  readonly offset: number;

  constructor(...args: PositionalArgs<RescalingOptions, typeof POSITIONAL>) {
    const options = positionalOptions<RescalingOptions>(new.target, args);
    super(options);
    this.scale = finiteNumber('scale', options.scale);
    this.offset = finiteNumber('offset', options.offset ?? 0);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const x = isFloating(inputs.dtype) && inputs.dtype === this.dtype ? inputs : Cast({ x: inputs, DstT: this.dtype });
    return AddV2({ x: Mul({ x, y: constantTensor(this.scale, this.dtype) }), y: constantTensor(this.offset, this.dtype) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

kerasExport('keras.layers', [Rescaling]);
