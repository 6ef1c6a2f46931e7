// Python's tf.nn over the generated wrappers: activations, convolution and pooling, dropout,
// cross-entropy losses and normalization, with Python's argument handling and op choices.
import { isFloating, isInteger } from '../dtypes';
import { InvalidArgumentError } from '../errors';
import { Shape, Tensor, TensorLike } from '../tensor';
import { reshape, shape, squeeze, stopGradient, transpose, zerosLike } from './array';
import { convertToTensor, formatShape, int32Vector, shapesCompatible, staticShape } from './convert';
import * as ops from './generated';
import { KeywordArgs, NameArg, checkOptions, keywordArgs, nameArg, requiredArg } from '../utils/argument_validation';
import { add, cast, multiply, negative, pow, reduceMean, rsqrt, sigmoid, squaredDifference, subtract, tanh } from './math';
import { constantTensor } from './run_op';

export { sigmoid, tanh, l2Normalize } from './math';

export function relu(features: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.relu', rest);
  return ops.Relu({ features, name });
}

export function relu6(features: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.relu6', rest);
  return ops.Relu6({ features, name });
}

export interface LeakyReluOptions {
  alpha?: number;
  name?: string;
}

/** max(alpha·x, x); integer features are computed as float32, as in Python. */
export function leakyRelu(
  features: TensorLike,
  ...args: KeywordArgs<[alpha: number | undefined, name: string | undefined], LeakyReluOptions>
): Tensor {
  const { alpha = 0.2, name } = keywordArgs<LeakyReluOptions>('tf.nn.leakyRelu', ['alpha', 'name'], args);
  const x = convertToTensor(features);
  return ops.LeakyRelu({ features: isInteger(x.dtype) ? cast(x, 'float32') : x, alpha, name });
}

export function elu(features: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.elu', rest);
  return ops.Elu({ features, name });
}

export function selu(features: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.selu', rest);
  return ops.Selu({ features, name });
}

export function softplus(features: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.softplus', rest);
  return ops.Softplus({ features, name });
}

export interface GeluOptions {
  approximate?: boolean;
  name?: string;
}

/** x·Φ(x) exactly (via erfc), or the tanh approximation (Keras/TF semantics). */
export function gelu(
  features: TensorLike,
  ...args: KeywordArgs<[approximate: boolean | undefined, name: string | undefined], GeluOptions>
): Tensor {
  const { approximate = false, name } = keywordArgs<GeluOptions>('tf.nn.gelu', ['approximate', 'name'], args);
  const x = convertToTensor(features);
  if (!isFloating(x.dtype)) throw new TypeError(`\`features.dtype\` must be a floating point tensor.Received:features.dtype=${x.dtype}`);
  const half = multiply(0.5, x);
  if (approximate) {
    // Python casts its float32 constant 0.044715 to the features' dtype.
    const cubic = add(x, multiply(Math.fround(0.044715), pow(x, 3)));
    return multiply(half, add(1, tanh(multiply(0.7978845608028654, cubic))), name);
  }
  return multiply(half, ops.Erfc({ x: multiply(negative(x), Math.fround(Math.SQRT1_2)) }), name);
}

export interface SiluOptions {
  beta?: number | Tensor;
  name?: string;
}

/** x·sigmoid(beta·x) (Python's tf.nn.silu / tf.nn.swish). */
export function silu(
  features: TensorLike,
  ...args: KeywordArgs<[beta: number | Tensor | undefined, name: string | undefined], SiluOptions>
): Tensor {
  const { beta = 1, name } = keywordArgs<SiluOptions>('tf.nn.silu', ['beta', 'name'], args);
  const x = convertToTensor(features);
  // beta·x is x itself for beta = 1, so that multiply is skipped.
  const scaled = beta === 1 ? x : multiply(beta instanceof Tensor ? cast(beta, x.dtype) : beta, x);
  return multiply(x, sigmoid(scaled), name);
}

export { silu as swish };

/** Runs a last-axis op over `axis` by swapping that axis with the last (Python's _wrap_2d_function). */
function overAxis(logits: TensorLike, axis: number, compute: (x: Tensor, name?: string) => Tensor, name: string | undefined): Tensor {
  const x = convertToTensor(logits);
  const known = staticShape(x);
  if (axis === -1 || (known !== undefined && axis === known.length - 1)) return compute(x, name);
  if (known === undefined) throw new TypeError(`axis ${axis} needs the input's rank to be known`);
  const rank = known.length;
  if (axis < -rank || axis >= rank) {
    throw new InvalidArgumentError(
      `\`dim\` must be in the range [${-rank}, ${rank}) where ${rank} is the number of dimensions in the input. Received: dim=${axis}`,
    );
  }
  const dim = axis < 0 ? axis + rank : axis;
  const perm = known.map((_, i) => (i === dim ? rank - 1 : i === rank - 1 ? dim : i));
  return transpose(compute(transpose(x, perm)), perm, false, name);
}

export interface SoftmaxOptions {
  axis?: number;
  name?: string;
}

/** exp(logits) / sum(exp(logits)) along `axis`. */
export function softmax(
  logits: TensorLike,
  ...args: KeywordArgs<[axis: number | undefined, name: string | undefined], SoftmaxOptions>
): Tensor {
  const { axis = -1, name } = keywordArgs<SoftmaxOptions>('tf.nn.softmax', ['axis', 'name'], args);
  return overAxis(logits, axis, (x, n) => ops.Softmax({ logits: x, name: n }), name);
}

export interface LogSoftmaxOptions {
  axis?: number;
  name?: string;
}

export function logSoftmax(
  logits: TensorLike,
  ...args: KeywordArgs<[axis: number | undefined, name: string | undefined], LogSoftmaxOptions>
): Tensor {
  const { axis = -1, name } = keywordArgs<LogSoftmaxOptions>('tf.nn.logSoftmax', ['axis', 'name'], args);
  return overAxis(logits, axis, (x, n) => ops.LogSoftmax({ logits: x, name: n }), name);
}

export interface BiasAddOptions {
  dataFormat?: string;
  name?: string;
}

/** Adds the 1-D `bias` along the channel dim: the last one, or dim 1 for an 'NC...' dataFormat. */
export function biasAdd(
  value: TensorLike,
  bias: TensorLike,
  ...args: KeywordArgs<[dataFormat: string | undefined, name: string | undefined], BiasAddOptions>
): Tensor {
  const { dataFormat, name } = keywordArgs<BiasAddOptions>('tf.nn.biasAdd', ['dataFormat', 'name'], args);
  let format: 'NHWC' | 'NCHW' | undefined;
  if (dataFormat !== undefined) {
    if (dataFormat.startsWith('NC')) format = 'NCHW';
    else if (dataFormat.startsWith('N') && dataFormat.endsWith('C')) format = 'NHWC';
    else throw new RangeError(`data_format must be of the form \`N...C\` or \`NC...\`. Received: data_format=${dataFormat}`);
  }
  return ops.BiasAdd({ value, bias, dataFormat: format, name });
}

/** A window or stride: one value for every spatial dim, one per spatial dim, or one per dim. */
export type Sequence = number | readonly number[];

/** Python's _get_sequence: a per-dim list of n + 2 entries, 1 for the batch and channel dims. */
function getSequence(value: Sequence | undefined, n: number, channelIndex: number, name: string): number[] {
  if (value === undefined) return new Array<number>(n + 2).fill(1);
  let list = typeof value === 'number' ? [value] : [...value];
  if (list.length === n + 2) return list;
  if (list.length === 1) list = new Array<number>(n).fill(list[0]);
  else if (list.length !== n) {
    throw new RangeError(
      `${name} should be of length 1, ${n} or ${n + 2}. Received: ${name}=[${list.join(', ')}] of length ${list.length}`,
    );
  }
  return channelIndex === 1 ? [1, 1, ...list] : [1, ...list, 1];
}

/** 'SAME', 'VALID', or explicit [before, after] pairs, one per input dim (batch and channel 0). */
export type Padding = 'SAME' | 'VALID' | readonly (readonly [number, number])[];

/** Python's convert_padding: the op's padding attr and flat explicit paddings. */
function convertPadding(padding: Padding, expectedLength = 4): { padding: 'SAME' | 'VALID' | 'EXPLICIT'; explicitPaddings?: number[] } {
  if (typeof padding === 'string') {
    if ((padding as string) === 'EXPLICIT') {
      throw new RangeError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a list.");
    }
    return { padding };
  }
  const explicitPaddings: number[] = [];
  padding.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new RangeError(
        `When \`padding\` is a list, each element of \`padding\` must be a list/tuple of size 2. Received: padding=${JSON.stringify(padding)} with element at index ${i}`,
      );
    }
    explicitPaddings.push(...pair);
  });
  if (padding.length !== expectedLength) {
    throw new RangeError(
      `When padding is a list, it must be of size ${expectedLength}. Received: padding=${JSON.stringify(padding)} of size ${padding.length}`,
    );
  }
  return { padding: 'EXPLICIT', explicitPaddings };
}

export interface Conv2dOptions {
  /** 'NHWC' (default) or 'NCHW'. */
  dataFormat?: 'NHWC' | 'NCHW';
  /** Dilation per spatial dim (1, 2 or 4 values); default 1. */
  dilations?: Sequence;
  name?: string;
}

/** Python's tf.nn.conv2d(input, filters, strides, padding): filters are [height, width, in, out]. */
export function conv2d(input: TensorLike, filters: TensorLike, strides: Sequence, padding: Padding, options: Conv2dOptions = {}): Tensor {
  const {
    dataFormat = 'NHWC',
    dilations,
    name,
  } = checkOptions('tf.nn.conv2d', options, ['dataFormat', 'dilations', 'name']) as Conv2dOptions;
  const channelIndex = dataFormat.startsWith('NC') ? 1 : 3;
  return ops.Conv2D({
    input,
    filter: filters,
    strides: getSequence(strides, 2, channelIndex, 'strides'),
    ...convertPadding(padding),
    dataFormat,
    dilations: getSequence(dilations, 2, channelIndex, 'dilations'),
    name,
  });
}

export interface PoolOptions {
  /** Default: channels last ('NWC', 'NHWC' or 'NDHWC' by rank); 'NC...' for channels first. */
  dataFormat?: string;
  name?: string;
}

const POOL_KEYS = ['dataFormat', 'name'];

type PoolKind = 'max' | 'avg';

function pool2d(
  kind: PoolKind,
  input: TensorLike,
  ksize: number[],
  strides: number[],
  padding: Padding,
  dataFormat: string,
  name?: string,
): Tensor {
  const format = dataFormat as ops.MaxPoolArgs['dataFormat'];
  if (kind === 'max') return ops.MaxPool({ input, ksize, strides, ...convertPadding(padding), dataFormat: format, name });
  if (typeof padding !== 'string') throw new TypeError('Average pooling does not support explicit padding');
  return ops.AvgPool({ value: input, ksize, strides, padding, dataFormat: dataFormat as ops.AvgPoolArgs['dataFormat'], name });
}

/** Python's tf.nn.max_pool / avg_pool: 1, 2 or 3 spatial dims, chosen by the input's rank. */
function pool(kind: PoolKind, input: TensorLike, ksize: Sequence, strides: Sequence, padding: Padding, options: PoolOptions): Tensor {
  const { dataFormat, name } = options;
  const x = convertToTensor(input);
  const known = staticShape(x);
  const n = known ? known.length - 2 : dataFormat ? dataFormat.length - 2 : undefined;
  if (n === undefined)
    throw new TypeError('`input` must have a static shape or a data format. Received: input.shape=<unknown> and data_format=None');
  if (n < 1 || n > 3)
    throw new RangeError(`\`input.shape.rank\` must be 3, 4 or 5. Received: input.shape=${formatShape(known)} of rank ${n + 2}.`);
  const channelIndex = dataFormat?.startsWith('NC') ? 1 : n + 1;
  const window = getSequence(ksize, n, channelIndex, 'ksize');
  const stride = getSequence(strides, n, channelIndex, 'strides');
  if (n === 2) return pool2d(kind, x, window, stride, padding, dataFormat ?? 'NHWC', name);
  if (n === 3) {
    if (typeof padding !== 'string') throw new RangeError('Explicit padding is not supported with an input tensor of rank 5');
    const args = {
      input: x,
      ksize: window,
      strides: stride,
      padding,
      dataFormat: (dataFormat ?? 'NDHWC') as ops.MaxPool3DArgs['dataFormat'],
      name,
    };
    return kind === 'max' ? ops.MaxPool3D(args) : ops.AvgPool3D(args);
  }
  // One spatial dim: pool a height-1 image, then drop that dim.
  const channelsLast = (dataFormat ?? 'NWC') === 'NWC';
  const heightDim = channelsLast ? 1 : 2;
  let padding2d: Padding = padding;
  if (typeof padding !== 'string') {
    convertPadding(padding, 3); // validates the 1-D form; the height dim gets no padding
    padding2d = [[0, 0], ...padding];
  }
  const image = ops.ExpandDims({ input: x, dim: heightDim });
  const pooled = pool2d(kind, image, [1, ...window], [1, ...stride], padding2d, channelsLast ? 'NHWC' : 'NCHW');
  return squeeze(pooled, heightDim, name);
}

/** Max pooling over 1, 2 or 3 spatial dims (the input's rank minus 2). */
export function maxPool(input: TensorLike, ksize: Sequence, strides: Sequence, padding: Padding, options: PoolOptions = {}): Tensor {
  return pool('max', input, ksize, strides, padding, checkOptions('tf.nn.maxPool', options, POOL_KEYS));
}

/** Python's tf.nn.max_pool2d(input, ksize, strides, padding) on a 4-D input. */
export function maxPool2d(input: TensorLike, ksize: Sequence, strides: Sequence, padding: Padding, options: PoolOptions = {}): Tensor {
  const { dataFormat = 'NHWC', name } = checkOptions('tf.nn.maxPool2d', options, POOL_KEYS) as PoolOptions;
  const channelIndex = dataFormat.startsWith('NC') ? 1 : 3;
  return pool2d(
    'max',
    input,
    getSequence(ksize, 2, channelIndex, 'ksize'),
    getSequence(strides, 2, channelIndex, 'strides'),
    padding,
    dataFormat,
    name,
  );
}

/** Average pooling over 1, 2 or 3 spatial dims (the input's rank minus 2). */
export function avgPool(
  input: TensorLike,
  ksize: Sequence,
  strides: Sequence,
  padding: 'SAME' | 'VALID',
  options: PoolOptions = {},
): Tensor {
  return pool('avg', input, ksize, strides, padding, checkOptions('tf.nn.avgPool', options, POOL_KEYS));
}

/** Python's tf.nn.avg_pool2d(input, ksize, strides, padding) on a 4-D input. */
export function avgPool2d(
  input: TensorLike,
  ksize: Sequence,
  strides: Sequence,
  padding: 'SAME' | 'VALID',
  options: PoolOptions = {},
): Tensor {
  const { dataFormat = 'NHWC', name } = checkOptions('tf.nn.avgPool2d', options, POOL_KEYS) as PoolOptions;
  const channelIndex = dataFormat.startsWith('NC') ? 1 : 3;
  return pool2d(
    'avg',
    input,
    getSequence(ksize, 2, channelIndex, 'ksize'),
    getSequence(strides, 2, channelIndex, 'strides'),
    padding,
    dataFormat,
    name,
  );
}

export interface DropoutOptions {
  /** The shape of the keep mask, broadcast against x (null dims take x's size). */
  noiseShape?: readonly (number | null)[] | Tensor;
  /** Makes the mask reproducible: the same seed gives the same mask on every call. */
  seed?: number;
  name?: string;
}

/** Python's _get_noise_shape: x's shape, or noiseShape with its unknown dims taken from x. */
function noiseShapeFor(x: Tensor, noiseShape: DropoutOptions['noiseShape']): TensorLike {
  if (noiseShape === undefined) return shape(x);
  if (noiseShape instanceof Tensor) return noiseShape;
  const known = staticShape(x);
  const dims = known && known.length === noiseShape.length ? noiseShape.map((d, i) => d ?? known[i]) : noiseShape;
  if (dims.some((d) => d === null)) throw new TypeError(`noise_shape ${formatShape([...dims])} has dims unknown in x`);
  return int32Vector(dims as number[]);
}

/**
 * Zeroes each element with probability `rate` and scales the rest by 1 / (1 - rate). Without a seed
 * the mask comes from the stateful RandomUniform op; with one, from StatelessRandomUniform.
 */
export function dropout(x: TensorLike, rate: number | Tensor, options: DropoutOptions = {}): Tensor {
  const { seed, name } = checkOptions('tf.nn.dropout', options, ['noiseShape', 'seed', 'name']) as DropoutOptions;
  if (typeof rate === 'number' && !(rate >= 0 && rate < 1)) {
    throw new RangeError(`\`rate\` must be a scalar tensor or a float in the range [0, 1). Received: rate=${rate}`);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
  const input = convertToTensor(x);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`\`x.dtype\` must be a floating point tensor as \`x\` will be scaled. Received: x_dtype=${input.dtype}`);
  }
  if (rate === 0) return input;
  let kept: Tensor;
  let threshold: TensorLike;
  if (typeof rate === 'number') {
    kept = ops.Mul({ x: input, y: 1 / (1 - rate) });
    threshold = rate;
  } else {
    const rateShape = staticShape(rate);
    if (rateShape !== undefined && rateShape.length !== 0)
      throw new InvalidArgumentError(`Shape ${formatShape(rateShape)} must have rank 0`);
    threshold = cast(rate, input.dtype);
    kept = ops.RealDiv({ x: input, y: ops.Sub({ x: 1, y: threshold }) });
  }
  const noiseShape = noiseShapeFor(input, options.noiseShape);
  const dtype = input.dtype as ops.RandomUniformArgs['dtype'];
  const uniform =
    seed === undefined
      ? ops.RandomUniform({ shape: noiseShape, dtype })
      : ops.StatelessRandomUniform({ shape: noiseShape, seed: constantTensor([seed, 0], 'int64', [2]), dtype });
  return ops.SelectV2({ condition: ops.GreaterEqual({ x: uniform, y: threshold }), t: kept, e: 0, name });
}

/** Reshapes to [-1, classes] (Python's _flatten_outer_dims), statically when the class dim is known. */
function flattenOuterDims(x: Tensor, dims: Shape): Tensor {
  const classes = dims[dims.length - 1];
  if (classes !== null) return reshape(x, int32Vector([-1, classes]));
  const classDim = ops.Slice({ input: ops.Shape({ input: x }), begin: [dims.length - 1], size: [1] });
  return reshape(x, ops.ConcatV2({ values: [[-1], classDim], axis: 0 }));
}

/** Reshapes per-row results back to `outer` dims; the Shape op only when two or more are unknown. */
function restoreOuterDims(rows: Tensor, outer: Shape, source: Tensor, name?: string): Tensor {
  const unknown = outer.filter((d) => d === null).length;
  if (unknown <= 1) return reshape(rows, int32Vector(outer.map((d) => d ?? -1)), name);
  return reshape(rows, ops.Slice({ input: ops.Shape({ input: source }), begin: [0], size: [outer.length] }), name);
}

function knownRankShape(x: Tensor, what: string): Shape {
  const known = staticShape(x);
  if (known === undefined) throw new TypeError(`${what} needs a known rank`);
  return known;
}

export interface SoftmaxCrossEntropyArgs {
  /** A probability distribution along `axis` for each example. */
  labels: TensorLike;
  /** Unscaled log probabilities. */
  logits: TensorLike;
  /** The class dim (default -1). */
  axis?: number;
  /** Names the last op. */
  name?: string;
}

/** Per-example cross entropy of softmax(logits) against `labels`; shape: logits' without `axis`. */
export function softmaxCrossEntropyWithLogits(args: SoftmaxCrossEntropyArgs): Tensor {
  checkOptions('tf.nn.softmaxCrossEntropyWithLogits', args, ['labels', 'logits', 'axis', 'name']);
  const { labels, logits, axis = -1, name } = args;
  const logitsTensor = convertToTensor(logits);
  const lowPrecision = logitsTensor.dtype === 'float16' || logitsTensor.dtype === 'bfloat16';
  let precise = lowPrecision ? cast(logitsTensor, 'float32') : logitsTensor;
  let labelsTensor = cast(labels, precise.dtype);
  let dims = knownRankShape(precise, 'softmaxCrossEntropyWithLogits');
  const rank = dims.length;
  if (axis !== -1 && axis !== rank - 1) {
    if (axis < -rank || axis >= rank) throw new RangeError(`axis ${axis} is out of range for logits of rank ${rank}`);
    const dim = axis < 0 ? axis + rank : axis;
    // Moves the class dim to the end, keeping the others in order.
    const perm = [...dims.keys()].filter((i) => i !== dim).concat(dim);
    precise = transpose(precise, perm);
    labelsTensor = transpose(labelsTensor, perm);
    dims = perm.map((i) => dims[i]);
  }
  let cost: Tensor;
  if (rank === 2) {
    cost = ops.SoftmaxCrossEntropyWithLogits({ features: precise, labels: labelsTensor, name: lowPrecision ? undefined : name }).loss;
  } else {
    const rows = ops.SoftmaxCrossEntropyWithLogits({
      features: flattenOuterDims(precise, dims),
      labels: flattenOuterDims(labelsTensor, dims),
    }).loss;
    cost = restoreOuterDims(rows, dims.slice(0, -1), precise, lowPrecision ? undefined : name);
  }
  return lowPrecision ? cast(cost, logitsTensor.dtype, name) : cost;
}

export interface SparseSoftmaxCrossEntropyArgs {
  /** Class indices (int32/int64), shaped like logits without the last dim. */
  labels: TensorLike;
  /** Unscaled log probabilities, classes last. */
  logits: TensorLike;
  /** Names the last op. */
  name?: string;
}

/** Per-example cross entropy of softmax(logits) against integer class `labels`. */
export function sparseSoftmaxCrossEntropyWithLogits(args: SparseSoftmaxCrossEntropyArgs): Tensor {
  checkOptions('tf.nn.sparseSoftmaxCrossEntropyWithLogits', args, ['labels', 'logits', 'name']);
  const { labels, logits, name } = args;
  const labelsTensor = convertToTensor(labels, undefined, 'int32');
  const logitsTensor = convertToTensor(logits);
  const lowPrecision = logitsTensor.dtype === 'float16';
  const precise = lowPrecision ? cast(logitsTensor, 'float32') : logitsTensor;
  const labelsShape = staticShape(labelsTensor);
  const logitsShape = knownRankShape(logitsTensor, 'sparseSoftmaxCrossEntropyWithLogits');
  if (logitsShape.length === 0) throw new InvalidArgumentError('`logits` cannot be a scalar.');
  if (labelsShape !== undefined && labelsShape.length !== logitsShape.length - 1) {
    throw new InvalidArgumentError(
      `\`labels.shape.rank\` must equal \`logits.shape.rank - 1\`. Received: labels.shape=${formatShape(labelsShape)} of rank ` +
        `${labelsShape.length} and logits.shape=${formatShape(logitsShape)} of rank ${logitsShape.length}`,
    );
  }
  if (labelsShape !== undefined && !shapesCompatible(labelsShape, logitsShape.slice(0, -1))) {
    throw new InvalidArgumentError(
      `\`labels.shape\` must equal \`logits.shape\` except for the last dimension. Received: labels.shape=${formatShape(labelsShape)} and logits.shape=${formatShape(logitsShape)}`,
    );
  }
  let cost: Tensor;
  if (logitsShape.length === 2) {
    cost = ops.SparseSoftmaxCrossEntropyWithLogits({ features: precise, labels: labelsTensor, name: lowPrecision ? undefined : name }).loss;
  } else {
    const rows = ops.SparseSoftmaxCrossEntropyWithLogits({
      features: flattenOuterDims(precise, logitsShape),
      labels: reshape(labelsTensor, int32Vector([-1])),
    }).loss;
    cost = restoreOuterDims(rows, logitsShape.slice(0, -1), logitsTensor, lowPrecision ? undefined : name);
  }
  return lowPrecision ? cast(cost, 'float16', name) : cost;
}

export interface SigmoidCrossEntropyArgs {
  /** Targets in [0, 1], shaped like logits. */
  labels: TensorLike;
  logits: TensorLike;
  name?: string;
}

/** Elementwise logistic loss, computed as max(x, 0) - x·z + log(1 + exp(-|x|)) for stability. */
export function sigmoidCrossEntropyWithLogits(args: SigmoidCrossEntropyArgs): Tensor {
  checkOptions('tf.nn.sigmoidCrossEntropyWithLogits', args, ['labels', 'logits', 'name']);
  const { labels, logits, name } = args;
  const x = convertToTensor(logits);
  const z = convertToTensor(labels);
  if (!shapesCompatible(staticShape(z), staticShape(x))) {
    throw new InvalidArgumentError(
      `\`logits\` and \`labels\` must have the same shape, received (${formatShape(staticShape(x))} vs ${formatShape(staticShape(z))}).`,
    );
  }
  const zeros = zerosLike(x);
  const positive = ops.GreaterEqual({ x, y: zeros });
  const reluLogits = ops.SelectV2({ condition: positive, t: x, e: zeros });
  const negAbsLogits = ops.SelectV2({ condition: positive, t: negative(x), e: x });
  return add(subtract(reluLogits, multiply(x, z)), ops.Log1p({ x: ops.Exp({ x: negAbsLogits }) }), name);
}

/** sum(t²) / 2. */
export function l2Loss(t: TensorLike, ...rest: NameArg): Tensor {
  const name = nameArg('tf.nn.l2Loss', rest);
  return ops.L2Loss({ t, name });
}

export interface MomentsOptions {
  axes?: number | readonly number[];
  keepdims?: boolean;
}

/** The mean and (population) variance over `axes`; float16 is computed in float32. */
export function moments(
  x: TensorLike,
  ...args: KeywordArgs<[axes: number | readonly number[] | undefined, keepdims: boolean | undefined], MomentsOptions>
): [mean: Tensor, variance: Tensor] {
  const { axes, keepdims = false } = keywordArgs<MomentsOptions>('tf.nn.moments', ['axes', 'keepdims'], args);
  requiredArg('tf.nn.moments', 'axes', axes);
  const input = convertToTensor(x);
  const y = input.dtype === 'float16' ? cast(input, 'float32') : input;
  let mean = reduceMean(y, axes, true);
  let variance = reduceMean(squaredDifference(y, stopGradient(mean)), axes, true);
  if (!keepdims) [mean, variance] = [squeeze(mean, axes), squeeze(variance, axes)];
  return input.dtype === 'float16' ? [cast(mean, 'float16'), cast(variance, 'float16')] : [mean, variance];
}

export interface BatchNormalizationOptions {
  offset?: TensorLike | null;
  scale?: TensorLike | null;
  varianceEpsilon?: number;
  name?: string;
}

/** (x - mean) · scale / sqrt(variance + varianceEpsilon) + offset; offset and scale may be null. */
export function batchNormalization(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  ...args: KeywordArgs<
    [
      offset: TensorLike | null | undefined,
      scale: TensorLike | null | undefined,
      varianceEpsilon: number | undefined,
      name: string | undefined,
    ],
    BatchNormalizationOptions
  >
): Tensor {
  const {
    offset = null,
    scale = null,
    varianceEpsilon,
    name,
  } = keywordArgs<BatchNormalizationOptions>('tf.nn.batchNormalization', ['offset', 'scale', 'varianceEpsilon', 'name'], args);
  const input = convertToTensor(x);
  let inv = rsqrt(add(variance, requiredArg('tf.nn.batchNormalization', 'varianceEpsilon', varianceEpsilon)));
  if (scale !== null) inv = multiply(inv, scale);
  const shift = offset !== null ? subtract(offset, multiply(mean, inv)) : multiply(negative(mean), inv);
  return add(multiply(input, cast(inv, input.dtype)), cast(shift, input.dtype), name);
}
