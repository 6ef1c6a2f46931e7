// tf.keras.callbacks
export { Callback, type CallbackModel, type CallbackMetric, type CallbackParams, type Logs } from './callback';
export { LearningRateScheduler, type EpochSchedule } from './learning_rate_scheduler';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type MonitorMode } from './reduce_lr_on_plateau';
