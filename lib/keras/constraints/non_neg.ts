import { Maximum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions } from '../utils/argument_validation';
import { Constraint } from './constraint';

/** `max(w, 0)`. */
export class NonNeg extends Constraint {
  constructor(options: Record<string, never> = {}) {
    super();
    checkOptions('NonNeg', options, []);
  }

  call(w: Tensor): Tensor {
    return Maximum({ x: w, y: constantTensor(0, w.dtype) });
  }
}
