// TF 2's histogram summary: a [k, 3] float64 tensor of (left edge, right edge, count) rows, bucketed
// as TensorBoard's tf.summary.histogram does (k equal-width buckets from min to max).

/** TensorBoard's default bucket count. */
export const DEFAULT_BUCKET_COUNT = 30;

/**
 * The rows of `data`'s histogram, flat (left, right, count per bucket), computed in float64 exactly
 * as TensorBoard's `summary_v2._buckets` graph: no data gives `bucketCount` zero rows; one distinct
 * value gives every bucket that value as both edges and the whole count in the last bucket;
 * otherwise edges are `min + i * (max - min) / bucketCount` (the last one `max`) and each value
 * goes to bucket `floor((x - min) / width)`, the maximum into the last one. Non-finite offsets
 * (NaN data) are counted nowhere, as TF's int32 cast sends them out of range.
 */
export function histogramBuckets(data: ArrayLike<number>, bucketCount = DEFAULT_BUCKET_COUNT): Float64Array {
  if (!Number.isInteger(bucketCount) || bucketCount < 0) {
    throw new RangeError(`bucketCount must be a non-negative integer; got ${bucketCount}`);
  }
  const rows = new Float64Array(bucketCount * 3);
  const size = data.length;
  if (size === 0 || bucketCount === 0) return rows;
  let min = Infinity;
  let max = -Infinity;
  let sawNaN = false;
  for (let i = 0; i < size; i++) {
    const x = data[i];
    if (Number.isNaN(x)) sawNaN = true;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (sawNaN) min = max = NaN;
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < bucketCount; b++) {
      rows[3 * b] = max;
      rows[3 * b + 1] = max;
    }
    rows[3 * bucketCount - 1] = size;
    return rows;
  }
  const width = range / bucketCount;
  const counts = new Float64Array(bucketCount);
  for (let i = 0; i < size; i++) {
    const index = Math.min(Math.floor((data[i] - min) / width), bucketCount - 1);
    if (index >= 0) counts[index] += 1;
  }
  for (let b = 0; b < bucketCount; b++) {
    rows[3 * b] = b === 0 ? min : min + width * b;
    rows[3 * b + 1] = b === bucketCount - 1 ? max : min + width * (b + 1);
    rows[3 * b + 2] = counts[b];
  }
  return rows;
}
