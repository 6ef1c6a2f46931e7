// keras.layers.RepeatVector: [batch, features] → [batch, n, features], the input repeated n times.
import { int32Vector } from '../../ops/convert';
import { ExpandDims, Tile } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface RepeatVectorOptions extends LayerOptions {
  /** How many times to repeat the input (a positive integer). */
  n: number;
}

/** Keras' leading parameters: `new RepeatVector(n)`. */
const POSITIONAL = ['n'] as const;

export class RepeatVector extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'n'];
  readonly n: number;

  constructor(...args: PositionalArgs<RepeatVectorOptions, typeof POSITIONAL>) {
    const { n, ...rest } = positionalOptions<RepeatVectorOptions>(new.target, args);
    super(rest);
    if (!Number.isInteger(n)) throw new TypeError(`Expected an integer value for \`n\`, got ${typeof n}.`);
    if (n <= 0) throw new RangeError(`Argument \`n\` should be a positive integer. Received: n=${n}`);
    this.n = n;
    this.inputSpec = { ndim: 2 };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return Tile({ input: ExpandDims({ input: inputs, dim: 1 }), multiples: int32Vector([1, this.n, 1]) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0], this.n, inputShape[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

kerasExport('keras.layers', [RepeatVector]);
