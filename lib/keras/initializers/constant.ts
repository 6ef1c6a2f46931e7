import { DType } from '../../dtypes';
import { fill } from '../../ops/creation';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, Initializer, InitializerConfig } from './initializer';

export interface ConstantOptions {
  /** The scalar every element gets. Default 0. */
  value?: number;
}

/** Tensors filled with one scalar value. */
export class Constant extends Initializer {
  static override readonly positional: readonly string[] = ['value'];
  readonly value: number;

  constructor(...args: PositionalArgs<ConstantOptions, ['value']>) {
    super();
    const o = checkOptions('Constant', positionalOptions(new.target, args), ['value']);
    this.value = finiteNumber('value', o.value ?? 0);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return fill(checkShape('Constant', shape), this.value, dtype);
  }

  override getConfig(): InitializerConfig {
    return { value: this.value };
  }
}
