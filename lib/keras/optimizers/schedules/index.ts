// tf.keras.optimizers.schedules
export { LearningRateSchedule, type ScheduleConfig } from './learning_rate_schedule';
export { ExponentialDecay, type ExponentialDecayOptions, type ExponentialDecayConfig } from './exponential_decay';
export {
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayOptions,
  type PiecewiseConstantDecayConfig,
} from './piecewise_constant_decay';
export { PolynomialDecay, type PolynomialDecayOptions, type PolynomialDecayConfig } from './polynomial_decay';
export { InverseTimeDecay, type InverseTimeDecayOptions, type InverseTimeDecayConfig } from './inverse_time_decay';
export { CosineDecay, type CosineDecayOptions, type CosineDecayConfig } from './cosine_decay';
export {
  CosineDecayRestarts,
  type CosineDecayRestartsOptions,
  type CosineDecayRestartsConfig,
} from './cosine_decay_restarts';
export { serialize, deserialize, type SerializedLearningRateSchedule, type LearningRateScheduleClass } from './serialization';
export { resolveLearningRate, type LearningRateLike } from './resolve_learning_rate';
