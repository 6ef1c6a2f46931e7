// Argument normalization and output-size arithmetic shared by the convolution and pooling layers.
import { formatShape, int32Vector } from '../../ops/convert';
import { BatchToSpaceND, SpaceToBatchND } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';

export type Padding = 'valid' | 'same';

/** One int for both spatial dims, or a [height, width] pair. */
export type IntPair = number | readonly [number, number] | readonly number[];

export function toPair(name: string, value: IntPair): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : [...value];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(`The \`${name}\` argument must be a tuple of 2 positive integers. Received ${name}=${JSON.stringify(value)}`);
  }
  return pair as [number, number];
}

export function checkPadding(padding: unknown): Padding {
  const lower = typeof padding === 'string' ? padding.toLowerCase() : padding;
  if (lower !== 'valid' && lower !== 'same') {
    throw new RangeError(`The \`padding\` argument must be one of "valid", "same". Received: ${String(padding)}`);
  }
  return lower;
}

export function checkChannelsLast(dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'channels_last') {
    throw new RangeError(`Only dataFormat 'channels_last' (NHWC) is supported. Received: dataFormat=${String(dataFormat)}`);
  }
}

/** One spatial output size (null when the input size is unknown). */
export function outputLength(input: number | null, window: number, stride: number, padding: Padding, dilation = 1): number | null {
  if (input === null) return null;
  if (padding === 'same') return Math.ceil(input / stride);
  return Math.floor((input - dilation * (window - 1) - 1) / stride) + 1;
}

/** Keras' negative-size check for a conv/pool over `inputShape` (NHWC). */
export function spatialOutputShape(
  inputShape: Shape,
  window: readonly [number, number],
  strides: readonly [number, number],
  padding: Padding,
  dilation: readonly [number, number] = [1, 1],
): [number | null, number | null] {
  const sizes = [0, 1].map((i) => outputLength(inputShape[1 + i], window[i], strides[i], padding, dilation[i])) as [
    number | null,
    number | null,
  ];
  if (sizes.some((d) => d !== null && d <= 0)) {
    throw new RangeError(
      `Computed output size would be negative. Received \`inputs shape=${formatShape(inputShape)}\`, ` +
        `\`kernel shape=${formatShape([...window])}\`, \`dilation_rate=${formatShape([...dilation])}\`.`,
    );
  }
  return sizes;
}

/** Keras' standardize_tuple: one int for every spatial dim, or one per dim (`allowZero` for strides-like lists). */
export function toTuple(name: string, value: unknown, n: number, allowZero = false): number[] {
  const tuple = typeof value === 'number' ? new Array<number>(n).fill(value) : Array.isArray(value) ? [...value] : [];
  if (tuple.length !== n || !tuple.every((v) => Number.isInteger(v) && (allowZero ? v >= 0 : v > 0))) {
    throw new RangeError(
      `The \`${name}\` argument must be a tuple of ${n} ${allowZero ? 'non-negative' : 'positive'} integers. Received ${name}=${JSON.stringify(value)}`,
    );
  }
  return tuple;
}

/** Keras' compute_conv_transpose output length (conv_utils.deconv_output_length). */
export function deconvOutputLength(
  input: number | null,
  kernel: number,
  padding: Padding,
  outputPadding: number | null,
  stride: number,
  dilation = 1,
): number | null {
  if (input === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === null) return padding === 'valid' ? input * stride + Math.max(k - stride, 0) : input * stride;
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (input - 1) * stride + k - 2 * pad + outputPadding;
}

/** Layers whose CPU kernels take no dilation (depthwise and transposed convolutions) refuse it clearly. */
export function checkNoDilation(layer: string, dilation: readonly number[]): void {
  if (dilation.some((d) => d !== 1)) {
    throw new RangeError(
      `${layer} supports only dilationRate 1 here (TF's CPU kernel has no dilation). Received: dilationRate=${JSON.stringify(dilation)}`,
    );
  }
}

/** The 1-D output sizes check (Keras' negative-size error), [batch, steps, channels] inputs. */
export function stepsOutputShape(
  inputShape: Shape,
  window: number,
  stride: number,
  padding: Padding | 'causal',
  dilation = 1,
): number | null {
  const size = outputLength(inputShape[1], window, stride, padding === 'causal' ? 'valid' : padding, dilation);
  const steps = padding === 'causal' && inputShape[1] !== null ? Math.floor((inputShape[1] - 1) / stride) + 1 : size;
  if (steps !== null && steps <= 0) {
    throw new RangeError(
      `Computed output size would be negative. Received \`inputs shape=${formatShape(inputShape)}\`, ` +
        `\`kernel shape=(${window})\`, \`dilation_rate=(${dilation})\`.`,
    );
  }
  return steps;
}

/** ZeroPadding2D/Cropping2D's argument: n, [rows, cols] (each symmetric), or [[top, bottom], [left, right]]. */
export function toSymmetricPairs(name: string, value: unknown): [[number, number], [number, number]] {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (ok(value))
    return [
      [value, value],
      [value, value],
    ];
  if (Array.isArray(value) && value.length === 2) {
    if (value.every(ok))
      return [
        [value[0], value[0]],
        [value[1], value[1]],
      ];
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok)))
      return [[...value[0]], [...value[1]]] as [[number, number], [number, number]];
  }
  throw new RangeError(
    `\`${name}\` should be either an int, a tuple of 2 ints (symmetric_height_${name}, symmetric_width_${name}), or a tuple of 2 tuples of 2 ints ((top_${name}, bottom_${name}), (left_${name}, right_${name})). Received: ${name}=${JSON.stringify(value)}.`,
  );
}

/**
 * TF's dilated convolution (tf.nn.convolution's with_space_to_batch, what Keras runs): the input
 * spread into `rate`-strided batches, an undilated 'VALID' `conv`, and the batches put back. Its
 * gradients are plain convolution gradients (TF's CPU kernels have none for dilated ones).
 */
export function atrousConvolution(
  inputs: Tensor,
  kernel: readonly number[],
  rate: readonly number[],
  padding: Padding,
  conv: (x: Tensor) => Tensor,
): Tensor {
  const spatial = inputs.shape.slice(1, 1 + rate.length);
  if (spatial.some((d) => d === null))
    throw new RangeError(`Dilated convolutions need known spatial dims. Received: ${formatShape(inputs.shape)}`);
  const paddings: number[][] = [];
  const crops: number[][] = [];
  rate.forEach((r, i) => {
    const total = padding === 'same' ? (kernel[i] - 1) * r : 0;
    const start = Math.floor(total / 2);
    const end = total - start;
    const extra = (r - (((spatial[i] as number) + start + end) % r)) % r;
    paddings.push([start, end + extra]);
    crops.push([0, extra]);
  });
  const blockShape = int32Vector([...rate]);
  const spread = SpaceToBatchND({ input: inputs, blockShape, paddings });
  return BatchToSpaceND({ input: conv(spread), blockShape, crops });
}
