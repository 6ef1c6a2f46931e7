// tf.keras.callbacks
export { Callback, type CallbackModel, type CallbackMetric, type CallbackParams, type Logs } from './callback';
export { LearningRateScheduler, type EpochSchedule } from './learning_rate_scheduler';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type MonitorMode } from './reduce_lr_on_plateau';
export { MonitorCallback } from './monitor_callback';
export { EarlyStopping, type EarlyStoppingOptions } from './early_stopping';
export { CSVLogger, type CSVLoggerOptions } from './csv_logger';
export { TerminateOnNaN, type TerminateOnNaNOptions } from './terminate_on_nan';
export { LambdaCallback, type LambdaCallbackOptions } from './lambda_callback';
export { TensorBoard, type TensorBoardOptions } from './tensorboard';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model_checkpoint';
export { BackupAndRestore, type BackupAndRestoreOptions } from './backup_and_restore';
