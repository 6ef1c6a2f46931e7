// What fit/evaluate/predict accept as data, turned into batches of eager tensors: host arrays are
// converted once into flat TypedArrays, and each batch is one copy of its rows (gathered through a
// reused scratch buffer when shuffled) into a new tensor; datasets are iterated as they are.
import { DType, isFloating, TypedArray, typedArrayFor } from '../../dtypes';
import { HostValue, inferShape } from '../../host_data';
import { formatShape } from '../../ops/convert';
import { cast } from '../../ops/math';
import { hostTensor } from '../../raw/host_tensor';
import { Shape, Tensor } from '../../tensor';
import { pythonFloatRepr } from '../callbacks/python_float_repr';

/** A flat TypedArray with the shape it holds (samples first), as tf.data's HostArray. */
export interface ShapedArray {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype?: DType;
}

/** Samples as a tensor, nested arrays, a flat TypedArray (1-D) or a TypedArray with a shape. */
export type ArrayData = Tensor | HostValue | ShapedArray;

/** Anything iterable (sync or async) of [x, y] batches (or x batches, to predict), such as a tf.data.Dataset. */
export type BatchDataset = Iterable<readonly [ArrayData, ArrayData?] | Tensor> | AsyncIterable<readonly [ArrayData, ArrayData?] | Tensor>;

export interface Batch {
  x: Tensor;
  y?: Tensor;
  /** Frees the tensors made for this batch (not ones a dataset handed over). */
  dispose(): void;
}

function ownedBatch(x: Tensor, y: Tensor | undefined, owned: readonly Tensor[]): Batch {
  return { x, y, dispose: () => owned.forEach((t) => t.dispose()) };
}

function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isShapedArray(value: unknown): value is ShapedArray {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isTypedArray((value as ShapedArray).data) && Array.isArray((value as ShapedArray).shape);
}

export function isDataset(value: unknown): value is BatchDataset {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isTypedArray(value) || value instanceof Tensor) return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** Nested JS numbers (or booleans) into `out`, row-major. */
function fillNested(value: HostValue, out: TypedArray, offset: number): number {
  if (Array.isArray(value)) {
    for (const item of value) offset = fillNested(item as HostValue, out, offset);
    return offset;
  }
  if (isTypedArray(value)) {
    (out as Float32Array).set(value as unknown as ArrayLike<number>, offset);
    return offset + value.length;
  }
  (out as unknown as (number | bigint)[])[offset] = typeof value === 'boolean' ? Number(value) : (value as number);
  return offset + 1;
}

function convertArray(data: TypedArray | readonly (number | bigint | boolean)[], dtype: DType): TypedArray {
  const ArrayClass = typedArrayFor(dtype);
  if (ArrayClass === undefined) throw new TypeError(`Cannot feed ${dtype} data to a model`);
  if (data instanceof (ArrayClass as unknown as typeof Float32Array)) return data as TypedArray;
  const convert = dtype === 'int64' || dtype === 'uint64' ? (v: unknown) => BigInt(v as number) : (v: unknown) => Number(v);
  const out = new ArrayClass(data.length) as unknown as (number | bigint)[];
  for (let i = 0; i < data.length; ++i) out[i] = convert(data[i]);
  return out as unknown as TypedArray;
}

/**
 * Samples in a flat host array. `targetDType` is the dtype a model needs (its input dtype for x);
 * without it floats become float32 (Keras' floatx), booleans float32, integers stay as they are.
 */
export class HostArray {
  private scratch?: TypedArray;

  constructor(
    readonly data: TypedArray,
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}

  static from(value: ArrayData, what: string, targetDType?: DType): HostArray {
    if (value instanceof Tensor) {
      if (value.isSymbolic) throw new TypeError(`${what} must be an eager tensor, not a symbolic one`);
      if (value.rank === 0) throw new RangeError(`${what} must have a samples dimension; got a scalar`);
      const source = value.dataSync();
      const dtype = targetDType ?? defaultDType(value.dtype);
      return new HostArray(convertArray(source as TypedArray, dtype), value.shape as number[], dtype);
    }
    if (isShapedArray(value)) {
      const size = value.shape.reduce((p, d) => p * d, 1);
      if (value.data.length !== size) throw new RangeError(`${what}: a TypedArray of ${value.data.length} values cannot have shape ${formatShape([...value.shape])}`);
      const source = value.dtype ?? typedDType(value.data);
      if (source !== typedDType(value.data)) throw new TypeError(`${what}: ${source} data in a ${value.data.constructor.name} is not supported; pass a tensor`);
      const dtype = targetDType ?? defaultDType(source);
      return new HostArray(convertArray(value.data, dtype), [...value.shape], dtype);
    }
    if (isTypedArray(value)) {
      const dtype = targetDType ?? defaultDType(typedDType(value));
      return new HostArray(convertArray(value, dtype), [value.length], dtype);
    }
    if (!Array.isArray(value)) throw new TypeError(`${what} must be a tensor, an array, or a TypedArray; got ${typeof value}`);
    if (value.length === 0) throw new RangeError(`${what} is empty`);
    const shape = inferShape(value);
    const dtype = targetDType ?? 'float32';
    const ArrayClass = typedArrayFor(dtype);
    if (ArrayClass === undefined) throw new TypeError(`Cannot feed ${dtype} data to a model`);
    const out = new ArrayClass(shape.reduce((p, d) => p * d, 1));
    const filled = fillNested(value, out, 0);
    if (filled !== out.length) throw new RangeError(`${what} is a ragged nested array; expected shape ${formatShape(shape)}`);
    return new HostArray(out, shape, dtype);
  }

  get samples(): number {
    return this.shape[0];
  }

  /** Values per sample. */
  get rowSize(): number {
    return this.shape.slice(1).reduce((p, d) => p * d, 1);
  }

  /** The per-sample shape with a null batch dim, as a model sees it. */
  get batchShape(): Shape {
    return [null, ...this.shape.slice(1)];
  }

  /** Samples [start, end) without copying. */
  slice(start: number, end: number): HostArray {
    const row = this.rowSize;
    return new HostArray(this.data.subarray(start * row, end * row), [end - start, ...this.shape.slice(1)], this.dtype);
  }

  /** Samples [start, end) — or order[start..end) — as one new eager tensor. */
  batch(start: number, end: number, order?: Uint32Array): Tensor {
    const row = this.rowSize;
    const rows = end - start;
    let values: TypedArray;
    if (order === undefined) {
      values = this.data.subarray(start * row, end * row);
    } else {
      this.scratch ??= new (typedArrayFor(this.dtype) as new (n: number) => TypedArray)(rows * row);
      if (this.scratch.length < rows * row) this.scratch = new (typedArrayFor(this.dtype) as new (n: number) => TypedArray)(rows * row);
      const scratch = this.scratch as Float32Array;
      const data = this.data as Float32Array;
      for (let i = 0; i < rows; ++i) {
        const from = order[start + i] * row;
        if (row === 1) scratch[i] = data[from];
        else scratch.set(data.subarray(from, from + row), i * row);
      }
      values = this.scratch.subarray(0, rows * row);
    }
    return Tensor.fromNative(hostTensor(values, [rows, ...this.shape.slice(1)], this.dtype));
  }
}

function typedDType(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof BigInt64Array) return 'int64';
  if (array instanceof Uint8Array) return 'uint8';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof Uint16Array) return 'uint16';
  if (array instanceof Uint32Array) return 'uint32';
  return 'uint64';
}

/** Keras' floatx for floats and booleans; integer targets keep their dtype. */
function defaultDType(dtype: DType): DType {
  return isFloating(dtype) || dtype === 'bool' ? 'float32' : dtype;
}

/** Keras' "Data cardinality is ambiguous" check. */
export function checkSameSamples(x: HostArray, y: HostArray | undefined): void {
  if (y !== undefined && x.samples !== y.samples) {
    throw new RangeError(`Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: ${x.samples}\n'y' sizes: ${y.samples}\n`);
  }
}

/** Keras' train_validation_split: the last `validationSplit` of the samples, before any shuffling. */
export function splitForValidation(x: HostArray, y: HostArray | undefined, validationSplit: number): [[HostArray, HostArray | undefined], [HostArray, HostArray | undefined]] {
  if (!(validationSplit > 0 && validationSplit < 1)) {
    throw new RangeError(`\`validationSplit\` must be a number in (0, 1). Received: validationSplit=${String(validationSplit)}`);
  }
  const n = x.samples;
  const splitAt = Math.floor(n * (1.0 - validationSplit));
  if (splitAt === 0 || splitAt === n) {
    throw new RangeError(
      `Training data contains ${n} samples, which is not sufficient to split it into a validation and training set as specified by ` +
        `\`validation_split=${pythonFloatRepr(validationSplit)}\`. Either provide more data, or a different value for the \`validation_split\` argument.`,
    );
  }
  return [
    [x.slice(0, splitAt), y?.slice(0, splitAt)],
    [x.slice(splitAt, n), y?.slice(splitAt, n)],
  ];
}

/** One epoch's batches: sync for host arrays, async for datasets. */
export interface DataSource {
  /** Batches per epoch, when known. */
  readonly steps: number | null;
  batches(shuffle: boolean): Iterator<Batch> | AsyncIterator<Batch>;
}

export class ArraySource implements DataSource {
  readonly steps: number;
  private order?: Uint32Array;

  constructor(
    readonly x: HostArray,
    readonly y: HostArray | undefined,
    readonly batchSize: number,
  ) {
    this.steps = Math.ceil(x.samples / batchSize);
  }

  *batches(shuffle: boolean): Iterator<Batch> {
    const n = this.x.samples;
    let order: Uint32Array | undefined;
    if (shuffle) {
      order = this.order ??= Uint32Array.from({ length: n }, (_, i) => i);
      // Fisher–Yates, a new permutation every epoch.
      for (let i = n - 1; i > 0; --i) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    for (let start = 0; start < n; start += this.batchSize) {
      const end = Math.min(n, start + this.batchSize);
      const x = this.x.batch(start, end, order);
      const y = this.y?.batch(start, end, order);
      yield ownedBatch(x, y, y === undefined ? [x] : [x, y]);
    }
  }
}

/** Batches from a dataset, converted to tensors of the dtypes the model takes. */
export class DatasetSource implements DataSource {
  steps: number | null;

  constructor(
    private readonly dataset: BatchDataset,
    private readonly xDType: DType,
  ) {
    // tf.data.Dataset knows its cardinality (negative: infinite or unknown).
    const cardinality = (dataset as { cardinality?: () => number }).cardinality?.();
    this.steps = cardinality !== undefined && cardinality >= 0 ? cardinality : null;
  }

  async *batches(): AsyncIterator<Batch> {
    let count = 0;
    for await (const element of this.dataset as AsyncIterable<readonly [ArrayData, ArrayData?] | Tensor>) {
      // A bare tensor is x alone (what predict needs).
      const [x, y] = element instanceof Tensor ? [element] : (element as readonly [ArrayData, ArrayData?]);
      if (x === undefined) throw new TypeError('A dataset passed to fit/evaluate/predict must yield [x, y] batches (or x alone, for predict)');
      const xs = toBatchTensor(x, 'x', this.xDType);
      const ys = y === undefined ? undefined : toBatchTensor(y, 'y');
      yield ownedBatch(xs, ys, [xs, ys].filter((t): t is Tensor => t !== undefined && t !== x && t !== y));
      ++count;
    }
    // Known once one epoch went through (Keras learns the cardinality the same way).
    this.steps = count;
  }
}

function toBatchTensor(value: ArrayData, what: string, dtype?: DType): Tensor {
  if (value instanceof Tensor) {
    const target = dtype ?? defaultDType(value.dtype);
    return value.dtype === target ? value : cast(value, target);
  }
  const host = HostArray.from(value, what, dtype);
  return host.batch(0, host.samples);
}
