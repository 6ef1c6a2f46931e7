import { InitializerConfig } from './initializer';
import { PRESET_POSITIONAL, PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out)) after truncation. */
export class GlorotNormal extends VarianceScaling {
  static override readonly positional: readonly string[] = PRESET_POSITIONAL;

  constructor(...args: PositionalArgs<PresetVarianceScalingOptions, typeof PRESET_POSITIONAL>) {
    super(
      VarianceScaling.preset('GlorotNormal', positionalOptions(new.target, args), {
        scale: 1,
        mode: 'fan_avg',
        distribution: 'truncated_normal',
      }),
    );
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
