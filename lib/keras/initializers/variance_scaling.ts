import { DType } from '../../dtypes';
import { FloatDType, normal, truncatedNormal, uniform } from '../../random';
import { Tensor } from '../../tensor';
import { checkOptions, describeValue, finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, InitializerConfig } from './initializer';
import { RandomInitializer } from './random_initializer';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingOptions {
  /** Positive. Default 1. */
  scale?: number;
  /** Default 'fan_in'. */
  mode?: FanMode;
  /** Default 'truncated_normal'; 'normal' (any case) means 'truncated_normal', as in Keras. */
  distribution?: Distribution | 'normal';
  seed?: number | null;
  /** Axes whose sizes multiply into fan_in (with `outputAxes`, instead of the shape rule). */
  inputAxes?: readonly number[] | null;
  outputAxes?: readonly number[] | null;
}

/** What the Glorot/He initializers take: they fix scale, mode and distribution. */
export type PresetVarianceScalingOptions = Pick<VarianceScalingOptions, 'seed' | 'inputAxes' | 'outputAxes'>;

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly Distribution[] = ['uniform', 'truncated_normal', 'untruncated_normal'];
/** The stddev of a unit normal truncated to [-2, 2]; dividing by it restores the target stddev. */
const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/**
 * Keras' `compute_fans`: a dense kernel [in, out] gives (in, out); a conv kernel [...spatial, in, out]
 * gives (in·receptive field, out·receptive field); a vector (n, n); a scalar (1, 1). With both axis
 * lists, the products of those dims instead (negative axes count from the end).
 */
export function computeFans(
  shape: readonly number[],
  inputAxes?: readonly number[] | null,
  outputAxes?: readonly number[] | null,
): [fanIn: number, fanOut: number] {
  if (inputAxes && outputAxes) {
    const product = (axes: readonly number[]) => axes.reduce((p, axis) => p * shape[axis < 0 ? shape.length + axis : axis], 1);
    return [product(inputAxes), product(outputAxes)];
  }
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptiveField = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return [shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField];
}

function checkAxes(name: string, value: unknown): readonly number[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every(Number.isInteger)) {
    throw new TypeError(`Argument \`${name}\` must be an array of integers or null. Received: ${name}=${describeValue(value)}`);
  }
  return value;
}

/**
 * Samples scaled to the kernel's fans: stddev (after truncation) or uniform limit from
 * `scale / n`, n being fan_in, fan_out or their mean (at least 1).
 */
/** Keras' parameters of the presets (GlorotNormal, HeUniform, ...), in its order. */
export const PRESET_POSITIONAL = ['seed', 'inputAxes', 'outputAxes'] as const;

const POSITIONAL = ['scale', 'mode', 'distribution', 'seed', 'inputAxes', 'outputAxes'] as const;

export class VarianceScaling extends RandomInitializer {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = POSITIONAL;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly inputAxes: readonly number[] | null;
  readonly outputAxes: readonly number[] | null;

  constructor(...args: PositionalArgs<VarianceScalingOptions, typeof POSITIONAL>) {
    const o = checkOptions('VarianceScaling', positionalOptions(new.target, args), POSITIONAL);
    super(o.seed as number | null | undefined);
    this.scale = finiteNumber('scale', o.scale ?? 1);
    if (this.scale <= 0) throw new RangeError(`Argument \`scale\` must be positive float. Received: scale=${this.scale}`);
    const mode = o.mode ?? 'fan_in';
    if (!MODES.includes(mode as FanMode)) {
      throw new RangeError(`Invalid \`mode\` argument: ${describeValue(mode)}. Please use one of ${MODES.join(', ')}`);
    }
    this.mode = mode as FanMode;
    const given = o.distribution ?? 'truncated_normal';
    const distribution = typeof given === 'string' ? given.toLowerCase() : given;
    this.distribution = (distribution === 'normal' ? 'truncated_normal' : distribution) as Distribution;
    if (!DISTRIBUTIONS.includes(this.distribution)) {
      throw new RangeError(`Invalid \`distribution\` argument: ${describeValue(given)}. Please use one of ${DISTRIBUTIONS.join(', ')}`);
    }
    this.inputAxes = checkAxes('inputAxes', o.inputAxes);
    this.outputAxes = checkAxes('outputAxes', o.outputAxes);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const dims = checkShape(this.constructor.name, shape);
    const [fanIn, fanOut] = computeFans(dims, this.inputAxes, this.outputAxes);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const floatDType = dtype as FloatDType;
    if (this.distribution === 'truncated_normal') {
      return truncatedNormal(dims, { stddev: Math.sqrt(scale) / TRUNCATED_NORMAL_STDDEV, dtype: floatDType, seed: this.seed });
    }
    if (this.distribution === 'untruncated_normal') {
      return normal(dims, { stddev: Math.sqrt(scale), dtype: floatDType, seed: this.seed });
    }
    const limit = Math.sqrt(3 * scale);
    return uniform(dims, { minval: -limit, maxval: limit, dtype: floatDType, seed: this.seed });
  }

  override getConfig(): InitializerConfig {
    return {
      ...super.getConfig(),
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      input_axes: this.inputAxes,
      output_axes: this.outputAxes,
    };
  }

  /** The options of a Glorot/He class, checked under its name, with its fixed settings added. */
  protected static preset(
    owner: string,
    options: PresetVarianceScalingOptions,
    fixed: Required<Pick<VarianceScalingOptions, 'scale' | 'mode' | 'distribution'>>,
  ): VarianceScalingOptions {
    return { ...checkOptions(owner, options, ['seed', 'inputAxes', 'outputAxes']), ...fixed };
  }

  /** A preset's config: only what it takes. */
  protected presetConfig(): InitializerConfig {
    return { seed: super.getConfig().seed, input_axes: this.inputAxes, output_axes: this.outputAxes };
  }
}
