// keras.layers.Normalization: (x − mean) / max(sqrt(variance), 1e-7) per position of `axis`, with
// mean and variance given or learned by adapt(data); `invert` maps normalized values back.
import { HostValue } from '../../host_data';
import { int32Vector } from '../../ops/convert';
import { AddV2, Cast, Maximum, Mul, RealDiv, Reshape, Sqrt, Sub } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { initScope } from '../../function';
import { kerasExport } from '../saving/serialization_lib';
import { describeValue, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface NormalizationOptions extends LayerOptions {
  /** The axis or axes kept (one mean/variance per position); null for one scalar. Default -1. */
  axis?: number | readonly number[] | null;
  /** With `variance`: fixed statistics (a scalar or an array over the kept axes); else adapt() learns them. */
  mean?: number | readonly unknown[] | null;
  variance?: number | readonly unknown[] | null;
  /** Map normalized values back: mean + x · max(sqrt(variance), 1e-7). */
  invert?: boolean;
}

/** What adapt() reads: an array or tensor (one batch), or batches (a tf.data Dataset, any iterable of arrays/tensors or [x, y] tuples). */
export type AdaptData = Tensor | HostValue | Iterable<unknown>;

const POSITIONAL = ['axis', 'mean', 'variance', 'invert'] as const;
const EPSILON = 1e-7;

/** A value's elements (float64) and shape. */
function hostValues(value: unknown): { data: Float64Array; shape: number[] } {
  const tensor = value instanceof Tensor ? value : constantTensor(value as HostValue, 'float32');
  if (tensor.isSymbolic) throw new TypeError('Normalization.adapt() reads concrete data, not symbolic tensors');
  return { data: Float64Array.from(tensor.dataSync() as ArrayLike<number>), shape: tensor.shape as number[] };
}

export class Normalization extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POSITIONAL];
  readonly axis: number[];
  readonly invert: boolean;
  readonly inputMean: number | readonly unknown[] | null;
  readonly inputVariance: number | readonly unknown[] | null;
  adaptMean: Variable | null = null;
  adaptVariance: Variable | null = null;
  count: Variable | null = null;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private statsShape: number[] = [];

  constructor(...args: PositionalArgs<NormalizationOptions, typeof POSITIONAL>) {
    const options = positionalOptions<NormalizationOptions>(new.target, args);
    super(options);
    const { axis = -1, mean = null, variance = null, invert = false } = options;
    const axes = axis === null ? [] : typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : null;
    if (axes === null || !axes.every((a) => Number.isInteger(a)))
      throw new TypeError(`axis must be an int, a list of ints or null. Received: axis=${describeValue(axis)}`);
    this.axis = axes;
    this.invert = invert;
    if ((mean === null) !== (variance === null)) {
      throw new RangeError(
        `When setting values directly, both \`mean\` and \`variance\` must be set. Received: mean=${describeValue(mean)} and variance=${describeValue(variance)}`,
      );
    }
    this.inputMean = mean;
    this.inputVariance = variance;
  }

  override build(inputShape: Shape): void {
    const ndim = inputShape.length;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new RangeError(
        `All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${ndim}, while axis=${JSON.stringify(this.axis)}`,
      );
    }
    this.keepAxes = [...new Set(this.axis.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    for (const d of this.keepAxes) {
      if (inputShape[d] === null) {
        throw new RangeError(
          `All \`axis\` values to be kept must have a known shape. Received axis=${JSON.stringify(this.axis)}, inputs.shape=${JSON.stringify(inputShape)}, with unknown axis at index ${d}`,
        );
      }
    }
    this.broadcastShape = inputShape.map((d, i) => (this.keepAxes.includes(i) ? (d as number) : 1));
    this.statsShape = this.keepAxes.map((d) => inputShape[d] as number);
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight({ name: 'mean', shape: this.statsShape, initializer: 'zeros', trainable: false });
      this.adaptVariance = this.addWeight({ name: 'variance', shape: this.statsShape, initializer: 'ones', trainable: false });
      this.count = this.addWeight({ name: 'count', shape: [], dtype: 'int64', initializer: 'zeros', trainable: false });
    }
  }

  /** The statistics broadcast against inputs ([1, .., d, .., 1]). */
  private statistics(): [Tensor, Tensor] {
    if (this.adaptMean !== null && this.adaptVariance !== null) {
      const shape = int32Vector(this.broadcastShape);
      return [Reshape({ tensor: this.adaptMean.value(), shape }), Reshape({ tensor: this.adaptVariance.value(), shape })];
    }
    // Given values: a scalar broadcasts; an array fills the trailing kept axes.
    const fixed = (value: number | readonly unknown[]): Tensor => {
      const t = constantTensor(value as HostValue, this.dtype);
      if (t.rank === 0) return t;
      const expanded = this.broadcastShape.map(() => 1);
      const dims = t.shape as number[];
      for (let i = 1; i <= dims.length; i++) expanded[this.keepAxes[this.keepAxes.length - i]] = dims[dims.length - i];
      return Reshape({ tensor: t, shape: int32Vector(expanded) });
    };
    return [fixed(this.inputMean as number), fixed(this.inputVariance as number)];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    // Keras computes in the layer's dtype (integer features are cast).
    if (inputs.dtype !== this.dtype) inputs = Cast({ x: inputs, DstT: this.dtype });
    const [mean, variance] = this.statistics();
    const std = Maximum({ x: Sqrt({ x: variance }), y: constantTensor(EPSILON, this.dtype) });
    if (this.invert) return AddV2({ x: mean, y: Mul({ x: inputs, y: std }) });
    return RealDiv({ x: Sub({ x: inputs, y: mean }), y: std });
  }

  /**
   * Keras' adapt: the mean and variance over every axis but `axis`, from one array/tensor or from
   * batches merged as Keras does (each batch weighted by its element count).
   */
  adapt(data: AdaptData): void {
    this.checkNotDisposed();
    if (this.inputMean !== null) throw new TypeError('Normalization.adapt() cannot be used when `mean` and `variance` were given.');
    // A JS array is one batch (nested arrays are how JS writes an array); other iterables yield batches.
    const isBatch = data instanceof Tensor || Array.isArray(data) || ArrayBuffer.isView(data) || !(Symbol.iterator in Object(data));
    const batches: unknown[] = isBatch ? [data] : [...(data as Iterable<unknown>)];
    if (batches.length === 0) throw new RangeError('adapt() received an empty iterable (no batches). Expected at least one batch.');
    let totalMean: Float64Array | null = null;
    let totalVar: Float64Array | null = null;
    let totalCount = 0;
    for (const raw of batches) {
      // An [x, y] element: x is what is normalized.
      const element = !isBatch && Array.isArray(raw) && raw[0] instanceof Tensor ? raw[0] : raw;
      const { data: values, shape } = hostValues(element);
      if (!this.built) this.build(shape);
      const [mean, variance, count] = this.batchMoments(values, shape);
      if (totalMean === null || totalVar === null) {
        [totalMean, totalVar, totalCount] = [mean, variance, count];
        continue;
      }
      totalCount += count;
      const w = count / totalCount;
      const existing = 1 - w;
      for (let i = 0; i < mean.length; i++) {
        const newMean = totalMean[i] * existing + mean[i] * w;
        totalVar[i] = (totalVar[i] + (totalMean[i] - newMean) ** 2) * existing + (variance[i] + (mean[i] - newMean) ** 2) * w;
        totalMean[i] = newMean;
      }
    }
    const shape = this.statsShape;
    initScope(() => {
      (this.adaptMean as Variable).assign(constantTensor(Float32Array.from(totalMean as Float64Array), 'float32', shape));
      (this.adaptVariance as Variable).assign(constantTensor(Float32Array.from(totalVar as Float64Array), 'float32', shape));
    });
  }

  /** Per kept position: the mean and (population) variance over the other axes, and how many elements each had. */
  private batchMoments(values: Float64Array, shape: number[]): [Float64Array, Float64Array, number] {
    for (const d of this.keepAxes) {
      if (shape[d] !== this.buildInputShape?.[d]) {
        throw new RangeError(
          `adapt() got a batch with incompatible shape. Expected ${JSON.stringify(this.buildInputShape)}, got ${JSON.stringify(shape)}.`,
        );
      }
    }
    const size = this.statsShape.reduce((a, b) => a * b, 1);
    const count = shape.reduce((a, d, i) => (this.keepAxes.includes(i) ? a : a * d), 1);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const keyOf = (flat: number): number => {
      let key = 0;
      for (const d of this.keepAxes) key = key * shape[d] + (Math.floor(flat / strides[d]) % shape[d]);
      return key;
    };
    const sum = new Float64Array(size);
    for (let i = 0; i < values.length; i++) sum[keyOf(i)] += values[i];
    const mean = sum.map((s) => s / count);
    const sq = new Float64Array(size);
    for (let i = 0; i < values.length; i++) sq[keyOf(i)] += (values[i] - mean[keyOf(i)]) ** 2;
    return [mean, sq.map((s) => s / count), count];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, invert: this.invert, mean: this.inputMean, variance: this.inputVariance };
  }
}

kerasExport('keras.layers', [Normalization]);
