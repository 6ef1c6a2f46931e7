import { InitializerConfig } from './initializer';
import { PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';

/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fan_in + fan_out)) after truncation. */
export class GlorotNormal extends VarianceScaling {
  constructor(options: PresetVarianceScalingOptions = {}) {
    super(VarianceScaling.preset('GlorotNormal', options, { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }));
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
