import { AddV2, RealDiv } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Constraint, normAxis } from './constraint';
import { norms } from './norms';

export interface UnitNormOptions {
  /** Default 0. */
  axis?: number | number[];
}

/** Each slice along `axis` divided by its norm: `w / (1e-7 + n)`. */
export class UnitNorm extends Constraint {
  static override readonly positional: readonly string[] = ['axis'];
  readonly axis: number | number[];

  constructor(...args: PositionalArgs<UnitNormOptions, ['axis']>) {
    super();
    const o = checkOptions('UnitNorm', positionalOptions(new.target, args), ['axis']);
    this.axis = normAxis(o.axis ?? 0);
  }

  call(w: Tensor): Tensor {
    return RealDiv({ x: w, y: AddV2({ x: constantTensor(1e-7, w.dtype), y: norms(w, this.axis) }) });
  }

  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}
