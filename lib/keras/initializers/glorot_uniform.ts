import { InitializerConfig } from './initializer';
import { PRESET_POSITIONAL, PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

/** Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)). */
export class GlorotUniform extends VarianceScaling {
  static override readonly positional: readonly string[] = PRESET_POSITIONAL;

  constructor(...args: PositionalArgs<PresetVarianceScalingOptions, typeof PRESET_POSITIONAL>) {
    super(
      VarianceScaling.preset('GlorotUniform', positionalOptions(new.target, args), { scale: 1, mode: 'fan_avg', distribution: 'uniform' }),
    );
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
