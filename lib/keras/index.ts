// tf.keras
export * as optimizers from './optimizers';
export * as callbacks from './callbacks';
export * as initializers from './initializers';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export * as activations from './activations';
export * as layers from './layers';
export * as losses from './losses';
export * as metrics from './metrics';
export * as models from './models';
export * as saving from './saving';
export * as utils from './utils';
export { Model, Sequential, type ModelOptions, type SequentialOptions } from './models';
export { Input } from './layers';
export { History } from './callbacks/history';
export type { CompileOptions, FitOptions, EvaluateOptions, StepData, ComputeLossArguments } from './training/trainer';
export type { PredictOptions } from './training/predict';
export type { ExportOptions } from './export/saved_model';
