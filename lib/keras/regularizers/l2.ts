import { Mul, Square, Sum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { penaltyFactor, Regularizer } from './regularizer';
import { int32Vector } from '../../ops/convert';

export interface L2Options {
  /** Default 0.01. */
  l2?: number;
}

/** `l2 * sum(square(x))` (no ½, unlike tf.nn.l2_loss). */
export class L2 extends Regularizer {
  static override readonly positional: readonly string[] = ['l2'];
  readonly l2: number;

  constructor(...args: PositionalArgs<L2Options, ['l2']>) {
    super();
    const o = checkOptions('L2', positionalOptions(new.target, args), ['l2']);
    this.l2 = penaltyFactor('l2', o.l2 ?? 0.01);
  }

  call(x: Tensor): Tensor {
    return Mul({
      x: constantTensor(this.l2, x.dtype),
      y: Sum({ input: Square({ x }), reductionIndices: int32Vector([...x.shape.keys()]) }),
    });
  }

  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}
