// tf.keras
export * as optimizers from './optimizers';
export * as callbacks from './callbacks';
export * as initializers from './initializers';
