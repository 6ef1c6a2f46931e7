import { InitializerConfig } from './initializer';
import { PRESET_POSITIONAL, PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

/** He normal: truncated normal with stddev sqrt(2 / fan_in) after truncation. */
export class HeNormal extends VarianceScaling {
  static override readonly positional: readonly string[] = PRESET_POSITIONAL;

  constructor(...args: PositionalArgs<PresetVarianceScalingOptions, typeof PRESET_POSITIONAL>) {
    super(
      VarianceScaling.preset('HeNormal', positionalOptions(new.target, args), {
        scale: 2,
        mode: 'fan_in',
        distribution: 'truncated_normal',
      }),
    );
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
