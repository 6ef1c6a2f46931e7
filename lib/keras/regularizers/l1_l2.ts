import { Abs, AddV2, Mul, Square, Sum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { penaltyFactor, Regularizer } from './regularizer';
import { int32Vector } from '../../ops/convert';

export interface L1L2Options {
  /** Default 0. */
  l1?: number;
  /** Default 0. */
  l2?: number;
}

/** `l1 * sum(abs(x)) + l2 * sum(square(x))`; a zero factor's term is left out, as in Keras. */
export class L1L2 extends Regularizer {
  static override readonly positional: readonly string[] = ['l1', 'l2'];
  readonly l1: number;
  readonly l2: number;

  constructor(...args: PositionalArgs<L1L2Options, ['l1', 'l2']>) {
    super();
    const o = checkOptions('L1L2', positionalOptions(new.target, args), ['l1', 'l2']);
    this.l1 = penaltyFactor('l1', o.l1 ?? 0);
    this.l2 = penaltyFactor('l2', o.l2 ?? 0);
  }

  call(x: Tensor): Tensor {
    let total: Tensor = constantTensor(0, x.dtype);
    if (this.l1)
      total = AddV2({
        x: total,
        y: Mul({ x: constantTensor(this.l1, x.dtype), y: Sum({ input: Abs({ x }), reductionIndices: int32Vector([...x.shape.keys()]) }) }),
      });
    if (this.l2)
      total = AddV2({
        x: total,
        y: Mul({
          x: constantTensor(this.l2, x.dtype),
          y: Sum({ input: Square({ x }), reductionIndices: int32Vector([...x.shape.keys()]) }),
        }),
      });
    return total;
  }

  override getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}
