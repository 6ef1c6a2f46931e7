// tf.keras.optimizers
export * as schedules from './schedules';
