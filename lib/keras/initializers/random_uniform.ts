import { DType } from '../../dtypes';
import { FloatDType, uniform } from '../../random';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, InitializerConfig } from './initializer';
import { RandomInitializer } from './random_initializer';

export interface RandomUniformOptions {
  /** Inclusive. Default -0.05 (Keras). */
  minval?: number;
  /** Exclusive. Default 0.05 (Keras). */
  maxval?: number;
  seed?: number | null;
}

/** Uniform samples in [minval, maxval). */
const POSITIONAL = ['minval', 'maxval', 'seed'] as const;

export class RandomUniform extends RandomInitializer {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = POSITIONAL;
  readonly minval: number;
  readonly maxval: number;

  constructor(...args: PositionalArgs<RandomUniformOptions, typeof POSITIONAL>) {
    const o = checkOptions('RandomUniform', positionalOptions(new.target, args), POSITIONAL);
    super(o.seed as number | null | undefined);
    this.minval = finiteNumber('minval', o.minval ?? -0.05);
    this.maxval = finiteNumber('maxval', o.maxval ?? 0.05);
    if (this.minval >= this.maxval) {
      throw new RangeError(`Argument \`minval\` must be < \`maxval\`. Received: minval=${this.minval}, maxval=${this.maxval}`);
    }
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return uniform(checkShape('RandomUniform', shape), {
      minval: this.minval,
      maxval: this.maxval,
      dtype: dtype as FloatDType,
      seed: this.seed,
    });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}
