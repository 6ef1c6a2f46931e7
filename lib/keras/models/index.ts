// tf.keras.models
export { Model, type ModelOptions } from './model';
export { Sequential, type SequentialOptions } from './sequential';
export { summaryText, type SummaryOptions } from './summary';
