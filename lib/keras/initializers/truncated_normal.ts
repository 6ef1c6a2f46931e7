import { DType } from '../../dtypes';
import { FloatDType, truncatedNormal } from '../../random';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, nonNegativeNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, InitializerConfig } from './initializer';
import { RandomInitializer } from './random_initializer';

export interface TruncatedNormalOptions {
  /** Default 0. */
  mean?: number;
  /** Of the normal before truncation. Default 0.05 (Keras). */
  stddev?: number;
  seed?: number | null;
}

/** Normal samples with those beyond 2 stddev of the mean redrawn. */
const POSITIONAL = ['mean', 'stddev', 'seed'] as const;

export class TruncatedNormal extends RandomInitializer {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = POSITIONAL;
  readonly mean: number;
  readonly stddev: number;

  constructor(...args: PositionalArgs<TruncatedNormalOptions, typeof POSITIONAL>) {
    const o = checkOptions('TruncatedNormal', positionalOptions(new.target, args), POSITIONAL);
    super(o.seed as number | null | undefined);
    this.mean = finiteNumber('mean', o.mean ?? 0);
    this.stddev = nonNegativeNumber('stddev', o.stddev ?? 0.05);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return truncatedNormal(checkShape('TruncatedNormal', shape), {
      mean: this.mean,
      stddev: this.stddev,
      dtype: dtype as FloatDType,
      seed: this.seed,
    });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}
