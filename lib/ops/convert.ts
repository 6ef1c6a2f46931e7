// Python's tf.convert_to_tensor, and the static shape that Python's ops consult before adding ops.
import { DType } from '../dtypes';
import { HostValue } from '../host_data';
import { Shape, Tensor, TensorLike, isReadAsTensor } from '../tensor';
import { constantTensor } from './run_op';

/**
 * Tensors pass through (their dtype must match `dtype` if given) and variables are read; host
 * values become constants of `dtype`, else of `dtypeHint` when they fit it, else of the dtype
 * inferred from them (JS numbers: float32).
 */
export function convertToTensor(value: TensorLike, dtype?: DType, dtypeHint?: DType): Tensor {
  if (isReadAsTensor(value)) value = value.value();
  if (value instanceof Tensor) {
    if (dtype !== undefined && value.dtype !== dtype) {
      throw new TypeError(`Tensor conversion requested dtype ${dtype} for Tensor with dtype ${value.dtype}`);
    }
    return value;
  }
  if (dtype === undefined && dtypeHint !== undefined) {
    try {
      return constantTensor(value as HostValue, dtypeHint);
    } catch (e) {
      // Python falls back to the inferred dtype when the value does not fit the hint.
      if (!(e instanceof TypeError)) throw e;
    }
  }
  return constantTensor(value as HostValue, dtype);
}

/** An int32 vector constant (also when empty, where inference would pick float32). */
export function int32Vector(values: readonly number[]): Tensor {
  return constantTensor(values, 'int32', [values.length]);
}

/** The static shape (null for unknown dims), or undefined where even the rank is unknown. */
export function staticShape(x: Tensor): Shape | undefined {
  if (x.output && x.output.op.outputShape(x.output.index) === null) return undefined;
  return x.shape;
}

/** Python's TensorShape repr: (2, None, 3) and (4,). */
export function formatShape(shape: Shape | undefined): string {
  if (shape === undefined) return '<unknown>';
  return `(${shape.map((d) => d ?? 'None').join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** Python's TensorShape.is_compatible_with: same rank, and equal dims where both are known. */
export function shapesCompatible(a: Shape | undefined, b: Shape | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}
