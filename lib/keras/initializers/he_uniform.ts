import { InitializerConfig } from './initializer';
import { PRESET_POSITIONAL, PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

/** He uniform: U(-limit, limit), limit = sqrt(6 / fan_in). */
export class HeUniform extends VarianceScaling {
  static override readonly positional: readonly string[] = PRESET_POSITIONAL;

  constructor(...args: PositionalArgs<PresetVarianceScalingOptions, typeof PRESET_POSITIONAL>) {
    super(VarianceScaling.preset('HeUniform', positionalOptions(new.target, args), { scale: 2, mode: 'fan_in', distribution: 'uniform' }));
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
