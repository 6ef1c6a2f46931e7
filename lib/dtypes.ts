// TensorFlow dtypes: Python's names, the C API's enum values, and how each sits in a TypedArray.

export const DTYPE_ENUM = {
  float32: 1,
  float64: 2,
  int32: 3,
  uint8: 4,
  int16: 5,
  int8: 6,
  string: 7,
  complex64: 8,
  int64: 9,
  bool: 10,
  qint8: 11,
  quint8: 12,
  qint32: 13,
  bfloat16: 14,
  qint16: 15,
  quint16: 16,
  uint16: 17,
  complex128: 18,
  float16: 19,
  resource: 20,
  variant: 21,
  uint32: 22,
  uint64: 23,
} as const;

export type DType = keyof typeof DTYPE_ENUM;

const ENUM_TO_DTYPE = new Map<number, DType>((Object.entries(DTYPE_ENUM) as [DType, number][]).map(([name, value]) => [value, name]));

/** The host array each numeric dtype is read into and written from. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int16Array
  | Int8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type TypedArrayConstructor = { new (length: number): TypedArray; from(values: Iterable<unknown>): TypedArray };

// The one TypedArray <-> dtype map. A bare TypedArray holds the first dtype listed for its class
// (Uint16Array: uint16, not float16), so keep each class's own dtype first.
const ARRAY_OF: Partial<Record<DType, TypedArrayConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  qint32: Int32Array,
  uint8: Uint8Array,
  quint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  qint16: Int16Array,
  int8: Int8Array,
  qint8: Int8Array,
  uint16: Uint16Array,
  quint16: Uint16Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  uint32: Uint32Array,
  int64: BigInt64Array as unknown as TypedArrayConstructor,
  uint64: BigUint64Array as unknown as TypedArrayConstructor,
  complex64: Float32Array,
  complex128: Float64Array,
};

const ARRAY_DTYPES = Object.entries(ARRAY_OF) as [DType, TypedArrayConstructor][];

export function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** The dtype a bare TypedArray holds (Float32Array: float32, BigInt64Array: int64). */
export function dtypeOfTypedArray(array: TypedArray): DType {
  // instanceof, not the constructor, so a Buffer is uint8.
  const entry = ARRAY_DTYPES.find(([, ArrayClass]) => array instanceof (ArrayClass as unknown as typeof Float32Array));
  if (entry === undefined) throw new TypeError(`Unsupported TypedArray ${Object.prototype.toString.call(array)}`);
  return entry[0];
}

export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.hasOwn(DTYPE_ENUM, name);
}

export function dtypeToEnum(dtype: DType): number {
  const value = isDType(dtype) ? DTYPE_ENUM[dtype] : undefined;
  if (value === undefined) throw new TypeError(`Unknown dtype '${String(dtype)}'`);
  return value;
}

export function enumToDType(value: number): DType {
  const dtype = ENUM_TO_DTYPE.get(value);
  if (dtype === undefined) throw new TypeError(`Unsupported TensorFlow dtype enum ${value}`);
  return dtype;
}

/** The TypedArray class that holds a dtype's values, or undefined (string, resource, variant). */
export function typedArrayFor(dtype: DType): TypedArrayConstructor | undefined {
  return ARRAY_OF[dtype];
}

/** TypedArray values per tensor element: 2 for complex (real, imaginary), else 1. */
export function lanesOf(dtype: DType): number {
  return dtype === 'complex64' || dtype === 'complex128' ? 2 : 1;
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

export function isInteger(dtype: DType): boolean {
  return ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'].includes(dtype);
}
