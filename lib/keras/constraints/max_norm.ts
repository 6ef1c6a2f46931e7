import { AddV2, ClipByValue, Mul, RealDiv } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Constraint, normAxis } from './constraint';
import { norms } from './norms';

export interface MaxNormOptions {
  /** Default 2. */
  maxValue?: number;
  /** Default 0 (each column of a Dense kernel). */
  axis?: number | number[];
}

/** Scales each slice along `axis` down to norm ≤ maxValue: `w * clip(n, 0, max) / (1e-7 + n)`. */
export class MaxNorm extends Constraint {
  static override readonly positional: readonly string[] = ['maxValue', 'axis'];
  readonly maxValue: number;
  readonly axis: number | number[];

  constructor(...args: PositionalArgs<MaxNormOptions, ['maxValue', 'axis']>) {
    super();
    const o = checkOptions('MaxNorm', positionalOptions(new.target, args), ['maxValue', 'axis']);
    this.maxValue = finiteNumber('maxValue', o.maxValue ?? 2);
    this.axis = normAxis(o.axis ?? 0);
  }

  call(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = ClipByValue({ t: n, clipValueMin: constantTensor(0, w.dtype), clipValueMax: constantTensor(this.maxValue, w.dtype) });
    return Mul({ x: w, y: RealDiv({ x: desired, y: AddV2({ x: constantTensor(1e-7, w.dtype), y: n }) }) });
  }

  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}
