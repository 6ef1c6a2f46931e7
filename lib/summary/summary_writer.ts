// Python's tf.summary file writer, with the summaries Keras' TensorBoard callback writes: scalars,
// histograms, text-like string tensors and graphs, each in TF 2's format (a tensor plus the
// metadata naming the TensorBoard plugin that reads it), so TensorBoard shows them as TF's own.
import { type MessageInit, type SummaryMetadataObject, type TensorObject } from '../proto';
import { Tensor } from '../tensor';
import { EventFileWriter, type EventFileWriterOptions, wallTime } from './event_file_writer';
import { DEFAULT_BUCKET_COUNT, histogramBuckets } from './histogram';

export type SummaryWriterOptions = EventFileWriterOptions;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}

function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) length++;
  return length;
}

/** Writes `value` (non-negative) as a varint at `offset`; returns the offset after it. */
function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    buffer[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buffer[at++] = v;
  return at;
}

/** A length-delimited field: its key, its length, its bytes. */
function lengthDelimited(field: number, body: readonly number[] | Uint8Array): number[] {
  return [(field << 3) | 2, ...varint(body.length), ...body];
}

/**
 * The Summary of one float32 scalar summary as bytes, with the offset of its 4 value bytes: encoded
 * once per tag, so that each scalar event is a copy and 4 bytes (the same bytes protobufjs writes).
 */
function scalarSummaryTemplate(tag: string): { bytes: Uint8Array; valueOffset: number } {
  const tensor = [0x08, 0x01, ...lengthDelimited(2, []), 0x22, 0x04, 0, 0, 0, 0]; // DT_FLOAT, shape [], 4 content bytes
  const metadata = lengthDelimited(1, lengthDelimited(1, Buffer.from('scalars')));
  const value = [...lengthDelimited(1, Buffer.from(tag, 'utf8')), ...lengthDelimited(8, tensor), ...lengthDelimited(9, metadata)];
  const summary = lengthDelimited(1, value);
  // The value bytes end the tensor field, which the metadata field follows.
  const valueOffset = summary.length - (2 + metadata.length) - 4;
  return { bytes: Uint8Array.from(summary), valueOffset };
}

/** Plugin metadata as TensorBoard's summary ops write it (an empty content: version 0 of the plugin's data). */
function pluginMetadata(pluginName: string, content: Uint8Array = new Uint8Array(0)): MessageInit<SummaryMetadataObject> {
  return { pluginData: { pluginName, content } };
}

function checkStep(step: number): number {
  if (!Number.isSafeInteger(step)) throw new TypeError(`A summary step must be an integer; got ${String(step)}`);
  return step;
}

function checkTag(tag: string): string {
  if (typeof tag !== 'string' || tag.length === 0) throw new TypeError(`A summary tag must be a non-empty string; got ${String(tag)}`);
  return tag;
}

function bytesOf(array: Float32Array | Float64Array): Uint8Array {
  // Tensor contents are little-endian, as on every platform Node runs on.
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Writes summaries to one events file in `logDir` (Python's `tf.summary.create_file_writer(logdir)`). */
export class SummaryWriter {
  private readonly file: EventFileWriter;
  private readonly scalarTemplates = new Map<string, { bytes: Uint8Array; valueOffset: number }>();

  constructor(
    readonly logDir: string,
    options: SummaryWriterOptions = {},
  ) {
    this.file = new EventFileWriter(logDir, options);
  }

  /** The events file's path. */
  get path(): string {
    return this.file.path;
  }

  get closed(): boolean {
    return this.file.closed;
  }

  /** A tensor summary with its plugin metadata (Python's `tf.summary.write`). */
  write(tag: string, tensor: MessageInit<TensorObject>, step: number, metadata: MessageInit<SummaryMetadataObject>): void {
    this.file.add({
      wallTime: wallTime(),
      // Left out when 0, as TF writes proto3 defaults.
      step: checkStep(step) === 0 ? undefined : step,
      summary: { value: [{ tag: checkTag(tag), tensor, metadata }] },
    });
  }

  /** A float32 scalar for TensorBoard's Scalars tab (`tf.summary.scalar`). */
  scalar(tag: string, value: number, step: number): void {
    if (typeof value !== 'number') throw new TypeError(`A scalar summary needs a number; got ${String(value)} for '${tag}'`);
    checkStep(step);
    let template = this.scalarTemplates.get(tag);
    if (template === undefined) this.scalarTemplates.set(tag, (template = scalarSummaryTemplate(checkTag(tag))));
    if (step < 0) {
      this.write(
        tag,
        { dtype: 'DT_FLOAT', tensorShape: {}, tensorContent: bytesOf(Float32Array.of(value)) },
        step,
        pluginMetadata('scalars'),
      );
      return;
    }
    // Event: wall_time (1, double), step (2, varint; absent when 0), summary (5).
    const { bytes, valueOffset } = template;
    const stepLength = step === 0 ? 0 : 1 + varintLength(step);
    const event = Buffer.allocUnsafe(9 + stepLength + 1 + varintLength(bytes.length) + bytes.length);
    event[0] = 0x09;
    event.writeDoubleLE(wallTime(), 1);
    let offset = 9;
    if (step !== 0) {
      event[offset++] = 0x10;
      offset = writeVarint(event, offset, step);
    }
    event[offset++] = 0x2a;
    offset = writeVarint(event, offset, bytes.length);
    event.set(bytes, offset);
    event.writeFloatLE(value, offset + valueOffset);
    this.file.addEncoded(event);
  }

  /**
   * A histogram of every element of `data` for the Histograms and Distributions tabs
   * (`tf.summary.histogram`): `buckets` rows of (left edge, right edge, count) as float64.
   */
  histogram(tag: string, data: ArrayLike<number> | Tensor, step: number, buckets = DEFAULT_BUCKET_COUNT): void {
    const values = data instanceof Tensor ? (data.dataSync() as ArrayLike<number>) : data;
    if (typeof values?.length !== 'number') throw new TypeError(`A histogram summary needs numbers; got ${String(data)} for '${tag}'`);
    const rows = histogramBuckets(values, buckets);
    this.write(
      tag,
      { dtype: 'DT_DOUBLE', tensorShape: { dim: [{ size: buckets }, { size: 3 }] }, tensorContent: bytesOf(rows) },
      step,
      pluginMetadata('histograms'),
    );
  }

  /** A string for the Text tab (`tf.summary.text`). */
  text(tag: string, text: string, step: number): void {
    this.write(tag, { dtype: 'DT_STRING', tensorShape: {}, stringVal: [Buffer.from(text, 'utf8')] }, step, pluginMetadata('text'));
  }

  /** A serialized GraphDef for the Graphs tab (`tf.summary.graph`). */
  graph(graphDef: Uint8Array, step = 0): void {
    this.file.add({ wallTime: wallTime(), step: checkStep(step) === 0 ? undefined : step, graphDef });
  }

  /** Writes the buffered events to the file. */
  flush(): void {
    this.file.flush();
  }

  /** Flushes and closes the file. */
  close(): void {
    this.file.close();
  }
}

/** Python's `tf.summary.create_file_writer(logdir)`. */
export function createFileWriter(logDir: string, options: SummaryWriterOptions = {}): SummaryWriter {
  return new SummaryWriter(logDir, options);
}
