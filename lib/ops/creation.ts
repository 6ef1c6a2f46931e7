// Tensor creation: tf.tensor, tf.scalar, tf.constant, tf.zeros, tf.ones, tf.fill, tf.range.
import { DType } from '../dtypes';
import { HostValue } from '../host_data';
import { Tensor, TensorLike, isReadAsTensor } from '../tensor';
import { convertToTensor } from './convert';
import { constantTensor } from './run_op';
import { Fill, Range } from './generated';

/** A tensor from values (nested arrays, a TypedArray, or a scalar), optionally reshaped and cast. */
export function tensor(values: HostValue, shape?: readonly number[], dtype?: DType): Tensor {
  return constantTensor(values, dtype, shape);
}

/** Python's tf.constant(value, dtype, shape). */
export function constant(value: HostValue, dtype?: DType, shape?: readonly number[]): Tensor {
  return constantTensor(value, dtype, shape);
}

export function scalar(value: number | boolean | string | bigint, dtype?: DType): Tensor {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) throw new TypeError('tf.scalar takes a single value');
  return constantTensor(value, dtype, []);
}

function checkShape(shape: readonly number[]): readonly number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape;
}

/** A tensor of `shape` filled with `value` (Python's tf.fill(dims, value)). */
export function fill(shape: readonly number[], value: TensorLike, dtype?: DType): Tensor {
  const filler = value instanceof Tensor || isReadAsTensor(value) ? convertToTensor(value) : constantTensor(value as HostValue, dtype);
  return Fill({ dims: constantTensor([...checkShape(shape)], 'int32', [shape.length]), value: filler });
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, constantTensor(dtype === 'bool' ? false : dtype === 'string' ? '' : 0, dtype));
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, constantTensor(dtype === 'bool' ? true : 1, dtype));
}

/** Python's tf.range(start, limit, delta, dtype): tf.range(5) is [0..4]. */
export function range(start: number, limit?: number, delta = 1, dtype?: DType): Tensor {
  if (limit === undefined) [start, limit] = [0, start];
  if (delta === 0) throw new RangeError('tf.range: delta must not be zero');
  const resolved = dtype ?? ([start, limit, delta].every(Number.isInteger) ? 'int32' : 'float32');
  return Range({ start: constantTensor(start, resolved), limit: constantTensor(limit, resolved), delta: constantTensor(delta, resolved) });
}
