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
export { GradientTape, GradientTapeOptions, Watchable } from './gradient_tape';
export { gradients, GradientsOptions } from './gradients_impl';
export { registerGradient, GradientFunction, GradientOp } from './gradients';
export { tfFunction as function, TensorSpec, FunctionOptions, TracedFunction, executingEagerly } from './function';
export { device } from './device';
export * as config from './config';
export { zip } from './keras/optimizers/optimizer';
export * as random from './random';

// ---- Core math, array and nn ops (lib/ops/math.ts, array.ts, nn.ts): Python's tf.* names ----
export * as math from './ops/math';
export * as nn from './ops/nn';
export * as linalg from './ops/linalg';
export { convertToTensor } from './ops/convert';
export { print, PrintOptions } from './ops/logging_ops';
export { clipByGlobalNorm } from './ops/clip_ops';
export { linspace, LinspaceOptions } from './ops/linspace';
export {
  add,
  subtract,
  sub,
  multiply,
  mul,
  divide,
  div,
  pow,
  maximum,
  minimum,
  negative,
  neg,
  abs,
  sign,
  square,
  sqrt,
  exp,
  sin,
  cos,
  tanh,
  sigmoid,
  round,
  floor,
  equal,
  notEqual,
  less,
  lessEqual,
  greater,
  greaterEqual,
  logicalAnd,
  logicalOr,
  logicalNot,
  reduceSum,
  reduceMean,
  reduceMax,
  reduceMin,
  reduceProd,
  reduceAll,
  reduceAny,
  reduceLogsumexp,
  argmax,
  argmin,
  cumsum,
  addN,
  matmul,
  cast,
  clipByValue,
  MatmulOptions,
} from './ops/math';
export {
  reshape,
  transpose,
  concat,
  stack,
  unstack,
  split,
  expandDims,
  squeeze,
  tile,
  gather,
  GatherOptions,
  slice,
  oneHot,
  OneHotOptions,
  where,
  zerosLike,
  onesLike,
  identity,
  stopGradient,
  shape,
  size,
  rank,
  pad,
  reverse,
} from './ops/array';
export * as data from './data';
export * as train from './train';
export * as distribute from './distribute';
export * as summary from './summary';
export * as savedModel from './saved_model';
