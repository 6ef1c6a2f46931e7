import { InitializerConfig } from './initializer';
import { PresetVarianceScalingOptions, VarianceScaling } from './variance_scaling';

/** He uniform: U(-limit, limit), limit = sqrt(6 / fan_in). */
export class HeUniform extends VarianceScaling {
  constructor(options: PresetVarianceScalingOptions = {}) {
    super(VarianceScaling.preset('HeUniform', options, { scale: 2, mode: 'fan_in', distribution: 'uniform' }));
  }

  override getConfig(): InitializerConfig {
    return this.presetConfig();
  }
}
