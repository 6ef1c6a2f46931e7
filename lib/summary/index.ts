// tf.summary: TensorBoard events files, written and read.
export { createFileWriter, SummaryWriter, type SummaryWriterOptions } from './summary_writer';
export { EventFileWriter, type EventFileWriterOptions } from './event_file_writer';
export {
  readEventFile,
  listEventFiles,
  scalarValue,
  histogramValue,
  stringValues,
  tensorValues,
  type HistogramBucket,
} from './read_event_file';
export { histogramBuckets, DEFAULT_BUCKET_COUNT } from './histogram';
export { encodeRecord, readRecords } from './records';
export { crc32c, maskedCrc32c } from './crc32c';
export type { EventObject, SummaryValueObject, SummaryMetadataObject, HistogramProtoObject } from '../proto';
