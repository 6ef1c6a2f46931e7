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

/** An axis argument: an index, a list of indices, or an int tensor; negative counts from the end. */
export type Axis = number | readonly number[] | Tensor;

function isString(value: TensorLike): boolean {
  return (dtypeOfTensorLike(value) ?? inferDType(value as HostValue)) === 'string';
}

export function add(x: TensorLike, y: TensorLike, name?: string): Tensor {
  // AddV2 has no string kernel; Python keeps the old Add for strings.
  return isString(x) ? ops.Add({ x, y, name }) : ops.AddV2({ x, y, name });
}

export function subtract(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Sub({ x, y, name });
}

export function multiply(x: TensorLike, y: TensorLike, name?: string): Tensor {
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
export function divide(x: TensorLike, y: TensorLike, name?: string): Tensor {
  const a = convertToTensor(x, undefined, dtypeOfTensorLike(y));
  const b = convertToTensor(y, undefined, a.dtype);
  if (a.dtype !== b.dtype) throw new TypeError(`\`x\` and \`y\` must have the same dtype, got ${a.dtype} != ${b.dtype}.`);
  const target = TRUEDIV_DTYPE[a.dtype];
  if (target === undefined) {
    throw new TypeError(`Invalid dtype ${a.dtype} in __truediv__. Expected one of {${Object.keys(TRUEDIV_DTYPE).join(', ')}}.`);
  }
  return target === null ? ops.RealDiv({ x: a, y: b, name }) : ops.RealDiv({ x: cast(a, target), y: cast(b, target), name });
}

export function floorDiv(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.FloorDiv({ x, y, name });
}

/** Python's tf.math.mod (floormod): the result has the sign of the divisor. */
export function mod(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.FloorMod({ x, y, name });
}

export function pow(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Pow({ x, y, name });
}

export function maximum(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Maximum({ x, y, name });
}

export function minimum(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Minimum({ x, y, name });
}

export function squaredDifference(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.SquaredDifference({ x, y, name });
}

export function negative(x: TensorLike, name?: string): Tensor {
  return ops.Neg({ x, name });
}

/** |x|; for complex x the magnitude, as the matching real dtype. */
export function abs(x: TensorLike, name?: string): Tensor {
  const t = convertToTensor(x);
  if (t.dtype === 'complex64') return ops.ComplexAbs({ x: t, Tout: 'float32', name });
  if (t.dtype === 'complex128') return ops.ComplexAbs({ x: t, Tout: 'float64', name });
  return ops.Abs({ x: t, name });
}

export function sign(x: TensorLike, name?: string): Tensor {
  return ops.Sign({ x, name });
}

export function square(x: TensorLike, name?: string): Tensor {
  return ops.Square({ x, name });
}

export function sqrt(x: TensorLike, name?: string): Tensor {
  return ops.Sqrt({ x, name });
}

export function rsqrt(x: TensorLike, name?: string): Tensor {
  return ops.Rsqrt({ x, name });
}

export function exp(x: TensorLike, name?: string): Tensor {
  return ops.Exp({ x, name });
}

export function log(x: TensorLike, name?: string): Tensor {
  return ops.Log({ x, name });
}

export function log1p(x: TensorLike, name?: string): Tensor {
  return ops.Log1p({ x, name });
}

export function sin(x: TensorLike, name?: string): Tensor {
  return ops.Sin({ x, name });
}

export function cos(x: TensorLike, name?: string): Tensor {
  return ops.Cos({ x, name });
}

export function tanh(x: TensorLike, name?: string): Tensor {
  return ops.Tanh({ x, name });
}

export function sigmoid(x: TensorLike, name?: string): Tensor {
  return ops.Sigmoid({ x, name });
}

/** Rounds half to even (banker's rounding); integer tensors are returned as they are. */
export function round(x: TensorLike, name?: string): Tensor {
  const t = convertToTensor(x);
  return isInteger(t.dtype) ? t : ops.Round({ x: t, name });
}

export function floor(x: TensorLike, name?: string): Tensor {
  return ops.Floor({ x, name });
}

export function ceil(x: TensorLike, name?: string): Tensor {
  return ops.Ceil({ x, name });
}

export function isNan(x: TensorLike, name?: string): Tensor {
  return ops.IsNan({ x, name });
}

// biome-ignore lint/suspicious/noShadowRestrictedNames: Python's tf.math.is_finite, reached as tf.math.isFinite
export function isFinite(x: TensorLike, name?: string): Tensor {
  return ops.IsFinite({ x, name });
}

export function equal(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Equal({ x, y, name });
}

export function notEqual(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.NotEqual({ x, y, name });
}

export function less(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Less({ x, y, name });
}

export function lessEqual(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.LessEqual({ x, y, name });
}

export function greater(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.Greater({ x, y, name });
}

export function greaterEqual(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.GreaterEqual({ x, y, name });
}

export function logicalAnd(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.LogicalAnd({ x, y, name });
}

export function logicalOr(x: TensorLike, y: TensorLike, name?: string): Tensor {
  return ops.LogicalOr({ x, y, name });
}

export function logicalNot(x: TensorLike, name?: string): Tensor {
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

function reduce(op: ReductionOp, inputTensor: TensorLike, axis: Axis | undefined, keepdims: boolean, name: string | undefined): Tensor {
  const input = convertToTensor(inputTensor);
  return op({ input, reductionIndices: reductionDims(input, axis), keepDims: keepdims, name });
}

/** Sums over `axis` (every axis when omitted), dropping reduced dims unless `keepdims`. */
export function reduceSum(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Sum, inputTensor, axis, keepdims, name);
}

/** The mean over `axis`; integer tensors divide with truncation, as in Python. */
export function reduceMean(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Mean, inputTensor, axis, keepdims, name);
}

export function reduceMax(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Max, inputTensor, axis, keepdims, name);
}

export function reduceMin(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Min, inputTensor, axis, keepdims, name);
}

export function reduceProd(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Prod, inputTensor, axis, keepdims, name);
}

export function reduceAll(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.All, inputTensor, axis, keepdims, name);
}

export function reduceAny(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  return reduce(ops.Any, inputTensor, axis, keepdims, name);
}

/** log(sum(exp(x))) over `axis`, shifted by the (finite) max so that large values do not overflow. */
export function reduceLogsumexp(inputTensor: TensorLike, axis?: Axis, keepdims = false, name?: string): Tensor {
  const input = convertToTensor(inputTensor);
  const rawMax = reduceMax(input, axis, true);
  const finiteMax = ops.StopGradient({ input: ops.SelectV2({ condition: ops.IsFinite({ x: rawMax }), t: rawMax, e: 0 }) });
  const result = ops.Log({ x: reduceSum(ops.Exp({ x: subtract(input, finiteMax) }), axis, keepdims) });
  return add(result, keepdims ? finiteMax : reshape(finiteMax, shape(result)), name);
}

/** The index of the largest value along `axis` (default 0). */
export function argmax(input: TensorLike, axis: number | Tensor = 0, outputType: 'int32' | 'int64' = 'int64', name?: string): Tensor {
  return ops.ArgMax({ input, dimension: axis, outputType, name });
}

export function argmin(input: TensorLike, axis: number | Tensor = 0, outputType: 'int32' | 'int64' = 'int64', name?: string): Tensor {
  return ops.ArgMin({ input, dimension: axis, outputType, name });
}

export function cumsum(x: TensorLike, axis: number | Tensor = 0, exclusive = false, reverse = false, name?: string): Tensor {
  return ops.Cumsum({ x, axis, exclusive, reverse, name });
}

/** The elementwise sum of same-shaped tensors (no broadcasting); one input is returned as it is. */
export function addN(inputs: readonly TensorLike[], name?: string): Tensor {
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
export function cast(x: TensorLike, dtype: DType, name?: string): Tensor {
  const t = convertToTensor(x);
  return t.dtype === dtype ? t : ops.Cast({ x: t, DstT: dtype, name });
}

/** Clips to [clipValueMin, clipValueMax]; the bounds may broadcast but must not enlarge `t`. */
export function clipByValue(t: TensorLike, clipValueMin: TensorLike, clipValueMax: TensorLike, name?: string): Tensor {
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
export function l2Normalize(x: TensorLike, axis?: Axis, epsilon = 1e-12, name?: string): Tensor {
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
