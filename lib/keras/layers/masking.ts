// keras.layers.Masking: timesteps whose features all equal `maskValue` are masked (zeroed, and
// the outputs carry the mask for the layers after it).
import { Any, Cast, Mul, NotEqual, Squeeze } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions, setKerasMask } from './layer';

export interface MaskingOptions extends LayerOptions {
  /** Default 0. */
  maskValue?: number;
}

const POSITIONAL = ['maskValue'] as const;

export class Masking extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'maskValue'];
  readonly maskValue: number;

  constructor(...args: PositionalArgs<MaskingOptions, typeof POSITIONAL>) {
    const options = positionalOptions<MaskingOptions>(new.target, args);
    super(options);
    const { maskValue = 0 } = options;
    if (typeof maskValue !== 'number') throw new TypeError(`\`mask_value\` must be a number. Received: mask_value=${String(maskValue)}`);
    this.maskValue = maskValue;
    this.supportsMasking = true;
    this.built = true;
  }

  private booleanMask(inputs: Tensor): Tensor {
    return Any({
      input: NotEqual({ x: inputs, y: constantTensor(this.maskValue, inputs.dtype) }),
      reductionIndices: constantTensor(-1, 'int32'),
      keepDims: true,
    });
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const mask = this.booleanMask(inputs);
    const outputs = Mul({ x: inputs, y: Cast({ x: mask, DstT: inputs.dtype }) });
    setKerasMask(outputs, Squeeze({ input: mask, squeezeDims: [-1] }));
    return outputs;
  }

  override computeMask(inputs: Tensor, _mask: Tensor | null): Tensor | null {
    return Squeeze({ input: this.booleanMask(inputs), squeezeDims: [-1] });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}

kerasExport('keras.layers', [Masking]);
