// Python's tf.math over the generated op wrappers: elementwise math, comparisons, reductions,
// matmul and cast. Host values are converted by runOp (or convertToTensor where Python needs the
// dtype or shape first); broadcasting and shape errors come from the ops themselves.
import { DType, isInteger } from '../dtypes';
import { InvalidArgumentError } from '../errors';
import { inferDType, HostValue } from '../host_data';
import { Tensor, TensorLike, dtypeOfTensorLike } from '../tensor';
import { reshape, shape } from './array';
import { convertToTensor, formatShape, int32Vector, shapesCompatible, staticShape } from './convert';
import * as ops from './generated';
import { KeywordArgs, NameArg, checkOptions, keywordArgs, nameArg, requiredArg } from '../utils/argument_validation';

/** An axis argument: an index, a list of indices, or an int tensor; negative counts from the end. */
export type Axis = number | readonly number[] | Tensor;

function isString(value: TensorLike): boolean {
  return (dtypeOfTensorLike(value) ?? inferDType(value as HostValue)) === 'string';
}

export function add(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.add', rest);
  // AddV2 has no string kernel; Python keeps the old Add for strings.
  return isString(x) ? ops.Add({ x, y, name }) : ops.AddV2({ x, y, name });
}

export function subtract(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.subtract', rest);
  return ops.Sub({ x, y, name });
}

export function multiply(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.multiply', rest);
  return ops.Mul({ x, y, name });
}

/** The float dtype true division computes in, for each dtype it accepts (null: the dtype itself). */
const TRUEDIV_DTYPE: Partial<Record<DType, DType | null>> = {
  uint8: 'float32',
  int8: 'float32',
  uint16: 'float32',
  int16: 'float32',
  uint32: 'float64',
  int32: 'float64',
  uint64: 'float64',
  int64: 'float64',
  bfloat16: null,
  float16: null,
  float32: null,
  float64: null,
  complex64: null,
  complex128: null,
};

/** Python's tf.divide / tf.truediv: integers are cast to float32 (8/16-bit) or float64 first. */
export function divide(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.divide', rest);
  const a = convertToTensor(x, undefined, dtypeOfTensorLike(y));
  const b = convertToTensor(y, undefined, a.dtype);
  if (a.dtype !== b.dtype) throw new TypeError(`\`x\` and \`y\` must have the same dtype, got ${a.dtype} != ${b.dtype}.`);
  const target = TRUEDIV_DTYPE[a.dtype];
  if (target === undefined) {
    throw new TypeError(`Invalid dtype ${a.dtype} in __truediv__. Expected one of {${Object.keys(TRUEDIV_DTYPE).join(', ')}}.`);
  }
  return target === null ? ops.RealDiv({ x: a, y: b, name }) : ops.RealDiv({ x: cast(a, target), y: cast(b, target), name });
}

export function floorDiv(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.floorDiv', rest);
  return ops.FloorDiv({ x, y, name });
}

/** Python's tf.math.mod (floormod): the result has the sign of the divisor. */
export function mod(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.mod', rest);
  return ops.FloorMod({ x, y, name });
}

export function pow(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.pow', rest);
  return ops.Pow({ x, y, name });
}

export function maximum(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.maximum', rest);
  return ops.Maximum({ x, y, name });
}

export function minimum(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.minimum', rest);
  return ops.Minimum({ x, y, name });
}

export function squaredDifference(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.squaredDifference', rest);
  return ops.SquaredDifference({ x, y, name });
}

export function negative(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.negative', rest);
  return ops.Neg({ x, name });
}

/** |x|; for complex x the magnitude, as the matching real dtype. */
export function abs(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.abs', rest);
  const t = convertToTensor(x);
  if (t.dtype === 'complex64') return ops.ComplexAbs({ x: t, Tout: 'float32', name });
  if (t.dtype === 'complex128') return ops.ComplexAbs({ x: t, Tout: 'float64', name });
  return ops.Abs({ x: t, name });
}

export function sign(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.sign', rest);
  return ops.Sign({ x, name });
}

export function square(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.square', rest);
  return ops.Square({ x, name });
}

export function sqrt(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.sqrt', rest);
  return ops.Sqrt({ x, name });
}

export function rsqrt(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.rsqrt', rest);
  return ops.Rsqrt({ x, name });
}

export function exp(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.exp', rest);
  return ops.Exp({ x, name });
}

export function log(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.log', rest);
  return ops.Log({ x, name });
}

export function log1p(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.log1p', rest);
  return ops.Log1p({ x, name });
}

export function sin(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.sin', rest);
  return ops.Sin({ x, name });
}

export function cos(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.cos', rest);
  return ops.Cos({ x, name });
}

export function tanh(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.tanh', rest);
  return ops.Tanh({ x, name });
}

export function sigmoid(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.sigmoid', rest);
  return ops.Sigmoid({ x, name });
}

/** Rounds half to even (banker's rounding); integer tensors are returned as they are. */
export function round(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.round', rest);
  const t = convertToTensor(x);
  return isInteger(t.dtype) ? t : ops.Round({ x: t, name });
}

export function floor(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.floor', rest);
  return ops.Floor({ x, name });
}

export function ceil(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.ceil', rest);
  return ops.Ceil({ x, name });
}

export function isNan(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.isNan', rest);
  return ops.IsNan({ x, name });
}

// biome-ignore lint/suspicious/noShadowRestrictedNames: Python's tf.math.is_finite, reached as tf.math.isFinite
export function isFinite(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.isFinite', rest);
  return ops.IsFinite({ x, name });
}

export function equal(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.equal', rest);
  return ops.Equal({ x, y, name });
}

export function notEqual(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.notEqual', rest);
  return ops.NotEqual({ x, y, name });
}

export function less(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.less', rest);
  return ops.Less({ x, y, name });
}

export function lessEqual(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.lessEqual', rest);
  return ops.LessEqual({ x, y, name });
}

export function greater(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.greater', rest);
  return ops.Greater({ x, y, name });
}

export function greaterEqual(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.greaterEqual', rest);
  return ops.GreaterEqual({ x, y, name });
}

export function logicalAnd(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.logicalAnd', rest);
  return ops.LogicalAnd({ x, y, name });
}

export function logicalOr(x: TensorLike, y: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.logicalOr', rest);
  return ops.LogicalOr({ x, y, name });
}

export function logicalNot(x: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.logicalNot', rest);
  return ops.LogicalNot({ x, name });
}

/** Python's _ReductionDims: the axis given, else every axis (a constant when the rank is known). */
function reductionDims(x: Tensor, axis: Axis | undefined): TensorLike {
  if (axis !== undefined) return axis;
  const known = staticShape(x);
  if (known === undefined) return ops.Range({ start: 0, limit: ops.Rank({ input: x }), delta: 1 });
  return int32Vector(known.map((_, i) => i));
}

type ReductionOp = (args: { input: TensorLike; reductionIndices: TensorLike; keepDims?: boolean; name?: string }) => Tensor;

/** Python's reduce_*(input_tensor, axis=None, keepdims=False, name=None). */
export interface ReduceOptions {
  /** The axes to reduce (every axis when omitted); negative counts from the end. */
  axis?: Axis;
  /** Keep reduced dims with length 1. */
  keepdims?: boolean;
  name?: string;
}

export type ReduceArgs = KeywordArgs<[axis: Axis | undefined, keepdims: boolean | undefined, name: string | undefined], ReduceOptions>;

const REDUCE_PARAMS = ['axis', 'keepdims', 'name'] as const;

function reduce(owner: string, op: ReductionOp, inputTensor: TensorLike, args: readonly unknown[]): Tensor {
  const { axis, keepdims = false, name } = keywordArgs<ReduceOptions>(owner, REDUCE_PARAMS, args);
  const input = convertToTensor(inputTensor);
  return op({ input, reductionIndices: reductionDims(input, axis), keepDims: keepdims, name });
}

/** Sums over `axis` (every axis when omitted), dropping reduced dims unless `keepdims`. */
export function reduceSum(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceSum', ops.Sum, inputTensor, args);
}

/** The mean over `axis`; integer tensors divide with truncation, as in Python. */
export function reduceMean(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceMean', ops.Mean, inputTensor, args);
}

export function reduceMax(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceMax', ops.Max, inputTensor, args);
}

export function reduceMin(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceMin', ops.Min, inputTensor, args);
}

export function reduceProd(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceProd', ops.Prod, inputTensor, args);
}

export function reduceAll(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceAll', ops.All, inputTensor, args);
}

export function reduceAny(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  return reduce('tf.reduceAny', ops.Any, inputTensor, args);
}

/** log(sum(exp(x))) over `axis`, shifted by the (finite) max so that large values do not overflow. */
export function reduceLogsumexp(inputTensor: TensorLike, ...args: ReduceArgs): Tensor {
  const { axis, keepdims = false, name } = keywordArgs<ReduceOptions>('tf.reduceLogsumexp', REDUCE_PARAMS, args);
  const input = convertToTensor(inputTensor);
  const rawMax = reduceMax(input, axis, true);
  const finiteMax = ops.StopGradient({ input: ops.SelectV2({ condition: ops.IsFinite({ x: rawMax }), t: rawMax, e: 0 }) });
  const result = ops.Log({ x: reduceSum(ops.Exp({ x: subtract(input, finiteMax) }), axis, keepdims) });
  return add(result, keepdims ? finiteMax : reshape(finiteMax, shape(result)), name);
}

/** Python's argmax/argmin(input, axis=None, output_type=tf.int64, name=None). */
export interface ArgMaxOptions {
  axis?: number | Tensor;
  outputType?: 'int32' | 'int64';
  name?: string;
}

export type ArgMaxArgs = KeywordArgs<
  [axis: number | Tensor | undefined, outputType: 'int32' | 'int64' | undefined, name: string | undefined],
  ArgMaxOptions
>;

const ARGMAX_PARAMS = ['axis', 'outputType', 'name'] as const;

/** The index of the largest value along `axis` (default 0). */
export function argmax(input: TensorLike, ...args: ArgMaxArgs): Tensor {
  const { axis = 0, outputType = 'int64', name } = keywordArgs<ArgMaxOptions>('tf.argmax', ARGMAX_PARAMS, args);
  return ops.ArgMax({ input, dimension: axis, outputType, name });
}

export function argmin(input: TensorLike, ...args: ArgMaxArgs): Tensor {
  const { axis = 0, outputType = 'int64', name } = keywordArgs<ArgMaxOptions>('tf.argmin', ARGMAX_PARAMS, args);
  return ops.ArgMin({ input, dimension: axis, outputType, name });
}

export interface CumsumOptions {
  axis?: number | Tensor;
  exclusive?: boolean;
  reverse?: boolean;
  name?: string;
}

export function cumsum(
  x: TensorLike,
  ...args: KeywordArgs<
    [axis: number | Tensor | undefined, exclusive: boolean | undefined, reverse: boolean | undefined, name: string | undefined],
    CumsumOptions
  >
): Tensor {
  const {
    axis = 0,
    exclusive = false,
    reverse = false,
    name,
  } = keywordArgs<CumsumOptions>('tf.cumsum', ['axis', 'exclusive', 'reverse', 'name'], args);
  return ops.Cumsum({ x, axis, exclusive, reverse, name });
}

/** The elementwise sum of same-shaped tensors (no broadcasting); one input is returned as it is. */
export function addN(inputs: readonly TensorLike[], ...rest: NameArg): Tensor {
  const name = nameArg('tf.addN', rest);
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new TypeError('Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape.');
  }
  if (inputs.length === 1) {
    const only = convertToTensor(inputs[0]);
    return name === undefined ? only : ops.Identity({ input: only, name });
  }
  return ops.AddN({ inputs, name });
}

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  /** Conjugate and transpose (the same as transpose for real tensors). */
  adjointA?: boolean;
  adjointB?: boolean;
  /** The product's dtype where it differs from the inputs' (e.g. int8 × int8 → int32). */
  outputType?: ops.BatchMatMulV3Args['Tout'];
  name?: string;
}

function conj(x: Tensor): Tensor {
  return x.dtype === 'complex64' || x.dtype === 'complex128' ? ops.Conj({ input: x }) : x;
}

/** Python's tf.linalg.matmul: a 2-D product, or a batched one (broadcasting batch dims) above rank 2. */
export function matmul(a: TensorLike, b: TensorLike, options: MatmulOptions = {}): Tensor {
  checkOptions('tf.matmul', options, ['transposeA', 'transposeB', 'adjointA', 'adjointB', 'outputType', 'name']);
  let { transposeA = false, transposeB = false, adjointA = false, adjointB = false } = options;
  const { outputType, name } = options;
  if (transposeA && adjointA) {
    throw new RangeError(
      `Only one of \`transpose_a\` and \`adjoint_a\` can be True. Received \`transpose_a\`=${transposeA}, \`adjoint_a\`=${adjointA}.`,
    );
  }
  if (transposeB && adjointB) {
    throw new RangeError(
      `Only one of \`transpose_b\` and \`adjoint_b\` can be True. Received \`transpose_b\`=${transposeB}, \`adjoint_b\`=${adjointB}.`,
    );
  }
  let x = convertToTensor(a);
  let y = convertToTensor(b, undefined, x.dtype);
  const xShape = staticShape(x);
  const yShape = staticShape(y);
  const batched = xShape === undefined || xShape.length > 2 || yShape === undefined || yShape.length > 2;
  const useV3 = outputType !== undefined && (outputType !== x.dtype || outputType !== y.dtype);
  if (batched) {
    // BatchMatMul has no transpose: conjugate (a no-op for reals) and use the adjoint.
    if (transposeA) [x, adjointA] = [conj(x), true];
    if (transposeB) [y, adjointB] = [conj(y), true];
    return useV3
      ? ops.BatchMatMulV3({ x, y, adjX: adjointA, adjY: adjointB, Tout: outputType, name })
      : ops.BatchMatMulV2({ x, y, adjX: adjointA, adjY: adjointB, name });
  }
  // MatMul has no adjoint: conjugate and transpose.
  if (adjointA) [x, transposeA] = [conj(x), true];
  if (adjointB) [y, transposeB] = [conj(y), true];
  return useV3
    ? ops.BatchMatMulV3({ x, y, adjX: transposeA, adjY: transposeB, Tout: outputType, name })
    : ops.MatMul({ a: x, b: y, transposeA, transposeB, name });
}

/** `x` as `dtype` (the same tensor when it already is); complex → real keeps the real part. */
export function cast(
  x: TensorLike,
  ...args: KeywordArgs<[dtype: DType, name: string | undefined], { dtype: DType; name?: string }>
): Tensor {
  const { dtype, name } = keywordArgs<{ dtype?: DType; name?: string }>('tf.cast', ['dtype', 'name'], args);
  requiredArg('tf.cast', 'dtype', dtype);
  const t = convertToTensor(x);
  return t.dtype === dtype ? t : ops.Cast({ x: t, DstT: dtype as DType, name });
}

/** Clips to [clipValueMin, clipValueMax]; the bounds may broadcast but must not enlarge `t`. */
export function clipByValue(t: TensorLike, clipValueMin: TensorLike, clipValueMax: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.clipByValue', rest);
  const values = convertToTensor(t);
  const checkShape = (clipped: Tensor): void => {
    const [a, b] = [staticShape(values), staticShape(clipped)];
    if (!shapesCompatible(a, b)) throw new InvalidArgumentError(`Shapes ${formatShape(a)} and ${formatShape(b)} are incompatible`);
  };
  const tMin = ops.Minimum({ x: values, y: clipValueMax });
  checkShape(tMin);
  const tMax = ops.Maximum({ x: tMin, y: clipValueMin, name });
  checkShape(tMax);
  return tMax;
}

/** x / sqrt(max(sum(|x|²) over `axis`, epsilon)). */
export interface L2NormalizeOptions {
  axis?: Axis;
  epsilon?: number;
  name?: string;
}

export function l2Normalize(
  x: TensorLike,
  ...args: KeywordArgs<[axis: Axis | undefined, epsilon: number | undefined, name: string | undefined], L2NormalizeOptions>
): Tensor {
  const { axis, epsilon = 1e-12, name } = keywordArgs<L2NormalizeOptions>('tf.l2Normalize', ['axis', 'epsilon', 'name'], args);
  const t = convertToTensor(x);
  if (t.dtype === 'complex64' || t.dtype === 'complex128') {
    const [Tout, complexType] = t.dtype === 'complex64' ? (['float32', 'complex64'] as const) : (['float64', 'complex128'] as const);
    const real = ops.Real({ input: t, Tout });
    const imag = ops.Imag({ input: t, Tout });
    const invNorm = rsqrt(maximum(reduceSum(add(square(real), square(imag)), axis, true), epsilon));
    return ops.Complex({ real: multiply(real, invNorm), imag: multiply(imag, invNorm), Tout: complexType, name });
  }
  return multiply(t, rsqrt(maximum(reduceSum(square(t), axis, true), epsilon)), name);
}

export { subtract as sub, multiply as mul, divide as div, negative as neg };
