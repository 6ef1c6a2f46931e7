// The TFRecord framing of events files: each record is its length (uint64, little-endian), the
// masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
import { DataLossError } from '../errors';
import { maskedCrc32c } from './crc32c';

/** One record, framed. */
export function encodeRecord(data: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(data.length + 16);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskedCrc32c(record.subarray(0, 8)), 8);
  record.set(data, 12);
  record.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return record;
}

export interface ReadRecordsResult {
  records: Buffer[];
  /** Bytes after the last whole record: a record still being written (or a cut file). */
  trailingBytes: number;
}

/**
 * The records of a TFRecord buffer, their checksums verified (a mismatch throws). A record cut
 * short at the end is left out and counted in `trailingBytes`, as TensorBoard skips a record still
 * being written.
 */
export function readRecords(buffer: Buffer, source = 'record buffer'): ReadRecordsResult {
  const records: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 12) {
    const header = buffer.subarray(offset, offset + 8);
    if (buffer.readUInt32LE(offset + 8) !== maskedCrc32c(header)) {
      throw new DataLossError(`${source}: corrupt record length at byte ${offset} (CRC mismatch)`);
    }
    const length = buffer.readBigUInt64LE(offset);
    if (length > BigInt(buffer.length - offset - 16)) break;
    const start = offset + 12;
    const data = buffer.subarray(start, start + Number(length));
    if (buffer.readUInt32LE(start + data.length) !== maskedCrc32c(data)) {
      throw new DataLossError(`${source}: corrupt record data at byte ${offset} (CRC mismatch)`);
    }
    records.push(data);
    offset = start + data.length + 4;
  }
  return { records, trailingBytes: buffer.length - offset };
}
