// tf.keras.optimizers
export * as schedules from './schedules';
export { Optimizer, OptimizerOptions, GradientAndVariable, zip } from './optimizer';
export { Adam, AdamOptions } from './adam';
export { AdamW } from './adamw';
export { SGD, SGDOptions } from './sgd';
