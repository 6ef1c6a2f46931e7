// Argument normalization and output-size arithmetic shared by the 2-D convolution and pooling layers.
import { formatShape } from '../../ops/convert';
import { Shape } from '../../tensor';

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
