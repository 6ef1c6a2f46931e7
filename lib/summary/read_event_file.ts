// Reads TensorBoard events files back (Python's tf.compat.v1.train.summary_iterator), and the values
// of their summaries: scalars, histograms and string tensors, in TF 2's tensor form or TF 1's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeEvent, type EventObject, type SummaryValueObject, type TensorObject } from '../proto';
import { DataLossError } from '../errors';
import { readRecords } from './records';

/**
 * Every event of an events file, the checksums verified (a corrupt record throws). A record cut
 * short at the end (one still being written) is left out.
 */
export function readEventFile(file: string): EventObject[] {
  return readRecords(fs.readFileSync(file), file).records.map((record, i) => {
    try {
      return decodeEvent(record);
    } catch (e) {
      throw new DataLossError(`${file}: record ${i} is not a tensorflow.Event: ${(e as Error).message}`);
    }
  });
}

/** The events files under `logDir` (not its subfolders), in name order. */
export function listEventFiles(logDir: string): string[] {
  return fs
    .readdirSync(logDir)
    .filter((name) => name.includes('tfevents'))
    .sort()
    .map((name) => path.join(logDir, name));
}

const ELEMENT_BYTES: Record<string, number> = { DT_FLOAT: 4, DT_DOUBLE: 8, DT_INT32: 4, DT_INT64: 8 };

/** A numeric tensor's values (float, double, int32 or int64) and shape; undefined for other dtypes. */
export function tensorValues(tensor: TensorObject): { shape: number[]; values: number[] } | undefined {
  const dtype = String(tensor.dtype);
  const shape = (tensor.tensorShape?.dim ?? []).map((d) => d.size);
  const size = shape.reduce((a, b) => a * b, 1);
  const bytes = tensor.tensorContent;
  let values: number[];
  if (bytes !== undefined && bytes.length > 0) {
    const width = ELEMENT_BYTES[dtype];
    if (width === undefined) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    values = Array.from({ length: bytes.length / width }, (_, i) => {
      if (dtype === 'DT_FLOAT') return view.getFloat32(i * 4, true);
      if (dtype === 'DT_DOUBLE') return view.getFloat64(i * 8, true);
      if (dtype === 'DT_INT32') return view.getInt32(i * 4, true);
      return Number(view.getBigInt64(i * 8, true));
    });
  } else {
    const field = { DT_FLOAT: tensor.floatVal, DT_DOUBLE: tensor.doubleVal, DT_INT32: tensor.intVal, DT_INT64: tensor.int64Val }[dtype];
    if (field === undefined) return undefined;
    // A repeated field shorter than the shape repeats its last element (TF's compact form).
    values = Array.from({ length: size }, (_, i) => field[Math.min(i, field.length - 1)] ?? 0);
  }
  return { shape, values };
}

/** A summary value's scalar: its simple_value, or the element of a one-element numeric tensor. */
export function scalarValue(value: SummaryValueObject): number | undefined {
  if (value.value === 'simpleValue') return value.simpleValue;
  if (value.value !== 'tensor' || value.tensor === undefined) return undefined;
  const decoded = tensorValues(value.tensor);
  return decoded?.values.length === 1 ? decoded.values[0] : undefined;
}

/** One histogram bucket: values in [left, right) (the last bucket includes its right edge). */
export interface HistogramBucket {
  left: number;
  right: number;
  count: number;
}

/**
 * A summary value's histogram: the rows of a [k, 3] tensor (TF 2), or a HistogramProto's buckets
 * converted as TensorBoard does (each bucket from the previous limit, the first from `min`, the
 * last to `max`).
 */
export function histogramValue(value: SummaryValueObject): HistogramBucket[] | undefined {
  if (value.value === 'histo' && value.histo !== undefined) {
    const { min, max, bucketLimit, bucket } = value.histo;
    return bucket.map((count, i) => ({
      left: i === 0 ? min : bucketLimit[i - 1],
      right: i === bucket.length - 1 ? max : bucketLimit[i],
      count,
    }));
  }
  if (value.value !== 'tensor' || value.tensor === undefined) return undefined;
  const decoded = tensorValues(value.tensor);
  if (decoded === undefined || decoded.shape.length !== 2 || decoded.shape[1] !== 3) return undefined;
  return Array.from({ length: decoded.shape[0] }, (_, i) => ({
    left: decoded.values[3 * i],
    right: decoded.values[3 * i + 1],
    count: decoded.values[3 * i + 2],
  }));
}

/** A string tensor's elements, decoded as UTF-8. */
export function stringValues(value: SummaryValueObject): string[] | undefined {
  if (value.value !== 'tensor' || value.tensor === undefined || String(value.tensor.dtype) !== 'DT_STRING') return undefined;
  return value.tensor.stringVal.map((bytes) => Buffer.from(bytes).toString('utf8'));
}
