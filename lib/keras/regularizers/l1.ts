import { Abs, Mul, Sum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { penaltyFactor, Regularizer } from './regularizer';
import { int32Vector } from '../../ops/convert';

export interface L1Options {
  /** Default 0.01. */
  l1?: number;
}

/** `l1 * sum(abs(x))`. */
export class L1 extends Regularizer {
  static override readonly positional: readonly string[] = ['l1'];
  readonly l1: number;

  constructor(...args: PositionalArgs<L1Options, ['l1']>) {
    super();
    const o = checkOptions('L1', positionalOptions(new.target, args), ['l1']);
    this.l1 = penaltyFactor('l1', o.l1 ?? 0.01);
  }

  call(x: Tensor): Tensor {
    return Mul({ x: constantTensor(this.l1, x.dtype), y: Sum({ input: Abs({ x }), reductionIndices: int32Vector([...x.shape.keys()]) }) });
  }

  override getConfig(): Record<string, unknown> {
    // Keras keeps l1 as a float32 tensor, so its config reports the float32 value.
    return { l1: Math.fround(this.l1) };
  }
}
