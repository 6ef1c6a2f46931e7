// Native tensors from host values, and back.
import { DType, dtypeToEnum, enumToDType } from '../dtypes';
import { HostValue, NestedArray, bfloat16BitsToNumber, flatten, float16BitsToNumber, inferDType, inferShape, nest } from '../host_data';
import { NativeTensor, binding } from '../native';

/** A native tensor from host values (Python's tf.constant rules for dtype and shape). */
export function hostTensor(values: HostValue, shape?: readonly number[], dtype?: DType): NativeTensor {
  const resolvedDType = dtype ?? inferDType(values);
  const resolvedShape = shape ?? inferShape(values, resolvedDType);
  for (const d of resolvedShape) {
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`Invalid shape [${resolvedShape.join(', ')}]: dims must be non-negative integers`);
  }
  return new binding.Tensor(dtypeToEnum(resolvedDType), resolvedShape, flatten(values, resolvedShape, resolvedDType));
}

export type HostScalar = number | bigint | boolean | string;

/** The tensor's values as numbers/bigints/booleans/strings in a flat array (float16/bfloat16 decoded). */
export function readFlat(tensor: NativeTensor): HostScalar[] | ArrayLike<number> | ArrayLike<bigint> {
  const dtype = enumToDType(tensor.dtype);
  const data = tensor.data();
  if (dtype === 'string') return (data as Buffer[]).map((b) => b.toString('utf8'));
  if (dtype === 'bool') return Array.from(data as Uint8Array, (x) => x !== 0);
  if (dtype === 'float16') return Array.from(data as Uint16Array, float16BitsToNumber);
  if (dtype === 'bfloat16') return Array.from(data as Uint16Array, bfloat16BitsToNumber);
  return data as unknown as ArrayLike<number>;
}

/** The tensor's values as nested arrays of its shape (a scalar for rank 0). */
export function readNested(tensor: NativeTensor): NestedArray<HostScalar> {
  const shape = tensor.shape;
  const dtype = enumToDType(tensor.dtype);
  if (dtype === 'complex64' || dtype === 'complex128') {
    // Interleaved (re, im) pairs become a trailing dimension of 2.
    return nest(readFlat(tensor) as ArrayLike<number>, [...shape, 2]);
  }
  return nest(readFlat(tensor) as ArrayLike<HostScalar>, shape);
}
