// tf.keras.models
export { Model, type ModelOptions } from './model';
export { Sequential, type SequentialOptions } from './sequential';
export { Functional } from './functional_model';
export { summaryText, type SummaryOptions } from './summary';
export { loadModel, saveModel } from '../saving/saving_api';
