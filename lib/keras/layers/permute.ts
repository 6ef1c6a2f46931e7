// keras.layers.Permute: reorders the non-batch axes of each sample (`dims` counts from 1).
import { int32Vector } from '../../ops/convert';
import { Transpose } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface PermuteOptions extends LayerOptions {
  /** The permutation of the axes 1..n (the batch axis stays first): [2, 1] swaps the two axes of a sample. */
  dims: readonly number[];
}

/** Keras' leading parameters: `new Permute(dims)`. */
const POSITIONAL = ['dims'] as const;

export class Permute extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'dims'];
  readonly dims: readonly number[];

  constructor(...args: PositionalArgs<PermuteOptions, typeof POSITIONAL>) {
    const { dims, ...rest } = positionalOptions<PermuteOptions>(new.target, args);
    super(rest);
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : null;
    if (sorted === null || !sorted.every((d, i) => d === i + 1)) {
      throw new RangeError(
        `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${Array.isArray(dims) ? `(${dims.join(', ')})` : String(dims)}`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = { ndim: dims.length + 1 };
    this.supportsMasking = false;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return Transpose({ x: inputs, perm: int32Vector([0, ...this.dims]) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}

kerasExport('keras.layers', [Permute]);
