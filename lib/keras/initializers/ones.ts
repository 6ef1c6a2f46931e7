import { DType } from '../../dtypes';
import { ones } from '../../ops/creation';
import { Tensor } from '../../tensor';
import { checkShape, Initializer } from './initializer';

/** Tensors of 1 (any numeric or bool dtype). */
export class Ones extends Initializer {
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return ones(checkShape('Ones', shape), dtype);
  }
}
