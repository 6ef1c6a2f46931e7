// What fit/evaluate/predict accept as data, turned into batches of eager tensors: host data is
// converted once into a HostArray (tf.data's row store), and each batch is one copy of its rows
// (gathered through a reused scratch buffer when shuffled) into a new tensor; datasets are iterated
// as they are.
import { INFINITE_CARDINALITY } from '../../data/dataset';
import { Shuffler } from '../../data/shuffle';
import { DType, dtypeOfTypedArray, isFloating, isTypedArray, TypedArray, typedArrayFor } from '../../dtypes';
import { flatten, HostArray, HostArrayLike, HostValue, inferDType, inferShape, isHostArrayLike, scratchBuffer } from '../../host_data';
import { formatShape } from '../../ops/convert';
import { slice } from '../../ops/array';
import { cast } from '../../ops/math';
import { hostTensor } from '../../raw/host_tensor';
import { Tensor } from '../../tensor';
import { pythonFloatRepr } from '../callbacks/python_float_repr';
import { flattenData, IOStructure } from '../models/io_structure';
import { isPlainObject } from '../utils/argument_validation';

/** Samples as a tensor, nested arrays, a flat TypedArray (1-D) or a TypedArray with a shape. */
export type ArrayData = Tensor | HostValue | HostArrayLike;

/** Data for a model: one array, or for several inputs (outputs) a list or a dict by name of them. */
export type ModelData = ArrayData | readonly ArrayData[] | { readonly [name: string]: ArrayData };

/**
 * One element of a dataset: [x, y], [x, y, sampleWeight], or x alone (to predict); x, y (and the
 * sample weights, by output) lists or dicts for several inputs or outputs.
 */
export type DatasetElement = readonly [ModelData, ModelData?, ModelData?] | Tensor;

/** Anything iterable (sync or async) of [x, y] or [x, y, sampleWeight] batches (or x batches, to predict), such as a tf.data.Dataset. */
export type BatchDataset = Iterable<DatasetElement> | AsyncIterable<DatasetElement>;

/** Keras' class_weight: {classIndex: weight}; classes not listed weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

export interface Batch {
  /** The first input (the only one of most models). */
  x: Tensor;
  y?: Tensor;
  /** Every input, in the model's flat order (absent: `x` alone). */
  xs?: Tensor[];
  /** Every target, in the model's flat output order. */
  ys?: Tensor[];
  sampleWeight?: Tensor;
  /** One sample-weight tensor per output (a model with several outputs given weights by output). */
  sampleWeights?: Tensor[];
  /** Frees the tensors made for this batch (not ones a dataset handed over). */
  dispose(): void;
}

function ownedBatch(xs: Tensor[], ys: Tensor[] | undefined, sampleWeight: Tensor | undefined, owned: readonly Tensor[]): Batch {
  return { x: xs[0], y: ys?.[0], xs, ys, sampleWeight, dispose: () => owned.forEach((t) => t.dispose()) };
}

/** How a model's data is laid out: its inputs' and outputs' structures and the inputs' dtypes. */
export interface DataLayout {
  inputs: IOStructure;
  outputs: IOStructure;
  inputDTypes: readonly DType[];
}

/** A layout of one input and one output. */
export function singleLayout(dtype: DType): DataLayout {
  const single: IOStructure = { kind: 'single', keys: [], names: [''] };
  return { inputs: single, outputs: single, inputDTypes: [dtype] };
}

/** x (or y) in the layout's flat order, each a HostArray of the dtype the model takes. */
export function toHostArrays(value: unknown, structure: IOStructure, what: string, dtypes?: readonly DType[]): HostArray[] {
  const flat = flattenData<ArrayData>(value, structure, what, Array.isArray);
  const label = (i: number) => (flat.length === 1 ? what : `${what}[${structure.kind === 'dict' ? `'${structure.keys[i]}'` : i}]`);
  return flat.map((v, i) => toHostArray(v, label(i), dtypes?.[i]));
}

export function isDataset(value: unknown): value is BatchDataset {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isTypedArray(value) || value instanceof Tensor) return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** Keras' cast of host data: `data` in `dtype`'s TypedArray (as it is when it is one already). */
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
 * Samples as a HostArray of the dtype a model needs (`targetDType`, its input dtype for x); without
 * one, floats become float32 (Keras' floatx), booleans float32, integers stay as they are.
 */
export function toHostArray(value: ArrayData, what: string, targetDType?: DType): HostArray {
  if (value instanceof Tensor) {
    if (value.isSymbolic) throw new TypeError(`${what} must be an eager tensor, not a symbolic one`);
    if (value.rank === 0) throw new RangeError(`${what} must have a samples dimension; got a scalar`);
    checkNumeric(value, what);
    const dtype = targetDType ?? defaultDType(value.dtype);
    return new HostArray(convertArray(value.dataSync() as TypedArray, dtype), value.shape as number[], dtype);
  }
  if (isHostArrayLike(value)) {
    if (value.dtype !== undefined && value.dtype !== dtypeOfTypedArray(value.data)) {
      throw new TypeError(`${what}: ${value.dtype} data in a ${value.data.constructor.name} is not supported; pass a tensor`);
    }
    const source = HostArray.from(value, what);
    const dtype = targetDType ?? defaultDType(source.dtype);
    return new HostArray(convertArray(source.data as TypedArray, dtype), source.shape, dtype);
  }
  if (isTypedArray(value)) {
    const dtype = targetDType ?? defaultDType(dtypeOfTypedArray(value));
    return new HostArray(convertArray(value, dtype), [value.length], dtype);
  }
  if (!Array.isArray(value)) throw new TypeError(`${what} must be a tensor, an array, or a TypedArray; got ${typeof value}`);
  if (value.length === 0) throw new RangeError(`${what} is empty`);
  const dtype = targetDType ?? 'float32';
  // Booleans are read as bool, then cast like a bool tensor; numbers go straight to the dtype.
  const read = inferDType(value) === 'bool' ? 'bool' : dtype;
  const shape = inferShape(value, read);
  let flat: ReturnType<typeof flatten>;
  try {
    flat = flatten(value, shape, read);
  } catch (e) {
    // With the shape taken from the data, a count that does not fit is a ragged array.
    if (e instanceof RangeError) throw new RangeError(`${what} is a ragged nested array; expected shape ${formatShape(shape)}`);
    if (e instanceof TypeError) throw new TypeError(`${what}: ${e.message}`);
    throw e;
  }
  return new HostArray(convertArray(flat as TypedArray, dtype), shape, dtype);
}

/** Models take numbers and booleans: a string (or handle) tensor would become NaN and train silently. */
function checkNumeric(tensor: Tensor, what: string): void {
  if (tensor.dtype === 'string' || tensor.dtype === 'resource' || tensor.dtype === 'variant') {
    throw new TypeError(`${what} must hold numbers or booleans; got a ${tensor.dtype} tensor`);
  }
}

/** Keras' floatx for floats and booleans; integer targets keep their dtype. */
function defaultDType(dtype: DType): DType {
  return isFloating(dtype) || dtype === 'bool' ? 'float32' : dtype;
}

/** Keras' "Data cardinality is ambiguous" check. */
export function checkSameSamples(x: HostArray | HostArray[], y: HostArray | HostArray[] | undefined): void {
  const xs = Array.isArray(x) ? x : [x];
  const ys = y === undefined ? [] : Array.isArray(y) ? y : [y];
  const sizes = [...xs, ...ys].map((a) => a.length);
  if (sizes.some((n) => n !== sizes[0])) {
    const list = (arrays: HostArray[]) => arrays.map((a) => a.length).join(', ');
    throw new RangeError(
      `Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: ${list(xs)}\n'y' sizes: ${list(ys)}\n`,
    );
  }
}

/** Keras' train_validation_split: the last `validationSplit` of the samples, before any shuffling. */
export function splitForValidation(
  x: HostArray,
  y: HostArray | undefined,
  validationSplit: number,
): [[HostArray, HostArray | undefined], [HostArray, HostArray | undefined]] {
  if (!(validationSplit > 0 && validationSplit < 1)) {
    throw new RangeError(`\`validationSplit\` must be a number in (0, 1). Received: validationSplit=${String(validationSplit)}`);
  }
  const n = x.length;
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

/** The most data whose unshuffled batches fit keeps as tensors from one epoch to the next. */
export const KEPT_BATCHES_MAX_BYTES = 64 << 20;

export class ArraySource implements DataSource {
  readonly steps: number;
  /** Every input's samples (a model with several inputs has several). */
  readonly xs: HostArray[];
  readonly ys: HostArray[] | undefined;
  private shuffler?: Shuffler;
  private readonly scratch = new Map<HostArray, TypedArray>();
  /** Unshuffled batches kept as tensors for later epochs (keepBatches), by batch index. */
  private kept?: Batch[];
  private keptTensors: Tensor[] = [];

  constructor(
    x: HostArray | HostArray[],
    y: HostArray | HostArray[] | undefined,
    readonly batchSize: number,
    /** One weight per sample, or (a list) one such array per output. */
    readonly sampleWeight?: HostArray | HostArray[],
    /** Under a distribution strategy: this worker's part of each global batch. */
    readonly shard?: { index: number; count: number },
  ) {
    this.xs = Array.isArray(x) ? x : [x];
    this.ys = y === undefined ? undefined : Array.isArray(y) ? y : [y];
    this.steps = Math.ceil(this.xs[0].length / batchSize);
  }

  /** The first input's samples. */
  get x(): HostArray {
    return this.xs[0];
  }

  get y(): HostArray | undefined {
    return this.ys?.[0];
  }

  /** The same batches, each cut to this worker's part (Keras splits the global batch across replicas). */
  sharded(shard: { index: number; count: number }): ArraySource {
    return new ArraySource(this.xs, this.ys, this.batchSize, this.sampleWeight, shard);
  }

  /** The first `fraction` of the samples for training, the rest for validation (Keras' train_validation_split on every array). */
  split(validationSplit: number, validationBatchSize: number): [ArraySource, ArraySource] {
    const weights = this.sampleWeight === undefined ? [] : Array.isArray(this.sampleWeight) ? this.sampleWeight : [this.sampleWeight];
    const parts = [...this.xs, ...(this.ys ?? []), ...weights].map((a) =>
      splitForValidation(a, undefined, validationSplit).map(([t]) => t),
    );
    const nx = this.xs.length;
    const ny = this.ys?.length ?? 0;
    const make = (k: 0 | 1, batchSize: number) =>
      new ArraySource(
        parts.slice(0, nx).map((p) => p[k]),
        this.ys === undefined ? undefined : parts.slice(nx, nx + ny).map((p) => p[k]),
        batchSize,
        this.sampleWeight === undefined
          ? undefined
          : Array.isArray(this.sampleWeight)
            ? parts.slice(nx + ny).map((p) => p[k])
            : parts[nx + ny][k],
      );
    return [make(0, this.batchSize), make(1, validationBatchSize)];
  }

  /**
   * Keeps the batches of unshuffled epochs as tensors until dispose(), so later epochs (fit's
   * validation data, or training without shuffling) feed them again instead of copying every batch
   * into new tensors; only for numeric data of at most `maxBytes`. Returns whether it keeps them.
   */
  keepBatches(maxBytes = KEPT_BATCHES_MAX_BYTES): boolean {
    let bytes = 0;
    const weights = this.sampleWeight === undefined ? [] : Array.isArray(this.sampleWeight) ? this.sampleWeight : [this.sampleWeight];
    for (const array of [...this.xs, ...(this.ys ?? []), ...weights]) {
      if (!isTypedArray(array.data)) return false;
      bytes += array.data.byteLength;
    }
    if (bytes > maxBytes) return false;
    this.kept ??= [];
    return true;
  }

  /** Frees the kept batches (and stops keeping them). */
  dispose(): void {
    for (const t of this.keptTensors) t.dispose();
    this.keptTensors = [];
    this.kept = undefined;
  }

  *batches(shuffle: boolean): Iterator<Batch> {
    const n = this.x.length;
    // Seeded at the first shuffled epoch from the global seed (TF's unseeded tf.random.shuffle), so
    // fits after one tf.random.setSeed shuffle alike; a new order every epoch.
    const order = shuffle ? (this.shuffler ??= new Shuffler()).permutation(n) : undefined;
    const kept = shuffle ? undefined : this.kept;
    for (let globalStart = 0, index = 0; globalStart < n; globalStart += this.batchSize, ++index) {
      const previous = kept?.[index];
      if (previous !== undefined) {
        yield previous;
        continue;
      }
      const globalEnd = Math.min(n, globalStart + this.batchSize);
      let [start, end] = [globalStart, globalEnd];
      if (this.shard !== undefined) {
        const size = globalEnd - globalStart;
        start = globalStart + Math.floor((size * this.shard.index) / this.shard.count);
        end = globalStart + Math.floor((size * (this.shard.index + 1)) / this.shard.count);
      }
      const xs = this.xs.map((a) => this.batch(a, start, end, order));
      const ys = this.ys?.map((a) => this.batch(a, start, end, order));
      const perOutput = Array.isArray(this.sampleWeight) ? this.sampleWeight.map((a) => this.batch(a, start, end, order)) : undefined;
      const sw =
        this.sampleWeight !== undefined && !Array.isArray(this.sampleWeight) ? this.batch(this.sampleWeight, start, end, order) : undefined;
      const owned = [...xs, ...(ys ?? []), ...(sw ? [sw] : []), ...(perOutput ?? [])];
      if (kept !== undefined) {
        // Freed by dispose(), not after its step.
        const batch = ownedBatch(xs, ys, sw, []);
        if (perOutput !== undefined) batch.sampleWeights = perOutput;
        kept[index] = batch;
        this.keptTensors.push(...owned);
        yield batch;
        continue;
      }
      const batch = ownedBatch(xs, ys, sw, owned);
      if (perOutput !== undefined) batch.sampleWeights = perOutput;
      yield batch;
    }
  }

  /** Samples [start, end) — or order[start..end) — as one new eager tensor. */
  private batch(array: HostArray, start: number, end: number, order?: Uint32Array): Tensor {
    const shape = [end - start, ...array.rowShape];
    if (order === undefined) return Tensor.fromNative(hostTensor(array.rows(start, end - start), shape, array.dtype));
    const length = (end - start) * array.rowSize;
    const scratch = scratchBuffer(this.scratch.get(array), array.dtype, length);
    this.scratch.set(array, scratch);
    const values = scratch.subarray(0, length);
    array.gather(order, start, end, values);
    return Tensor.fromNative(hostTensor(values, shape, array.dtype));
  }
}

/** Batches from a dataset, converted to tensors of the dtypes the model takes. */
export class DatasetSource implements DataSource {
  steps: number | null;
  /** A dataset that repeats forever (tf.data's INFINITE_CARDINALITY): an epoch needs a step count. */
  readonly infinite: boolean;

  private readonly layout: DataLayout;

  constructor(
    private readonly dataset: BatchDataset,
    layout: DataLayout | DType,
    private readonly classWeight?: ClassWeight,
    /** Under a distribution strategy: this worker's part of each batch (tf.data's auto-shard by data). */
    private readonly shard?: { index: number; count: number },
  ) {
    this.layout = typeof layout === 'string' ? singleLayout(layout) : layout;
    // tf.data.Dataset knows its cardinality (negative: infinite or unknown).
    const cardinality = (dataset as { cardinality?: () => number }).cardinality?.();
    this.steps = cardinality !== undefined && cardinality >= 0 ? cardinality : null;
    this.infinite = cardinality === INFINITE_CARDINALITY;
  }

  async *batches(): AsyncIterator<Batch> {
    let count = 0;
    for await (const element of this.dataset as AsyncIterable<DatasetElement>) {
      // A bare tensor is x alone (what predict needs).
      const { inputs, outputs, inputDTypes } = this.layout;
      // A bare tensor, or for a single-input model an element that is not [x, y], is x alone.
      const [x, y, sw] =
        element instanceof Tensor || (inputs.kind !== 'single' && !Array.isArray(element))
          ? [element as ModelData]
          : (element as readonly [ModelData, ModelData?, ModelData?]);
      if (x === undefined)
        throw new TypeError('A dataset passed to fit/evaluate/predict must yield [x, y] batches (or x alone, for predict)');
      // Several outputs: a list or dict of weights is one weight tensor per output (Keras).
      const byOutput =
        outputs.names.length > 1 &&
        sw !== undefined &&
        sw !== null &&
        ((isPlainObject(sw) && !('data' in (sw as object))) ||
          (Array.isArray(sw) && sw.length === outputs.names.length && sw.every((w) => w instanceof Tensor || ArrayBuffer.isView(w))));
      const swList = byOutput ? flattenData<ArrayData>(sw, outputs, 'sampleWeight', Array.isArray) : undefined;
      const given = new Set<unknown>([
        ...flattenData(x, inputs, 'x', Array.isArray),
        ...(y === undefined ? [] : flattenData(y, outputs, 'y', Array.isArray)),
        ...(swList ?? [sw]),
      ]);
      const xs = flattenData<ArrayData>(x, inputs, 'x', Array.isArray).map((v, i) => toBatchTensor(v, 'x', inputDTypes[i]));
      const ys = y === undefined ? undefined : flattenData<ArrayData>(y, outputs, 'y', Array.isArray).map((v) => toBatchTensor(v, 'y'));
      const perOutput = swList?.map((w) => toBatchTensor(w, 'sampleWeight', 'float32'));
      let sws =
        sw === undefined || sw === null || perOutput !== undefined ? undefined : toBatchTensor(sw as ArrayData, 'sampleWeight', 'float32');
      if (this.classWeight !== undefined) {
        if (sws !== undefined || perOutput !== undefined) throw new TypeError(CLASS_AND_SAMPLE_WEIGHT);
        if (ys === undefined) throw new TypeError('`classWeight` needs targets: the dataset must yield [x, y] batches');
        sws = Tensor.fromNative(
          hostTensor(classWeightsOf(toHostArray(ys[0], 'y'), this.classWeight), [ys[0].shape[0] as number], 'float32'),
        );
      }
      const owned = [...xs, ...(ys ?? []), ...(sws ? [sws] : []), ...(perOutput ?? [])].filter((t) => !given.has(t));
      if (this.shard !== undefined) {
        const size = xs[0].shape[0] as number;
        const start = Math.floor((size * this.shard.index) / this.shard.count);
        const end = Math.floor((size * (this.shard.index + 1)) / this.shard.count);
        const part = (t: Tensor) => slice(t, [start, ...t.shape.slice(1).map(() => 0)], [end - start, ...t.shape.slice(1).map(() => -1)]);
        const [px, py, psw, pper] = [xs.map(part), ys?.map(part), sws && part(sws), perOutput?.map(part)];
        for (const t of owned) t.dispose();
        const batch = ownedBatch(px, py, psw, [...px, ...(py ?? []), ...(psw ? [psw] : []), ...(pper ?? [])]);
        if (pper !== undefined) batch.sampleWeights = pper;
        yield batch;
      } else {
        const batch = ownedBatch(xs, ys, sws, owned);
        if (perOutput !== undefined) batch.sampleWeights = perOutput;
        yield batch;
      }
      ++count;
    }
    // Known once one epoch went through (Keras learns the cardinality the same way).
    this.steps = count;
  }
}

/** Keras' refusal of both (a ValueError there). */
export const CLASS_AND_SAMPLE_WEIGHT = 'You cannot `class_weight` and `sample_weight` at the same time.';

/** `classWeight` checked: integer class indices (as the object's keys) to finite non-negative weights. */
export function checkClassWeight(classWeight: unknown): ClassWeight {
  if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight) || classWeight instanceof Map) {
    throw new TypeError(`\`classWeight\` must be an object {classIndex: weight}. Received: classWeight=${String(classWeight)}`);
  }
  const entries = Object.entries(classWeight);
  if (entries.length === 0) throw new RangeError('`classWeight` must name at least one class. Received: classWeight={}');
  for (const [key, weight] of entries) {
    if (!/^(0|[1-9][0-9]*)$/.test(key)) {
      throw new TypeError(`\`classWeight\` keys must be non-negative integer class indices. Received key '${key}'`);
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`\`classWeight\` values must be finite non-negative numbers. Received: classWeight[${key}]=${String(weight)}`);
    }
  }
  return classWeight as ClassWeight;
}

/**
 * Keras' class_weight_to_sample_weights: each sample's class (the argmax of a one-hot row, or the
 * rounded label) looked up in `classWeight`, 1 for classes it does not list.
 */
export function classWeightsOf(y: HostArray, classWeight: ClassWeight): Float32Array {
  const shape = y.shape;
  if (shape.length > 2) {
    throw new TypeError(
      `\`classWeight\` is only supported for targets of rank 1 or 2. Received targets of shape ${formatShape([...shape])}`,
    );
  }
  const n = shape[0];
  const width = shape.length === 2 ? shape[1] : 1;
  const data = y.data as ArrayLike<number | bigint>;
  const out = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    let label: number;
    if (width === 1) label = Math.round(Number(data[i]));
    else {
      label = 0;
      for (let j = 1; j < width; ++j) if (Number(data[i * width + j]) > Number(data[i * width + label])) label = j;
    }
    out[i] = classWeight[label] ?? 1;
  }
  return out;
}

function toBatchTensor(value: ArrayData, what: string, dtype?: DType): Tensor {
  if (value instanceof Tensor) {
    checkNumeric(value, what);
    const target = dtype ?? defaultDType(value.dtype);
    return value.dtype === target ? value : cast(value, target);
  }
  const host = toHostArray(value, what, dtype);
  return Tensor.fromNative(hostTensor(host.data, host.shape, host.dtype));
}

/**
 * Keras' EpochIterator with `steps_per_epoch` (or `steps`): each epoch takes `steps` batches from one
 * pass over the data that lasts across epochs. When the pass runs out the epoch ends early, with
 * Keras' warning, and the next epoch starts a new pass.
 */
export class StepLimitedSource implements DataSource {
  private current?: Iterator<Batch> | AsyncIterator<Batch>;
  private seen = 0;

  constructor(
    private readonly source: DataSource,
    readonly steps: number,
  ) {}

  async *batches(shuffle: boolean): AsyncIterator<Batch> {
    if (this.current === undefined) {
      this.current = this.source.batches(shuffle);
      this.seen = 0;
    }
    for (let step = 0; step < this.steps; ++step) {
      const known = this.source.steps;
      if (known !== null && this.seen >= known) {
        ranOutOfData();
        break;
      }
      const next = await this.current.next();
      if (next.done) {
        ranOutOfData();
        this.current = undefined;
        return;
      }
      this.seen += 1;
      yield next.value;
    }
    const known = this.source.steps;
    if (known !== null && this.seen >= known) await this.restart();
  }

  /** Ends the pass in progress (Keras' reset): the next epoch starts a new one. */
  async restart(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.return?.();
  }
}

function ranOutOfData(): void {
  process.emitWarning(
    'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least ' +
      '`stepsPerEpoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.',
  );
}

/** Keras 2's refusal of an endless epoch (Keras 3 would loop forever); `option` names the step count to give. */
export function checkFinite(source: DataSource, option: string): void {
  if (source instanceof DatasetSource && source.infinite) {
    throw new TypeError(
      `When passing an infinitely repeating dataset, please specify a \`${option}\` value so that epoch level callbacks ` +
        'continue to work. The value can be arbitrary, or a number that you think correctly defines the size of an epoch. ' +
        'Epoch-level callbacks will then be called at this interval.',
    );
  }
}

/** `source` limited to `steps` batches per epoch, or unchanged without a count (which a dataset that repeats forever needs). */
export function withSteps(source: DataSource, steps: number | undefined, option: string): DataSource {
  if (steps === undefined) {
    checkFinite(source, option);
    return source;
  }
  if (!Number.isInteger(steps) || steps <= 0)
    throw new RangeError(`\`${option}\` must be a positive integer. Received: ${option}=${String(steps)}`);
  return new StepLimitedSource(source, steps);
}
