import { DType } from '../../dtypes';
import { zeros } from '../../ops/creation';
import { Tensor } from '../../tensor';
import { checkShape, Initializer } from './initializer';

/** Tensors of 0 (any numeric or bool dtype). */
export class Zeros extends Initializer {
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return zeros(checkShape('Zeros', shape), dtype);
  }
}
