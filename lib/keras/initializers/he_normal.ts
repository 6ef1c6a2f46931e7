import { InitializerConfig } from './initializer';
import { PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';

/** He normal: truncated normal with stddev sqrt(2 / fan_in) after truncation. */
export class HeNormal extends VarianceScaling {
  constructor(options: PresetVarianceScalingOptions = {}) {
    super(VarianceScaling.preset('HeNormal', options, { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }));
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
