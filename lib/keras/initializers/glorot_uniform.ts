import { InitializerConfig } from './initializer';
import { PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';

/** Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)). */
export class GlorotUniform extends VarianceScaling {
  constructor(options: PresetVarianceScalingOptions = {}) {
    super(VarianceScaling.preset('GlorotUniform', options, { scale: 1, mode: 'fan_avg', distribution: 'uniform' }));
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
