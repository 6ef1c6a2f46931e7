// An events file as TensorFlow's EventsWriter makes it: named events.out.tfevents.<seconds>.<host>.<pid>.<n><suffix>,
// opening with a "brain.Event:2" record, then one TFRecord per event. Records are buffered in memory
// and written when asked (flush), when the buffer grows past `maxBufferBytes`, when `flushMillis` has
// passed since the last write, on close, and at process exit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeEvent, type EventObject, type MessageInit } from '../proto';
import { encodeRecord } from './records';

export const FILE_VERSION = 'brain.Event:2';
/** What the first record names as the writer (TF writes "tensorflow.core.util.events_writer"). */
export const WRITER_NAME = 'tf-napi';

export interface EventFileWriterOptions {
  /** Ends the file name; TF 2's summary writers use '.v2' (the default). */
  filenameSuffix?: string;
  /** Buffered bytes that trigger a write (default 1 MiB). */
  maxBufferBytes?: number;
  /** Longest time buffered events wait for a write, checked as events arrive (default 120 s, TF's). */
  flushMillis?: number;
}

/** Process-wide file counter, as TF numbers the files of one process. */
let fileCounter = 0;
const openWriters = new Set<EventFileWriter>();
let exitHookInstalled = false;

function flushAllAtExit(): void {
  for (const writer of openWriters) {
    try {
      writer.close();
    } catch {
      // Exiting: nothing left to report a failed write to.
    }
  }
}

/** Seconds since the epoch with microsecond resolution, as events' wall_time. */
export function wallTime(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

export class EventFileWriter {
  /** The file's path. */
  readonly path: string;
  private fd: number | null;
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private lastWrite = performance.now();
  private readonly maxBufferBytes: number;
  private readonly flushMillis: number;

  constructor(
    readonly logDir: string,
    options: EventFileWriterOptions = {},
  ) {
    const { filenameSuffix = '.v2', maxBufferBytes = 1 << 20, flushMillis = 120_000 } = options;
    this.maxBufferBytes = maxBufferBytes;
    this.flushMillis = flushMillis;
    fs.mkdirSync(logDir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    const name = `events.out.tfevents.${String(seconds).padStart(10, '0')}.${os.hostname()}.${process.pid}.${fileCounter++}${filenameSuffix}`;
    this.path = path.join(logDir, name);
    this.fd = fs.openSync(this.path, 'w');
    openWriters.add(this);
    if (!exitHookInstalled) {
      process.once('exit', flushAllAtExit);
      exitHookInstalled = true;
    }
    this.add({ wallTime: seconds, fileVersion: FILE_VERSION, sourceMetadata: { writer: WRITER_NAME } });
    this.flush();
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /** Appends one event (written at the next flush). */
  add(event: MessageInit<EventObject>): void {
    this.addEncoded(encodeEvent(event));
  }

  /** Appends one serialized event. */
  addEncoded(event: Uint8Array): void {
    if (this.fd === null) throw new Error(`The events file ${this.path} is closed`);
    const record = encodeRecord(event);
    this.chunks.push(record);
    this.bufferedBytes += record.length;
    if (this.bufferedBytes >= this.maxBufferBytes || performance.now() - this.lastWrite >= this.flushMillis) this.flush();
  }

  /** Writes the buffered events to the file. */
  flush(): void {
    if (this.fd === null) return;
    this.lastWrite = performance.now();
    if (this.chunks.length === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bufferedBytes);
    this.chunks = [];
    this.bufferedBytes = 0;
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.fd, data, written);
  }

  /** Flushes and closes the file; later calls do nothing. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
      this.fd = null;
      openWriters.delete(this);
    }
  }
}
