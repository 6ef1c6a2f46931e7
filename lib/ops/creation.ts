// Tensor creation: tf.tensor, tf.scalar, tf.constant, tf.zeros, tf.ones, tf.fill, tf.range.
import { DType } from '../dtypes';
import { KeywordArgs, keywordArgs } from '../utils/argument_validation';
import { HostValue } from '../host_data';
import { Tensor, TensorLike, isReadAsTensor } from '../tensor';
import { convertToTensor } from './convert';
import { constantTensor } from './run_op';
import { Fill, Range } from './generated';

export interface TensorOptions {
  shape?: readonly number[];
  dtype?: DType;
}

/**
 * A tensor from values (nested arrays, a TypedArray, or a scalar), optionally reshaped and cast.
 * Without a dtype, JS numbers are float32 (tfjs' rule: JavaScript cannot tell 5 from 5.0), an
 * Int32Array int32, bigints int64, booleans bool and strings string.
 */
export function tensor(
  values: HostValue,
  ...args: KeywordArgs<[shape: readonly number[] | undefined, dtype: DType | undefined], TensorOptions>
): Tensor {
  const { shape, dtype } = keywordArgs<TensorOptions>('tf.tensor', ['shape', 'dtype'], args);
  return constantTensor(values, dtype, shape);
}

export interface ConstantOptions {
  dtype?: DType;
  shape?: readonly number[];
}

/** Python's tf.constant(value, dtype, shape); JS numbers are float32 unless `dtype` says otherwise (see tf.tensor). */
export function constant(
  value: HostValue,
  ...args: KeywordArgs<[dtype: DType | undefined, shape: readonly number[] | undefined], ConstantOptions>
): Tensor {
  const { dtype, shape } = keywordArgs<ConstantOptions>('tf.constant', ['dtype', 'shape'], args);
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

export interface FillOptions {
  dtype?: DType;
}

/** A tensor of `shape` filled with `value` (Python's tf.fill(dims, value)). */
export function fill(shape: readonly number[], value: TensorLike, ...args: KeywordArgs<[dtype: DType | undefined], FillOptions>): Tensor {
  const { dtype } = keywordArgs<FillOptions>('tf.fill', ['dtype'], args);
  const filler = value instanceof Tensor || isReadAsTensor(value) ? convertToTensor(value) : constantTensor(value as HostValue, dtype);
  return Fill({ dims: constantTensor([...checkShape(shape)], 'int32', [shape.length]), value: filler });
}

export interface ZerosOptions {
  dtype?: DType;
}

export function zeros(shape: readonly number[], ...args: KeywordArgs<[dtype: DType | undefined], ZerosOptions>): Tensor {
  const { dtype = 'float32' } = keywordArgs<ZerosOptions>('tf.zeros', ['dtype'], args);
  return fill(shape, constantTensor(dtype === 'bool' ? false : dtype === 'string' ? '' : 0, dtype));
}

export interface OnesOptions {
  dtype?: DType;
}

export function ones(shape: readonly number[], ...args: KeywordArgs<[dtype: DType | undefined], OnesOptions>): Tensor {
  const { dtype = 'float32' } = keywordArgs<OnesOptions>('tf.ones', ['dtype'], args);
  return fill(shape, constantTensor(dtype === 'bool' ? true : 1, dtype));
}

export interface RangeOptions {
  limit?: number;
  delta?: number;
  dtype?: DType;
}

/**
 * Python's tf.range(start, limit, delta, dtype): tf.range(5) is [0..4]. Whole-number arguments give
 * int32, as in Python (not float32 as elsewhere, nor as in tfjs): range mostly makes indices, which
 * gather, oneHot and the segment ops need as integers. Pass dtype: 'float32' for float steps of 1.
 */
export function range(
  start: number,
  ...args: KeywordArgs<[limit: number | undefined, delta: number | undefined, dtype: DType | undefined], RangeOptions>
): Tensor {
  let { limit, delta = 1, dtype } = keywordArgs<RangeOptions>('tf.range', ['limit', 'delta', 'dtype'], args);
  if (limit === undefined) [start, limit] = [0, start];
  if (delta === 0) throw new RangeError('tf.range: delta must not be zero');
  const resolved = dtype ?? ([start, limit, delta].every(Number.isInteger) ? 'int32' : 'float32');
  return Range({ start: constantTensor(start, resolved), limit: constantTensor(limit, resolved), delta: constantTensor(delta, resolved) });
}
