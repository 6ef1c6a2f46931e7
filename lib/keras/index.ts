// tf.keras
export * as optimizers from './optimizers';
export * as callbacks from './callbacks';
