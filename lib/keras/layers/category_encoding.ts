// keras.layers.CategoryEncoding: integer category ids as one-hot rows, or per-sample multi-hot or
// count vectors of length numTokens (ids outside [0, numTokens) are dropped, as in Keras' TF path).
import { Cast, DenseBincount, ExpandDims, OneHot, Squeeze } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { isFloating } from '../../dtypes';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export type CategoryOutputMode = 'one_hot' | 'multi_hot' | 'count';

export interface CategoryEncodingOptions extends LayerOptions {
  numTokens: number;
  /** Default 'multi_hot'. */
  outputMode?: CategoryOutputMode;
}

const POSITIONAL = ['numTokens', 'outputMode'] as const;
const MODES: readonly string[] = ['one_hot', 'multi_hot', 'count'];

/** Keras config entries for what CategoryEncoding lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = { sparse: false };

export class CategoryEncoding extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly numTokens: number;
  readonly outputMode: CategoryOutputMode;

  constructor(...args: PositionalArgs<CategoryEncodingOptions, typeof POSITIONAL>) {
    const options = positionalOptions<CategoryEncodingOptions>(new.target, args);
    super(options);
    const { numTokens, outputMode = 'multi_hot' } = options;
    if (!MODES.includes(outputMode)) {
      throw new RangeError(`Unknown arg for output_mode: ${String(outputMode)}. Expected one of ['count', 'one_hot', 'multi_hot'].`);
    }
    if (!Number.isInteger(numTokens) || numTokens < 1) {
      throw new RangeError(`\`num_tokens\` must be >= 1. Received: num_tokens=${String(numTokens)}.`);
    }
    this.numTokens = numTokens;
    this.outputMode = outputMode;
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let ids = isFloating(inputs.dtype) || inputs.dtype === 'bool' ? Cast({ x: inputs, DstT: 'int32' }) : inputs;
    if (this.outputMode === 'one_hot') {
      if (ids.rank > 1 && ids.shape[ids.rank - 1] === 1) ids = Squeeze({ input: ids, squeezeDims: [-1] });
      return OneHot({
        indices: ids,
        depth: this.numTokens,
        onValue: constantTensor(1, this.dtype),
        offValue: constantTensor(0, this.dtype),
        axis: -1,
      });
    }
    if (ids.rank > 2)
      throw new RangeError(
        `CategoryEncoding's ${this.outputMode} takes inputs of rank 1 or 2. Received: shape=${JSON.stringify(ids.shape)}`,
      );
    if (ids.rank === 0) ids = ExpandDims({ input: ids, dim: 0 });
    return DenseBincount({
      input: ids,
      size: constantTensor(this.numTokens, ids.dtype),
      weights: constantTensor([], this.dtype, [0]),
      binaryOutput: this.outputMode === 'multi_hot',
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode !== 'one_hot') return inputShape.length <= 1 ? [this.numTokens] : [inputShape[0], this.numTokens];
    const shape = inputShape.length > 1 && inputShape[inputShape.length - 1] === 1 ? inputShape.slice(0, -1) : [...inputShape];
    return [...shape, this.numTokens];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_tokens: this.numTokens, output_mode: this.outputMode };
  }
}

kerasExport('keras.layers', [CategoryEncoding]);
