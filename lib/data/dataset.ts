// tf.data.Dataset on the host: elements stay in host arrays (a slice is a row index, not a copy)
// until they are handed out, and a batch is one buffer filled from the rows, so batching a large
// array makes one tensor per batch rather than one per element.
import { DType, TypedArray, enumToDType, isTypedArray, typedArrayFor } from '../dtypes';
import {
  FlatData,
  HostArray,
  HostArrayLike,
  HostValue,
  NestedArray,
  flatten,
  inferDType,
  inferShape,
  isHostArrayLike,
  isPlainObject,
  scratchBuffer,
} from '../host_data';
import { HostScalar, hostTensor, readNested } from '../raw/host_tensor';
import { InvalidArgumentError, UnimplementedError } from '../errors';
import { Tensor } from '../tensor';
import { Shuffler } from './shuffle';

/** Python's tf.data.INFINITE_CARDINALITY and UNKNOWN_CARDINALITY. */
export const INFINITE_CARDINALITY = -1;
export const UNKNOWN_CARDINALITY = -2;
/** Python's tf.data.AUTOTUNE, for porting `prefetch(AUTOTUNE)` and `numParallelCalls`. */
export const AUTOTUNE = -1;

type Scalar = number | boolean | string | bigint;
/** Nested JS arrays of scalars: one tensor-like component (as a Python list is), not a tuple. */
type NestedScalars = Scalar | readonly NestedScalars[];

/** What fromTensorSlices takes: components, or arrays (tuples) and objects (dicts) of them. */
export type SliceInput =
  | Tensor
  | TypedArray
  | HostArrayLike
  | NestedScalars
  | readonly SliceInput[]
  | { readonly [key: string]: SliceInput };

/** What a map function may return: tensors or host values, in tuples and dicts. */
export type MapOutput = SliceInput;

/** An element as iteration hands it out: tensors in tuples (arrays) and dicts (objects). */
export type Element = Tensor | readonly Element[] | { readonly [key: string]: Element };

/** The element type made from an input structure: each component becomes a Tensor. */
export type Structured<S> = S extends Tensor | TypedArray | HostArrayLike | NestedScalars
  ? Tensor
  : { -readonly [K in keyof S]: Structured<S[K]> };

/** The element type `asNumpyIterator` yields: nested arrays in place of tensors. */
export type NumpyElement<T> = T extends Tensor ? NestedArray<HostScalar> : { -readonly [K in keyof T]: NumpyElement<T[K]> };

/** A tuple element is spread into the function's arguments, as Python's map does. */
type ElementArgs<T> = T extends readonly unknown[] ? T : [T];

/** One element's value of a component: a row of the component's host array, copied only when used. */
class Row {
  constructor(
    readonly array: HostArray,
    readonly index: number,
  ) {}

  toNative() {
    return hostTensor(this.array.rows(this.index), this.array.rowShape, this.array.dtype);
  }
}

/**
 * A host value a map function returned; it becomes a tensor when handed out or batched. JS numbers
 * become float32 whatever their value (0 and 0.5 alike), so an element's dtype never depends on its
 * data; integers come from bigints (int64), TypedArrays or tensors.
 */
class PlainValue {
  constructor(readonly value: HostValue) {}

  get dtype(): DType {
    const inferred = inferDType(this.value);
    return inferred === 'int32' && !isTypedArray(this.value) ? 'float32' : inferred;
  }

  toNative() {
    return hostTensor(this.value, undefined, this.dtype);
  }
}

type Leaf = Row | Tensor | PlainValue;
/** An element inside the pipeline: leaves in arrays (tuples) and objects (dicts). */
type Nest = Leaf | readonly Nest[] | { readonly [key: string]: Nest };

function isScalar(value: unknown): value is Scalar {
  return ['number', 'boolean', 'string', 'bigint'].includes(typeof value);
}

function isNestedScalars(value: unknown): value is NestedScalars {
  return isScalar(value) || (Array.isArray(value) && value.every(isNestedScalars));
}

function isLeaf(nest: Nest): nest is Leaf {
  return nest instanceof Row || nest instanceof Tensor || nest instanceof PlainValue;
}

function mapNest<R>(nest: Nest, f: (leaf: Leaf) => R): NestedStructure<R> {
  if (isLeaf(nest)) return f(nest);
  if (Array.isArray(nest)) return (nest as readonly Nest[]).map((n) => mapNest(n, f));
  return Object.fromEntries(Object.entries(nest).map(([k, n]) => [k, mapNest(n, f)]));
}

type NestedStructure<R> = R | NestedStructure<R>[] | { [key: string]: NestedStructure<R> };

function describe(path: string): string {
  return path === '' ? 'the element' : `component ${path}`;
}

function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The host values of one fromTensorSlices component: its slices are the array's rows. */
function hostArrayOf(value: Tensor | TypedArray | HostArrayLike | NestedScalars, path: string): HostArray {
  let array: HostArray;
  if (value instanceof Tensor) {
    if (value.isSymbolic) throw new TypeError(`fromTensorSlices needs eager tensors; ${describe(path)} is symbolic`);
    const native = value.toNative();
    try {
      array = new HostArray(native.data() as FlatData, native.shape, value.dtype);
    } finally {
      native.dispose();
    }
  } else if (isHostArrayLike(value)) {
    array = HostArray.from(value, describe(path));
  } else {
    const dtype = inferDType(value);
    const shape = inferShape(value, dtype);
    array = new HostArray(flatten(value, shape, dtype), shape, dtype);
  }
  if (array.shape.length === 0) throw new RangeError(`fromTensorSlices needs components of rank >= 1; ${describe(path)} is a scalar`);
  return array;
}

/** A map function's result as a pipeline element. */
function toNest(value: unknown, path: string): Nest {
  if (value instanceof Tensor) {
    if (value.isSymbolic) throw new TypeError(`Dataset.map must return eager tensors; ${describe(path)} is symbolic`);
    return value;
  }
  if (isTypedArray(value) || isNestedScalars(value)) return new PlainValue(value);
  if (isHostArrayLike(value)) return Tensor.fromNative(hostTensor(value.data, value.shape, value.dtype));
  if (Array.isArray(value)) return value.map((v, i) => toNest(v, `${path}[${i}]`));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toNest(v, `${path}.${k}`)]));
  throw new TypeError(`Dataset.map returned an unsupported value for ${describe(path)}: ${String(value)}`);
}

function leafTensor(leaf: Leaf): Tensor {
  if (leaf instanceof Tensor) return leaf;
  return Tensor.fromNative(leaf.toNative());
}

function leafNumpy(leaf: Leaf): NestedArray<HostScalar> {
  if (leaf instanceof Tensor) return leaf.numpy();
  const native = leaf.toNative();
  try {
    return readNested(native);
  } finally {
    native.dispose();
  }
}

/** A leaf as a row of host values (a tensor's or plain value's data copied out once). */
function leafRow(leaf: Leaf): Row {
  if (leaf instanceof Row) return leaf;
  const native = leaf.toNative();
  try {
    return new Row(new HostArray(native.data() as FlatData, [1, ...native.shape], enumToDType(native.dtype)), 0);
  } finally {
    native.dispose();
  }
}

/** Reusable host buffers for gathering batches, one per component path (the tensor copies them). */
type StagingBuffers = Map<string, TypedArray>;

function stagingBuffer(buffers: StagingBuffers, path: string, dtype: DType, length: number): TypedArray {
  const buffer = scratchBuffer(buffers.get(path), dtype, length);
  buffers.set(path, buffer);
  return buffer.subarray(0, length);
}

/**
 * Stacks one component of a batch into a tensor with a leading batch dimension: consecutive rows
 * of one host array are passed as a view, others gathered into a reused staging buffer.
 */
function stackLeaves(leaves: Leaf[], path: string, buffers: StagingBuffers): Tensor {
  if (leaves.every((l) => l instanceof PlainValue)) {
    const values = leaves.map((l) => (l as PlainValue).value);
    return Tensor.fromNative(hostTensor(values, undefined, (leaves[0] as PlainValue).dtype));
  }
  const rows = leaves.map(leafRow);
  const { dtype, rowShape: shape, rowSize } = rows[0].array;
  rows.forEach((row, i) => {
    const { dtype: rowDType, rowShape } = row.array;
    if (rowDType !== dtype || rowShape.length !== shape.length || rowShape.some((d, j) => d !== shape[j])) {
      throw new TypeError(
        `Cannot batch elements with different dtypes or shapes in ${describe(path)}: element 0 is ${dtype} ${shapeString(shape)}, ` +
          `element ${i} is ${rowDType} ${shapeString(rowShape)}`,
      );
    }
  });
  const batchShape = [rows.length, ...shape];
  const first = rows[0];
  if (rows.every((row, i) => row.array === first.array && row.index === first.index + i)) {
    return Tensor.fromNative(hostTensor(first.array.rows(first.index, rows.length), batchShape, dtype));
  }
  if (typedArrayFor(dtype) === undefined) {
    const strings = rows.flatMap((row) => row.array.rows(row.index) as (string | Uint8Array)[]);
    return Tensor.fromNative(hostTensor(strings, batchShape, dtype));
  }
  const out = stagingBuffer(buffers, path, dtype, rows.length * rowSize) as Float32Array;
  rows.forEach((row, i) => out.set(row.array.rows(row.index) as Float32Array, i * rowSize));
  return Tensor.fromNative(hostTensor(out, batchShape, dtype));
}

function stackNests(elements: Nest[], buffers: StagingBuffers, path = ''): Nest {
  const first = elements[0];
  const mismatch = (): never => {
    throw new TypeError(`Cannot batch elements of different structures at ${describe(path)}`);
  };
  if (isLeaf(first))
    return stackLeaves(
      elements.map((e) => (isLeaf(e) ? e : mismatch())),
      path,
      buffers,
    );
  if (Array.isArray(first)) {
    const length = first.length;
    return first.map((_: Nest, i: number) =>
      stackNests(
        elements.map((e) => (Array.isArray(e) && e.length === length ? (e as readonly Nest[])[i] : mismatch())),
        buffers,
        `${path}[${i}]`,
      ),
    );
  }
  const keys = Object.keys(first);
  const dicts = elements.map((e) => {
    if (isLeaf(e) || Array.isArray(e) || Object.keys(e).length !== keys.length) return mismatch();
    return e as { readonly [key: string]: Nest };
  });
  return Object.fromEntries(
    keys.map((k) => [
      k,
      stackNests(
        dicts.map((d) => (k in d ? d[k] : mismatch())),
        buffers,
        `${path}.${k}`,
      ),
    ]),
  );
}

function checkCount(value: number, what: string, { min }: { min: number }): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer >= ${min}, got ${String(value)}`);
  }
}

export interface BatchOptions {
  /** Drop a last batch smaller than batchSize (it keeps the batch dimension static). */
  dropRemainder?: boolean;
}

export interface ShuffleOptions {
  /** Fixes the order: the same seed gives the same sequence of epochs. Omitted: drawn from the global seed. */
  seed?: number;
  /** A new order on every iteration (epoch); false repeats the first order. */
  reshuffleEachIteration?: boolean;
}

export interface MapOptions {
  /** Accepted for porting; the host runs the function on one element at a time, in order. */
  numParallelCalls?: number;
}

/**
 * Python's tf.data.Dataset, run on the host. Datasets are immutable descriptions: each transformation
 * returns a new dataset and each iteration starts from the beginning.
 */
export class Dataset<T = Element> {
  private constructor(
    private readonly elements: () => Iterable<Nest>,
    private readonly count: number,
  ) {}

  /**
   * Slices `components` along their first dimension. Components are tf.Tensors, TypedArrays (1-D),
   * `{ data, shape }` HostArrayLikes or nested arrays of scalars; an array holding tensors, TypedArrays,
   * HostArrayLikes or objects is a tuple, and a plain object is a dict.
   */
  static fromTensorSlices<const S extends SliceInput>(components: S): Dataset<Structured<S>> {
    const counts: [string, number][] = [];
    const columns = buildColumns(components, '', counts);
    if (counts.length === 0) throw new TypeError('fromTensorSlices needs at least one component');
    const [firstPath, count] = counts[0];
    for (const [path, n] of counts) {
      if (n !== count) {
        throw new RangeError(
          `fromTensorSlices needs components with the same first dimension: ${describe(firstPath)} has ${count}, ${describe(path)} has ${n}`,
        );
      }
    }
    return new Dataset(function* () {
      for (let i = 0; i < count; ++i) yield mapNest(columns, (leaf) => new Row((leaf as Row).array, i)) as Nest;
    }, count);
  }

  /** Python's Dataset.range(stop) / range(start, stop, step): int64 scalars. */
  static range(startOrStop: number, stop?: number, step = 1): Dataset<Tensor> {
    const [start, end] = stop === undefined ? [0, startOrStop] : [startOrStop, stop];
    for (const [value, what] of [
      [start, 'start'],
      [end, 'stop'],
      [step, 'step'],
    ] as const) {
      if (!Number.isSafeInteger(value)) throw new RangeError(`Dataset.range: ${what} must be an integer, got ${String(value)}`);
    }
    if (step === 0) throw new RangeError('Dataset.range: step must not be 0');
    const count = Math.max(0, Math.ceil((end - start) / step));
    return new Dataset(function* () {
      for (let i = 0; i < count; ++i) yield new Row(new HostArray(BigInt64Array.of(BigInt(start + i * step)), [1], 'int64'), 0);
    }, count);
  }

  /** The number of elements, or INFINITE_CARDINALITY (-1) / UNKNOWN_CARDINALITY (-2), as TF reports it. */
  cardinality(): number {
    return this.count;
  }

  /** Stacks consecutive elements into batches of `batchSize` along a new first dimension. */
  batch(batchSize: number, { dropRemainder = false }: BatchOptions = {}): Dataset<T> {
    checkCount(batchSize, 'batchSize', { min: 1 });
    const source = this.elements;
    const n = this.count;
    const count = n < 0 ? n : dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
    return new Dataset(function* () {
      const buffers: StagingBuffers = new Map();
      let pending: Nest[] = [];
      for (const element of source()) {
        pending.push(element);
        if (pending.length === batchSize) {
          yield stackNests(pending, buffers);
          pending = [];
        }
      }
      if (pending.length > 0 && !dropRemainder) yield stackNests(pending, buffers);
    }, count);
  }

  /**
   * TF's buffered shuffle: fills a buffer of `bufferSize` elements and hands out a random one,
   * replacing it with the next input. A buffer at least as large as the dataset is a full shuffle.
   * Without a seed, the seed comes from the global one (tf.random.setSeed), as in TF.
   */
  shuffle(bufferSize: number, { seed, reshuffleEachIteration = true }: ShuffleOptions = {}): Dataset<T> {
    checkCount(bufferSize, 'bufferSize', { min: 1 });
    const shuffler = new Shuffler(seed, reshuffleEachIteration);
    const source = this.elements;
    return new Dataset(() => shuffler.shuffle(source(), bufferSize), this.count);
  }

  /** Repeats the dataset `count` times; forever when count is omitted or -1. */
  repeat(count = -1): Dataset<T> {
    checkCount(count, 'count', { min: -1 });
    const source = this.elements;
    const n = this.count;
    const cardinality = count === -1 ? (n === 0 ? 0 : INFINITE_CARDINALITY) : count === 0 ? 0 : n < 0 ? n : n * count;
    return new Dataset(function* () {
      for (let epoch = 0; count === -1 || epoch < count; ++epoch) {
        let empty = true;
        for (const element of source()) {
          empty = false;
          yield element;
        }
        // An empty epoch would make `repeat()` spin forever; TF ends there too.
        if (empty) return;
      }
    }, cardinality);
  }

  /**
   * Applies `fn` on the host to each element (a tuple is spread into arguments, as in Python).
   * It gets tensors and may return tensors or host values (numbers, nested arrays, TypedArrays) in
   * tuples and dicts; host values become tensors when handed out or batched, JS numbers as float32.
   */
  map<U extends MapOutput>(fn: (...args: ElementArgs<T>) => U, options: MapOptions = {}): Dataset<Structured<U>> {
    if (options.numParallelCalls !== undefined) checkCount(options.numParallelCalls, 'numParallelCalls', { min: -1 });
    const source = this.elements;
    const call = fn as unknown as (...args: unknown[]) => unknown;
    return new Dataset(function* () {
      for (const element of source()) yield toNest(call(...argsOf(element)), '');
    }, this.count);
  }

  /** Keeps the elements for which `predicate` is true (a boolean or a scalar bool tensor). */
  filter(predicate: (...args: ElementArgs<T>) => boolean | Tensor): Dataset<T> {
    const source = this.elements;
    const call = predicate as unknown as (...args: unknown[]) => boolean | Tensor;
    return new Dataset(
      function* () {
        for (const element of source()) {
          const keep = call(...argsOf(element));
          if (keep instanceof Tensor ? keep.dataSync()[0] === true : keep) yield element;
        }
      },
      this.count === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY,
    );
  }

  /** The first `count` elements (all of them for -1). */
  take(count: number): Dataset<T> {
    checkCount(count, 'count', { min: -1 });
    const source = this.elements;
    const n = this.count;
    const cardinality = n === UNKNOWN_CARDINALITY ? n : count === -1 ? n : n === INFINITE_CARDINALITY ? count : Math.min(n, count);
    return new Dataset(function* () {
      if (count === 0) return;
      let taken = 0;
      for (const element of source()) {
        yield element;
        if (++taken === count) return;
      }
    }, cardinality);
  }

  /** Python's shard(num_shards, index): every `numShards`-th element, from the `index`-th (one worker's part). */
  shard(numShards: number, index: number): Dataset<T> {
    if (!Number.isInteger(numShards) || numShards <= 0) {
      throw new InvalidArgumentError(`Number of shards must be greater than zero (currently num_shards = ${numShards}).`);
    }
    if (!Number.isInteger(index) || index < 0 || index >= numShards) {
      throw new InvalidArgumentError(`Index must be between 0 and ${numShards - 1} (currently index = ${index}).`);
    }
    const source = this.elements;
    const n = this.count;
    const cardinality = n < 0 ? n : Math.floor(n / numShards) + (index < n % numShards ? 1 : 0);
    return new Dataset(function* () {
      let i = 0;
      for (const element of source()) if (i++ % numShards === index) yield element;
    }, cardinality);
  }

  /** All but the first `count` elements (none for -1). */
  skip(count: number): Dataset<T> {
    checkCount(count, 'count', { min: -1 });
    const source = this.elements;
    const n = this.count;
    const cardinality = n < 0 ? n : count === -1 ? 0 : Math.max(0, n - count);
    return new Dataset(function* () {
      if (count === -1) return;
      let skipped = 0;
      for (const element of source()) {
        if (skipped < count) ++skipped;
        else yield element;
      }
    }, cardinality);
  }

  /**
   * Accepted for porting (`prefetch(AUTOTUNE)`): elements are produced on demand on the calling
   * thread, so there is nothing to overlap and the dataset is returned unchanged.
   */
  prefetch(bufferSize: number): Dataset<T> {
    checkCount(bufferSize, 'bufferSize', { min: -1 });
    return this;
  }

  /**
   * Python's `Dataset.cache()`: the first complete pass keeps its elements in memory and later passes
   * hand those out, without running what comes before (maps, shuffles) again. A pass stopped early
   * caches nothing, as TF discards a partial in-memory cache. TF's on-disk cache (a filename) is not
   * supported: UnimplementedError. Tensors handed out from the cache are the same objects each pass,
   * so they must not be disposed.
   */
  cache(filename = ''): Dataset<T> {
    if (typeof filename !== 'string') throw new TypeError(`Dataset.cache: filename must be a string, got ${typeof filename}`);
    if (filename !== '') {
      throw new UnimplementedError(
        `Dataset.cache('${filename}'): caching to a file is not supported; call cache() without a filename to cache in memory`,
      );
    }
    const source = this.elements;
    let cached: readonly Nest[] | undefined;
    return new Dataset(function* () {
      if (cached !== undefined) {
        yield* cached;
        return;
      }
      const filling: Nest[] = [];
      for (const element of source()) {
        filling.push(element);
        yield element;
      }
      cached ??= filling;
    }, this.count);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const element of this.elements()) yield mapNest(element, leafTensor) as T;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const element of this) yield element;
  }

  /** Python's as_numpy_iterator(): elements with nested arrays in place of tensors. */
  *asNumpyIterator(): IterableIterator<NumpyElement<T>> {
    for (const element of this.elements()) yield mapNest(element, leafNumpy) as NumpyElement<T>;
  }

  /** Every element as nested arrays, i.e. `list(ds.as_numpy_iterator())`. */
  asArray(): NumpyElement<T>[] {
    if (this.count === INFINITE_CARDINALITY) throw new RangeError('asArray() on an infinite dataset; take(n) first');
    return [...this.asNumpyIterator()];
  }
}

/** The arguments a map or filter function gets for an element. */
function argsOf(element: Nest): unknown[] {
  const user = mapNest(element, leafTensor);
  return Array.isArray(user) ? user : [user];
}

/** The input structure with each component replaced by a Row of its host array (index filled per element). */
function buildColumns(value: SliceInput, path: string, counts: [string, number][]): Nest {
  if (value instanceof Tensor || isTypedArray(value) || isHostArrayLike(value) || isNestedScalars(value)) {
    const array = hostArrayOf(value, path);
    counts.push([path, array.length]);
    return new Row(array, 0);
  }
  if (Array.isArray(value)) return (value as readonly SliceInput[]).map((v, i) => buildColumns(v, `${path}[${i}]`, counts));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, buildColumns(v as SliceInput, `${path}.${k}`, counts)]));
  }
  throw new TypeError(`fromTensorSlices cannot slice ${describe(path)}: ${String(value)}`);
}
