// keras.utils.to_categorical: class indices to one-hot rows.
import { isTypedArray } from '../../dtypes';
import { flatten, HostArrayLike, HostValue, inferShape, isHostArrayLike } from '../../host_data';
import { Cast, OneHot, Squeeze } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';

function checkNumClasses(numClasses: unknown): number | undefined {
  if (numClasses === undefined || numClasses === null) return undefined;
  if (!Number.isSafeInteger(numClasses) || (numClasses as number) < 1) {
    throw new RangeError(`toCategorical: numClasses must be a positive integer, got ${String(numClasses)}`);
  }
  return numClasses as number;
}

/**
 * Keras' `to_categorical(x, num_classes=None)`: a one-hot row for each class index, the class axis
 * last; a trailing axis of size 1 is dropped first ((n, 1) labels give (n, numClasses)). Without
 * `numClasses` it is `max(x) + 1`.
 *
 * Keras returns a float64 NumPy array; this returns a float32 tf.Tensor (Keras' floatx, what a
 * model takes). Host data and eager tensors are checked as NumPy indexes them: a class at or beyond
 * `numClasses` is NumPy's IndexError text as a RangeError, and so is a negative one (NumPy would
 * count it from the end). A symbolic tensor (inside tf.function) goes through TF's OneHot, as Keras
 * does for tensors: it needs `numClasses`, and out-of-range classes give rows of zeros.
 */
export function toCategorical(x: Tensor | HostValue | HostArrayLike, numClasses?: number): Tensor {
  const classes = checkNumClasses(numClasses);
  if (x instanceof Tensor && x.isSymbolic) {
    if (classes === undefined) throw new TypeError('toCategorical: numClasses is required for a symbolic tensor');
    let indices = x.dtype === 'int32' || x.dtype === 'int64' || x.dtype === 'uint8' ? x : Cast({ x, DstT: 'int64' });
    const shape = indices.shape;
    if (shape.length > 1 && shape[shape.length - 1] === 1) indices = Squeeze({ input: indices, squeezeDims: [-1] });
    return OneHot({
      indices,
      depth: constantTensor(classes, 'int32'),
      onValue: constantTensor(1, 'float32'),
      offValue: constantTensor(0, 'float32'),
    });
  }
  let values: ArrayLike<number | bigint>;
  let shape: number[];
  if (x instanceof Tensor) {
    values = x.dataSync() as ArrayLike<number | bigint>;
    shape = x.shape as number[];
  } else if (isHostArrayLike(x)) {
    values = x.data as ArrayLike<number | bigint>;
    shape = [...x.shape];
  } else if (isTypedArray(x)) {
    values = x as ArrayLike<number | bigint>;
    shape = [x.length];
  } else {
    shape = inferShape(x as HostValue);
    values = flatten(x as HostValue, shape, 'float64') as Float64Array;
  }
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  const labels = Array.from(values, (v, i) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new TypeError(`toCategorical: class indices must be integers; element ${i} is ${String(v)}`);
    return n;
  });
  const depth = classes ?? (labels.length === 0 ? 0 : Math.max(...labels) + 1);
  const out = new Float32Array(labels.length * depth);
  labels.forEach((label, i) => {
    if (label < 0 || label >= depth) throw new RangeError(`index ${label} is out of bounds for axis 1 with size ${depth}`);
    out[i * depth + label] = 1;
  });
  return constantTensor(out, 'float32', [...shape, depth]);
}
