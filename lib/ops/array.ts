// Python's array ops (tf.reshape, tf.concat, tf.gather, tf.where, ...) over the generated wrappers.
import { DType } from '../dtypes';
import { Tensor, TensorLike } from '../tensor';
import { convertToTensor, formatShape, int32Vector, staticShape } from './convert';
import * as ops from './generated';
import { KeywordArgs, NameArg, checkOptions, keywordArgs, nameArg, requiredArg } from '../utils/argument_validation';
import { constantTensor } from './run_op';

export function reshape(tensor: TensorLike, shape: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.reshape', rest);
  return ops.Reshape({ tensor, shape, name });
}

export interface TransposeOptions {
  perm?: TensorLike;
  conjugate?: boolean;
  name?: string;
}

/** Permutes the dims by `perm` (default: reversed); `conjugate` also conjugates complex values. */
export function transpose(
  a: TensorLike,
  ...args: KeywordArgs<[perm: TensorLike | undefined, conjugate: boolean | undefined, name: string | undefined], TransposeOptions>
): Tensor {
  const { perm, conjugate = false, name } = keywordArgs<TransposeOptions>('tf.transpose', ['perm', 'conjugate', 'name'], args);
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

export interface ConcatOptions {
  axis?: number | Tensor;
  name?: string;
}

/** Joins `values` along `axis`; a single value is returned through Identity. */
export function concat(
  values: readonly TensorLike[],
  ...args: KeywordArgs<[axis: number | Tensor | undefined, name: string | undefined], ConcatOptions>
): Tensor {
  const { axis, name } = keywordArgs<ConcatOptions>('tf.concat', ['axis', 'name'], args);
  requiredArg('tf.concat', 'axis', axis);
  if (values.length === 1) return ops.Identity({ input: values[0], name });
  return ops.ConcatV2({ values, axis: axis as number | Tensor, name });
}

export interface StackOptions {
  axis?: number;
  name?: string;
}

/** Packs same-shaped tensors into one of rank + 1, the new dim at `axis`. */
export function stack(
  values: readonly TensorLike[],
  ...args: KeywordArgs<[axis: number | undefined, name: string | undefined], StackOptions>
): Tensor {
  const { axis = 0, name } = keywordArgs<StackOptions>('tf.stack', ['axis', 'name'], args);
  return ops.Pack({ values, axis, name });
}

export interface UnstackOptions {
  num?: number;
  axis?: number;
  name?: string;
}

/** Splits `value` along `axis` into its `num` slices (inferred from the static shape when omitted). */
export function unstack(
  value: TensorLike,
  ...args: KeywordArgs<[num: number | undefined, axis: number | undefined, name: string | undefined], UnstackOptions>
): Tensor[] {
  let { num, axis = 0, name } = keywordArgs<UnstackOptions>('tf.unstack', ['num', 'axis', 'name'], args);
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

export interface SplitOptions {
  numOrSizeSplits?: number | readonly number[] | Tensor;
  axis?: number | Tensor;
  num?: number;
  name?: string;
}

/** `numOrSizeSplits` equal pieces along `axis`, or pieces of the listed sizes (one may be -1). */
export function split(
  value: TensorLike,
  ...args: KeywordArgs<
    [
      numOrSizeSplits: number | readonly number[] | Tensor | undefined,
      axis: number | Tensor | undefined,
      num: number | undefined,
      name: string | undefined,
    ],
    SplitOptions
  >
): Tensor[] {
  const { numOrSizeSplits, axis = 0, num, name } = keywordArgs<SplitOptions>('tf.split', ['numOrSizeSplits', 'axis', 'num', 'name'], args);
  requiredArg('tf.split', 'numOrSizeSplits', numOrSizeSplits);
  if (typeof numOrSizeSplits === 'number') return ops.Split({ splitDim: axis, value, numSplit: numOrSizeSplits, name });
  const sizeSplits = convertToTensor(numOrSizeSplits as TensorLike, undefined, 'int32');
  const known = staticShape(sizeSplits);
  if (known !== undefined && known.length === 0) {
    throw new TypeError(`Rank-0 tensors are not supported as the num_or_size_splits argument to split. Argument provided: ${sizeSplits}`);
  }
  const numSplit = num ?? known?.[0] ?? undefined;
  if (numSplit === undefined) throw new TypeError(`Cannot infer argument \`num\` from shape ${formatShape(known)}`);
  return ops.SplitV({ value, sizeSplits, splitDim: axis, numSplit, name });
}

export interface ExpandDimsOptions {
  axis?: number | Tensor;
  name?: string;
}

export function expandDims(
  input: TensorLike,
  ...args: KeywordArgs<[axis: number | Tensor | undefined, name: string | undefined], ExpandDimsOptions>
): Tensor {
  const { axis, name } = keywordArgs<ExpandDimsOptions>('tf.expandDims', ['axis', 'name'], args);
  return ops.ExpandDims({ input, dim: requiredArg('tf.expandDims', 'axis', axis), name });
}

export interface SqueezeOptions {
  axis?: number | readonly number[];
  name?: string;
}

/** Removes size-1 dims: those in `axis`, or all of them. */
export function squeeze(
  input: TensorLike,
  ...args: KeywordArgs<[axis: number | readonly number[] | undefined, name: string | undefined], SqueezeOptions>
): Tensor {
  const { axis, name } = keywordArgs<SqueezeOptions>('tf.squeeze', ['axis', 'name'], args);
  return ops.Squeeze({ input, squeezeDims: typeof axis === 'number' ? [axis] : axis, name });
}

export function tile(input: TensorLike, multiples: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.tile', rest);
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
  const { batchDims = 0, name } = checkOptions('tf.gather', options, ['axis', 'batchDims', 'name']) as GatherOptions;
  return ops.GatherV2({ params, indices, axis: options.axis ?? batchDims, batchDims, name });
}

/** The block of `size` (-1: to the end) starting at `begin`. */
export function slice(input: TensorLike, begin: TensorLike, size: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.slice', rest);
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
  const { axis, name } = checkOptions('tf.oneHot', options, ['onValue', 'offValue', 'axis', 'dtype', 'name']) as OneHotOptions;
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

export interface WhereOptions {
  x?: TensorLike;
  y?: TensorLike;
  name?: string;
}

/**
 * Python's tf.where: with only `condition`, the int64 coordinates of its true (non-zero) elements;
 * with `x` and `y`, elements of `x` where condition holds and of `y` elsewhere (all three broadcast).
 */
export function where(
  condition: TensorLike,
  ...args: KeywordArgs<[x: TensorLike | undefined, y: TensorLike | undefined, name: string | undefined], WhereOptions>
): Tensor {
  const { x, y, name } = keywordArgs<WhereOptions>('tf.where', ['x', 'y', 'name'], args);
  if (x === undefined && y === undefined) return ops.Where({ input: condition, name });
  if (x === undefined || y === undefined) throw new TypeError('x and y must both be non-None or both be None.');
  return ops.SelectV2({ condition, t: x, e: y, name });
}

export interface ZerosLikeOptions {
  dtype?: DType;
  name?: string;
}

/** Zeros of `input`'s shape, of its dtype or `dtype`. */
export function zerosLike(
  input: TensorLike,
  ...args: KeywordArgs<[dtype: DType | undefined, name: string | undefined], ZerosLikeOptions>
): Tensor {
  const { dtype, name } = keywordArgs<ZerosLikeOptions>('tf.zerosLike', ['dtype', 'name'], args);
  const x = convertToTensor(input);
  if (dtype === undefined || dtype === x.dtype) return ops.ZerosLike({ x, name });
  return ops.Fill({ dims: shape(x), value: constantTensor(dtype === 'bool' ? false : dtype === 'string' ? '' : 0, dtype), name });
}

export interface OnesLikeOptions {
  dtype?: DType;
  name?: string;
}

/** Ones of `input`'s shape, of its dtype or `dtype`. */
export function onesLike(
  input: TensorLike,
  ...args: KeywordArgs<[dtype: DType | undefined, name: string | undefined], OnesLikeOptions>
): Tensor {
  const { dtype, name } = keywordArgs<OnesLikeOptions>('tf.onesLike', ['dtype', 'name'], args);
  const x = convertToTensor(input);
  if (dtype === undefined || dtype === x.dtype) return ops.OnesLike({ x, name });
  return ops.Fill({ dims: shape(x), value: constantTensor(dtype === 'bool' ? true : 1, dtype), name });
}

export function identity(input: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.identity', rest);
  return ops.Identity({ input, name });
}

/** The same value, but gradients do not flow back through it. */
export function stopGradient(input: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.stopGradient', rest);
  return ops.StopGradient({ input, name });
}

/** A fully known static shape, else undefined. */
function knownDims(x: Tensor): number[] | undefined {
  const known = staticShape(x);
  return known?.every((d) => d !== null) ? (known as number[]) : undefined;
}

export interface ShapeOptions {
  outType?: 'int32' | 'int64';
  name?: string;
}

/** The shape as a 1-D int tensor: a constant when statically known, else the Shape op. */
export function shape(
  input: TensorLike,
  ...args: KeywordArgs<[outType: 'int32' | 'int64' | undefined, name: string | undefined], ShapeOptions>
): Tensor {
  const { outType = 'int32', name } = keywordArgs<ShapeOptions>('tf.shape', ['outType', 'name'], args);
  const x = convertToTensor(input);
  const dims = knownDims(x);
  return dims ? constantTensor(dims, outType, [dims.length]) : ops.Shape({ input: x, outType, name });
}

export interface SizeOptions {
  outType?: 'int32' | 'int64';
  name?: string;
}

/** The number of elements, as a scalar of `outType`. */
export function size(
  input: TensorLike,
  ...args: KeywordArgs<[outType: 'int32' | 'int64' | undefined, name: string | undefined], SizeOptions>
): Tensor {
  const { outType = 'int32', name } = keywordArgs<SizeOptions>('tf.size', ['outType', 'name'], args);
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
export function rank(input: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.rank', rest);
  const x = convertToTensor(input);
  const known = staticShape(x);
  return known ? constantTensor(known.length, 'int32') : ops.Rank({ input: x, name });
}

export type PadMode = 'CONSTANT' | 'REFLECT' | 'SYMMETRIC';

export interface PadOptions {
  mode?: PadMode | Lowercase<PadMode>;
  constantValues?: TensorLike;
  name?: string;
}

/** Pads by `paddings` ([[before, after], ...] per dim) with `constantValues`, or mirrors the edges. */
export function pad(
  tensor: TensorLike,
  paddings: TensorLike,
  ...args: KeywordArgs<
    [mode: PadMode | Lowercase<PadMode> | undefined, constantValues: TensorLike | undefined, name: string | undefined],
    PadOptions
  >
): Tensor {
  const { mode = 'CONSTANT', constantValues = 0, name } = keywordArgs<PadOptions>('tf.pad', ['mode', 'constantValues', 'name'], args);
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
export function reverse(tensor: TensorLike, axis: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.reverse', rest);
  return ops.ReverseV2({ tensor, axis, name });
}
