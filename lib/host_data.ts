// Host values <-> flat TypedArrays: shape and dtype inference, flattening and nesting; HostArray,
// the rows of one flat buffer that tf.data and Keras' fit both slice and batch.
import { DType, TypedArray, dtypeOfTypedArray, isFloating, isTypedArray, lanesOf, typedArrayFor } from './dtypes';

/** A value as users write it: scalars, TypedArrays and (nested) arrays of scalars. */
export type HostValue = number | boolean | string | bigint | Uint8Array | TypedArray | readonly HostValue[];

export type NestedArray<T> = T | NestedArray<T>[];

/** The data a native Tensor is made from: a flat TypedArray, or strings/bytes for string tensors. */
export type FlatData = TypedArray | (string | Uint8Array)[];

/** The shape of a rectangular nested array (a TypedArray is one flat dimension). */
export function inferShape(value: HostValue, dtype?: DType): number[] {
  if (isTypedArray(value)) {
    return dtype === 'string' ? [] : [value.length / lanesOf(dtype ?? dtypeOfTypedArray(value))];
  }
  if (!Array.isArray(value)) return [];
  const shape = [value.length];
  if (value.length > 0) shape.push(...inferShape(value[0] as HostValue, dtype));
  return shape;
}

/**
 * tfjs' rule, since JavaScript cannot tell 5 from 5.0: booleans → bool, strings → string, bigints →
 * int64, numbers → float32; TypedArrays keep their dtype (nested integer ones → int32).
 */
export function inferDType(value: HostValue): DType {
  if (isTypedArray(value)) return dtypeOfTypedArray(value);
  let floating = false;
  let kind: 'bool' | 'string' | 'bigint' | 'number' | undefined;
  const visit = (v: HostValue): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
      return;
    }
    if (isTypedArray(v)) {
      kind = 'number';
      floating ||= v instanceof Float32Array || v instanceof Float64Array;
      return;
    }
    const k = typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'string' : typeof v === 'bigint' ? 'bigint' : 'number';
    if (kind !== undefined && kind !== k) throw new TypeError(`Cannot mix ${kind} and ${k} values in one tensor`);
    kind = k;
    if (k === 'number') floating = true;
  };
  visit(value);
  if (kind === 'bool') return 'bool';
  if (kind === 'string') return 'string';
  if (kind === 'bigint') return 'int64';
  return kind === 'number' && !floating ? 'int32' : 'float32';
}

function flattenInto(value: HostValue, shape: readonly number[], depth: number, out: unknown[]): void {
  if (depth === shape.length) {
    if (Array.isArray(value)) throw new RangeError(`Ragged nested array: expected a scalar at depth ${depth}`);
    out.push(value);
    return;
  }
  if (isTypedArray(value) && depth === shape.length - 1) {
    if (value.length !== shape[depth]) throw new RangeError(`Ragged nested array at depth ${depth}`);
    for (const v of value) out.push(v);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new RangeError(`Ragged nested array: expected ${shape[depth]} values at depth ${depth}`);
  }
  for (const item of value) flattenInto(item as HostValue, shape, depth + 1, out);
}

const FLOAT32_SCRATCH = new Float32Array(1);
const UINT32_SCRATCH = new Uint32Array(FLOAT32_SCRATCH.buffer);

function toBfloat16Bits(x: number): number {
  FLOAT32_SCRATCH[0] = x;
  const bits = UINT32_SCRATCH[0];
  if (Number.isNaN(x)) return 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff; // round to nearest even
}

function toFloat16Bits(x: number): number {
  FLOAT32_SCRATCH[0] = x;
  const bits = UINT32_SCRATCH[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && half & 1) ? 1 : 0));
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) {
    mantissa = 0;
    e += 1;
    if (e >= 0x1f) return sign | 0x7c00;
  } else {
    mantissa = rounded;
  }
  return sign | (e << 10) | (mantissa >>> 13);
}

export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function bfloat16BitsToNumber(h: number): number {
  UINT32_SCRATCH[0] = h << 16;
  return FLOAT32_SCRATCH[0];
}

const INTEGER_RANGES: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  qint8: [-128, 127],
  uint8: [0, 255],
  quint8: [0, 255],
  int16: [-32768, 32767],
  qint16: [-32768, 32767],
  uint16: [0, 65535],
  quint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  qint32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function convertScalar(v: unknown, dtype: DType): number | bigint | string | Uint8Array {
  const fail = (): never => {
    const shown =
      typeof v === 'bigint' ? `${v}n` : typeof v === 'string' || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
    throw new TypeError(`Cannot convert ${shown} to a tensor of dtype ${dtype}`);
  };
  if (dtype === 'string') return typeof v === 'string' || v instanceof Uint8Array ? v : fail();
  if (dtype === 'bool') return typeof v === 'boolean' ? (v ? 1 : 0) : fail();
  if (dtype === 'int64' || dtype === 'uint64') {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    return fail();
  }
  if (typeof v === 'bigint') {
    if (isFloating(dtype) || INTEGER_RANGES[dtype] !== undefined) v = Number(v);
    else return fail();
  }
  if (typeof v !== 'number') return fail();
  const range = INTEGER_RANGES[dtype];
  if (range !== undefined && !(Number.isInteger(v) && v >= range[0] && v <= range[1])) return fail();
  if (dtype === 'float16') return toFloat16Bits(v);
  if (dtype === 'bfloat16') return toBfloat16Bits(v);
  return v;
}

/** Flattens `value` (any HostValue) into the data of a `dtype` tensor with `size` elements. */
export function flatten(value: HostValue, shape: readonly number[], dtype: DType): FlatData {
  const size = shape.reduce((a, b) => a * b, 1);
  // A TypedArray already of the right kind is taken as it is (raw bits for float16/bfloat16).
  const ArrayClass = typedArrayFor(dtype);
  if (isTypedArray(value) && ArrayClass && value instanceof (ArrayClass as unknown as typeof Float32Array)) {
    if (dtype === 'bool') return Uint8Array.from(value as unknown as Uint8Array, (x) => (x ? 1 : 0));
    return value;
  }
  const valueShape = inferShape(value, dtype);
  const count = valueShape.reduce((a, b) => a * b, 1) * (isTypedArray(value) ? lanesOf(dtype) : 1);
  const items: unknown[] = [];
  flattenInto(value, valueShape, 0, items);
  // A scalar fills the shape; otherwise the element count must match.
  const fill = valueShape.length === 0 && size !== 1;
  const expected = size * lanesOf(dtype);
  if (!fill && count !== expected) {
    throw new RangeError(`Shape [${shape.join(', ')}] needs ${expected} values, got ${count}`);
  }
  if (dtype === 'string') {
    const strings = items.map((v) => convertScalar(v, dtype) as string | Uint8Array);
    return fill ? new Array(size).fill(strings[0]) : strings;
  }
  if (!ArrayClass) throw new TypeError(`Cannot create a ${dtype} tensor from host values`);
  const out = new ArrayClass(expected);
  for (let i = 0; i < expected; ++i) (out as unknown as unknown[])[i] = convertScalar(items[fill ? 0 : i], dtype);
  return out;
}

/** Reshapes flat host values into nested arrays of `shape`. */
export function nest<T>(flat: ArrayLike<T>, shape: readonly number[]): NestedArray<T> {
  if (shape.length === 0) return flat[0];
  const build = (offset: number, depth: number): NestedArray<T>[] => {
    const size = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    const out: NestedArray<T>[] = [];
    for (let i = 0; i < shape[depth]; ++i) {
      out.push(depth === shape.length - 1 ? flat[offset + i] : build(offset + i * size, depth + 1));
    }
    return out;
  };
  return build(0, 0);
}

/** Data that is flat already: a TypedArray with the shape it stands for, e.g. `{ data: pixels, shape: [60000, 28, 28] }`. */
export interface HostArrayLike {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  /** Defaults to the TypedArray's; e.g. 'float16' reads a Uint16Array as raw half-float bits. */
  readonly dtype?: DType;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Only these keys, so that a tf.data dict `{ data, shape, label }` is not taken for one. */
export function isHostArrayLike(value: unknown): value is HostArrayLike {
  if (!isPlainObject(value) || !isTypedArray(value.data) || !Array.isArray(value.shape)) return false;
  return Object.keys(value).every((k) => k === 'data' || k === 'shape' || k === 'dtype');
}

/**
 * Rows (tf.data elements, Keras samples) of host values in one flat buffer, row after row, so that
 * a slice or a run of consecutive rows is a view rather than a copy.
 */
export class HostArray {
  readonly rowShape: readonly number[];
  /** Flat values per row (complex dtypes hold two per value). */
  readonly rowSize: number;

  constructor(
    readonly data: FlatData,
    /** Rows first. */
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {
    this.rowShape = shape.slice(1);
    this.rowSize = this.rowShape.reduce((a, b) => a * b, 1) * lanesOf(dtype);
  }

  /** A HostArrayLike, its length checked against its shape. */
  static from(like: HostArrayLike, what: string): HostArray {
    const dtype = like.dtype ?? dtypeOfTypedArray(like.data);
    const expected = like.shape.reduce((a, b) => a * b, 1) * lanesOf(dtype);
    if (like.data.length !== expected) {
      throw new RangeError(`${what}: shape [${like.shape.join(', ')}] needs ${expected} values, the array has ${like.data.length}`);
    }
    return new HostArray(flatten(like.data, like.shape, dtype), [...like.shape], dtype);
  }

  get length(): number {
    return this.shape[0];
  }

  /** `count` rows from `start`, flat: a view for TypedArrays. */
  rows(start: number, count = 1): FlatData {
    const [from, to] = [start * this.rowSize, (start + count) * this.rowSize];
    return isTypedArray(this.data) ? this.data.subarray(from, to) : this.data.slice(from, to);
  }

  /** Rows [start, end), sharing the data. */
  slice(start: number, end: number): HostArray {
    return new HostArray(this.rows(start, end - start), [end - start, ...this.rowShape], this.dtype);
  }

  /** Rows `indices[start..end)` copied one after another into `out` (numeric dtypes). */
  gather(indices: ArrayLike<number>, start: number, end: number, out: TypedArray): void {
    const row = this.rowSize;
    const data = this.data as Float32Array;
    const target = out as Float32Array;
    for (let i = start; i < end; ++i) {
      const from = indices[i] * row;
      // A one-value row is copied directly: a subarray per value costs more than the copy.
      if (row === 1) target[i - start] = data[from];
      else target.set(data.subarray(from, from + row), (i - start) * row);
    }
  }
}

/** `buffer` when it is `dtype`'s TypedArray with room for `length` values, else a new one: a batch buffer reused across batches. */
export function scratchBuffer(buffer: TypedArray | undefined, dtype: DType, length: number): TypedArray {
  const ArrayClass = typedArrayFor(dtype);
  if (ArrayClass === undefined) throw new TypeError(`No TypedArray holds ${dtype} values`);
  return buffer instanceof (ArrayClass as unknown as typeof Float32Array) && buffer.length >= length ? buffer : new ArrayClass(length);
}
