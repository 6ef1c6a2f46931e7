import { DType } from '../../dtypes';
import { FloatDType, normal } from '../../random';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, nonNegativeNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, InitializerConfig } from './initializer';
import { RandomInitializer } from './random_initializer';

export interface RandomNormalOptions {
  /** Default 0. */
  mean?: number;
  /** Default 0.05 (Keras). */
  stddev?: number;
  seed?: number | null;
}

/** Normal samples: `keras.random.normal(shape, mean, stddev, seed)`. */
const POSITIONAL = ['mean', 'stddev', 'seed'] as const;

export class RandomNormal extends RandomInitializer {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = POSITIONAL;
  readonly mean: number;
  readonly stddev: number;

  constructor(...args: PositionalArgs<RandomNormalOptions, typeof POSITIONAL>) {
    const o = checkOptions('RandomNormal', positionalOptions(new.target, args), POSITIONAL);
    super(o.seed as number | null | undefined);
    this.mean = finiteNumber('mean', o.mean ?? 0);
    this.stddev = nonNegativeNumber('stddev', o.stddev ?? 0.05);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return normal(checkShape('RandomNormal', shape), { mean: this.mean, stddev: this.stddev, dtype: dtype as FloatDType, seed: this.seed });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}
