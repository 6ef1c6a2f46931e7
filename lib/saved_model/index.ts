// Python's tf.saved_model.
export { load, LoadedSavedModel } from './load';
export type { LoadOptions, SignatureFunction } from './load';
