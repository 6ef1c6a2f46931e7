// Python's array ops (tf.reshape, tf.concat, tf.gather, tf.where, ...) over the generated wrappers.
import { DType } from '../dtypes';
import { Tensor, TensorLike } from '../tensor';
import { convertToTensor, formatShape, int32Vector, staticShape } from './convert';
import * as ops from './generated';
import { constantTensor } from './run_op';

export function reshape(tensor: TensorLike, shape: TensorLike, name?: string): Tensor {
  return ops.Reshape({ tensor, shape, name });
}

/** Permutes the dims by `perm` (default: reversed); `conjugate` also conjugates complex values. */
export function transpose(a: TensorLike, perm?: TensorLike, conjugate = false, name?: string): Tensor {
  const x = convertToTensor(a);
  const transposeOp = conjugate && (x.dtype === 'complex64' || x.dtype === 'complex128') ? ops.ConjugateTranspose : ops.Transpose;
  if (perm !== undefined) return transposeOp({ x, perm, name });
  const known = staticShape(x);
  const reversed =
    known === undefined
      ? ops.Range({ start: ops.Sub({ x: ops.Rank({ input: x }), y: 1 }), limit: -1, delta: -1 })
      : int32Vector(known.map((_, i) => known.length - 1 - i));
  return transposeOp({ x, perm: reversed, name });
}

/** Joins `values` along `axis`; a single value is returned through Identity. */
export function concat(values: readonly TensorLike[], axis: number | Tensor, name?: string): Tensor {
  if (values.length === 1) return ops.Identity({ input: values[0], name });
  return ops.ConcatV2({ values, axis, name });
}

/** Packs same-shaped tensors into one of rank + 1, the new dim at `axis`. */
export function stack(values: readonly TensorLike[], axis = 0, name?: string): Tensor {
  return ops.Pack({ values, axis, name });
}

/** Splits `value` along `axis` into its `num` slices (inferred from the static shape when omitted). */
export function unstack(value: TensorLike, num?: number, axis = 0, name?: string): Tensor[] {
  const x = convertToTensor(value);
  if (num === undefined) {
    const known = staticShape(x);
    if (known !== undefined) {
      if (axis < -known.length || axis >= known.length) {
        throw new RangeError(`Argument \`axis\` = ${axis} not in range [${-known.length}, ${known.length})`);
      }
      num = known[axis < 0 ? axis + known.length : axis] ?? undefined;
    }
    if (num === undefined) throw new TypeError(`Cannot infer argument \`num\` from shape ${formatShape(known)}`);
  }
  return ops.Unpack({ value: x, num, axis, name });
}

/** `numOrSizeSplits` equal pieces along `axis`, or pieces of the listed sizes (one may be -1). */
export function split(
  value: TensorLike,
  numOrSizeSplits: number | readonly number[] | Tensor,
  axis: number | Tensor = 0,
  num?: number,
  name?: string,
): Tensor[] {
  if (typeof numOrSizeSplits === 'number') return ops.Split({ splitDim: axis, value, numSplit: numOrSizeSplits, name });
  const sizeSplits = convertToTensor(numOrSizeSplits as TensorLike);
  const known = staticShape(sizeSplits);
  if (known !== undefined && known.length === 0) {
    throw new TypeError(`Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument provided: ${sizeSplits}`);
  }
  const numSplit = num ?? known?.[0] ?? undefined;
  if (numSplit === undefined) throw new TypeError(`Cannot infer argument \`num\` from shape ${formatShape(known)}`);
  return ops.SplitV({ value, sizeSplits, splitDim: axis, numSplit, name });
}

export function expandDims(input: TensorLike, axis: number | Tensor, name?: string): Tensor {
  return ops.ExpandDims({ input, dim: axis, name });
}

/** Removes size-1 dims: those in `axis`, or all of them. */
export function squeeze(input: TensorLike, axis?: number | readonly number[], name?: string): Tensor {
  return ops.Squeeze({ input, squeezeDims: typeof axis === 'number' ? [axis] : axis, name });
}

export function tile(input: TensorLike, multiples: TensorLike, name?: string): Tensor {
  return ops.Tile({ input, multiples, name });
}

export interface GatherOptions {
  /** The params axis to gather from; defaults to `batchDims`. */
  axis?: number | Tensor;
  /** Leading dims shared by params and indices (gathered per batch). */
  batchDims?: number;
  name?: string;
}

/** Slices of `params` along `axis` at `indices` (Python's tf.gather). */
export function gather(params: TensorLike, indices: TensorLike, options: GatherOptions = {}): Tensor {
  const { batchDims = 0, name } = options;
  return ops.GatherV2({ params, indices, axis: options.axis ?? batchDims, batchDims, name });
}

/** The block of `size` (-1: to the end) starting at `begin`. */
export function slice(input: TensorLike, begin: TensorLike, size: TensorLike, name?: string): Tensor {
  return ops.Slice({ input, begin, size, name });
}

export interface OneHotOptions {
  /** Default 1 of `dtype`. */
  onValue?: TensorLike;
  /** Default 0 of `dtype`. */
  offValue?: TensorLike;
  /** Where the new depth dim goes (default -1: last). */
  axis?: number;
  /** Default: the dtype of onValue/offValue, else float32. */
  dtype?: DType;
  name?: string;
}

/** One-hot rows of length `depth`; indices outside [0, depth) give rows of offValue. */
export function oneHot(indices: TensorLike, depth: TensorLike, options: OneHotOptions = {}): Tensor {
  const { axis, name } = options;
  let dtype = options.dtype;
  const onValue = options.onValue === undefined ? undefined : convertToTensor(options.onValue, undefined, dtype);
  const offValue = options.offValue === undefined ? undefined : convertToTensor(options.offValue, undefined, dtype);
  if (dtype !== undefined) {
    if (onValue && onValue.dtype !== dtype)
      throw new TypeError(`dtype ${onValue.dtype} of on_value does not match dtype parameter ${dtype}`);
    if (offValue && offValue.dtype !== dtype)
      throw new TypeError(`dtype ${offValue.dtype} of off_value does not match dtype parameter ${dtype}`);
  }
  dtype ??= onValue?.dtype ?? offValue?.dtype ?? 'float32';
  const on = onValue ?? constantTensor(1, dtype);
  const off = offValue ?? constantTensor(0, dtype);
  if (on.dtype !== off.dtype) throw new TypeError(`dtype ${on.dtype} of on_value does not match dtype ${off.dtype} of off_value`);
  return ops.OneHot({ indices, depth, onValue: on, offValue: off, axis, name });
}

/**
 * Python's tf.where: with only `condition`, the int64 coordinates of its true (non-zero) elements;
 * with `x` and `y`, elements of `x` where condition holds and of `y` elsewhere (all three broadcast).
 */
export function where(condition: TensorLike, x?: TensorLike, y?: TensorLike, name?: string): Tensor {
  if (x === undefined && y === undefined) return ops.Where({ input: condition, name });
  if (x === undefined || y === undefined) throw new TypeError('x and y must both be non-None or both be None.');
  return ops.SelectV2({ condition, t: x, e: y, name });
}

/** Zeros of `input`'s shape, of its dtype or `dtype`. */
export function zerosLike(input: TensorLike, dtype?: DType, name?: string): Tensor {
  const x = convertToTensor(input);
  if (dtype === undefined || dtype === x.dtype) return ops.ZerosLike({ x, name });
  return ops.Fill({ dims: shape(x), value: constantTensor(dtype === 'bool' ? false : dtype === 'string' ? '' : 0, dtype), name });
}

/** Ones of `input`'s shape, of its dtype or `dtype`. */
export function onesLike(input: TensorLike, dtype?: DType, name?: string): Tensor {
  const x = convertToTensor(input);
  if (dtype === undefined || dtype === x.dtype) return ops.OnesLike({ x, name });
  return ops.Fill({ dims: shape(x), value: constantTensor(dtype === 'bool' ? true : 1, dtype), name });
}

export function identity(input: TensorLike, name?: string): Tensor {
  return ops.Identity({ input, name });
}

/** The same value, but gradients do not flow back through it. */
export function stopGradient(input: TensorLike, name?: string): Tensor {
  return ops.StopGradient({ input, name });
}

/** A fully known static shape, else undefined. */
function knownDims(x: Tensor): number[] | undefined {
  const known = staticShape(x);
  return known?.every((d) => d !== null) ? (known as number[]) : undefined;
}

/** The shape as a 1-D int tensor: a constant when statically known, else the Shape op. */
export function shape(input: TensorLike, outType: 'int32' | 'int64' = 'int32', name?: string): Tensor {
  const x = convertToTensor(input);
  const dims = knownDims(x);
  return dims ? constantTensor(dims, outType, [dims.length]) : ops.Shape({ input: x, outType, name });
}

/** The number of elements, as a scalar of `outType`. */
export function size(input: TensorLike, outType: 'int32' | 'int64' = 'int32', name?: string): Tensor {
  const x = convertToTensor(input);
  const known = staticShape(x);
  const dims = knownDims(x);
  if (dims)
    return constantTensor(
      dims.reduce((a, b) => a * b, 1),
      outType,
    );
  if (known?.includes(0)) return constantTensor(0, outType);
  return ops.Size({ input: x, outType, name });
}

/** The number of dims, as an int32 scalar. */
export function rank(input: TensorLike, name?: string): Tensor {
  const x = convertToTensor(input);
  const known = staticShape(x);
  return known ? constantTensor(known.length, 'int32') : ops.Rank({ input: x, name });
}

export type PadMode = 'CONSTANT' | 'REFLECT' | 'SYMMETRIC';

/** Pads by `paddings` ([[before, after], ...] per dim) with `constantValues`, or mirrors the edges. */
export function pad(
  tensor: TensorLike,
  paddings: TensorLike,
  mode: PadMode | Lowercase<PadMode> = 'CONSTANT',
  constantValues: TensorLike = 0,
  name?: string,
): Tensor {
  const upper = String(mode).toUpperCase();
  if (upper === 'CONSTANT') {
    // Python keeps the plain Pad op for a host zero.
    if (constantValues === 0) return ops.Pad({ input: tensor, paddings, name });
    return ops.PadV2({ input: tensor, paddings, constantValues, name });
  }
  if (upper === 'REFLECT' || upper === 'SYMMETRIC') return ops.MirrorPad({ input: tensor, paddings, mode: upper, name });
  throw new RangeError(
    `Value of argument \`mode\` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". Received \`mode\` = ${mode}`,
  );
}

/** Reverses the order along each dim in `axis`. */
export function reverse(tensor: TensorLike, axis: TensorLike, name?: string): Tensor {
  return ops.ReverseV2({ tensor, axis, name });
}
