// tf.data: host-side input pipelines.
export {
  AUTOTUNE,
  BatchOptions,
  Dataset,
  Element,
  INFINITE_CARDINALITY,
  MapOptions,
  MapOutput,
  NumpyElement,
  ShuffleOptions,
  SliceInput,
  Structured,
  UNKNOWN_CARDINALITY,
} from './dataset';
export { HostArrayLike } from '../host_data';
