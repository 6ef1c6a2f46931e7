// The single entry point: `import * as tf from 'tf-napi'`.
export * as errors from './errors';
export * as raw from './raw';
export { version } from './version';
export { DType } from './dtypes';
export * as keras from './keras';
