// The single entry point: `import * as tf from 'tf-napi'`.
export * as errors from './errors';
export * as raw from './raw';
export * as rawOps from './ops/generated';
export * as keras from './keras';
export { version } from './version';
export { DType } from './dtypes';
export { Tensor, TensorLike, Shape } from './tensor';
export { tensor, constant, scalar, fill, zeros, ones, range } from './ops/creation';
export { Variable, VariableOptions } from './variable';
export { GradientTape, GradientTapeOptions } from './gradient_tape';
export { tfFunction as function, TensorSpec, FunctionOptions, TracedFunction } from './function';
export { device } from './device';
export * as config from './config';
export { zip } from './keras/optimizers/optimizer';
export * as random from './random';
