// Checkpoints in TF's V2 format (`<path>.index` + `<path>.data-00000-of-00001`), written by SaveV2
// and read by RestoreV2, so Python's tf.train.load_checkpoint reads ours and we read its.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { DTYPE_ENUM, DType } from '../dtypes';
import {
  DataLossError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  OpError,
  PermissionDeniedError,
  UnimplementedError,
  createError,
} from '../errors';
import { TensorSpec, TracedFunction, tfFunction } from '../function';
import { IterationsVariable, LearningRateVariable } from '../keras/optimizers/learning_rate';
import { Layer } from '../keras/layers/layer';
import { Optimizer } from '../keras/optimizers/optimizer';
import { RestoreV2, SaveV2 } from '../ops/generated';
import { Tensor } from '../tensor';
import { Variable } from '../variable';

/** Variables by checkpoint key, e.g. `{ 'dense/kernel': kernel }` or `[['dense/kernel', kernel]]`. */
export type NamedVariables = Readonly<Record<string, Variable>> | readonly (readonly [string, Variable])[];

/** What the checkpoint index records for one tensor. */
export interface CheckpointEntry {
  /** The dtype's name, or TF's DataType enum value for a dtype this package does not name. */
  dtype: DType | number;
  shape: number[];
  /** Where the tensor's bytes are in its data shard. */
  shardId?: number;
  offset?: number;
  size?: number;
}

/** `<prefix>.index` and `<prefix>.data-00000-of-00001`: the two files of a single-shard checkpoint. */
function indexFile(prefix: string): string {
  return `${prefix}.index`;
}

function dataFile(prefix: string): string {
  return `${prefix}.data-00000-of-00001`;
}

// ---- Paths, and replacing a checkpoint atomically ----

/** `scheme://`: two or more letters, so that a Windows drive (`C:\`) is not taken for one. */
const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//;

/**
 * The local prefix a checkpoint path names. The path must be a non-empty string; a `file://` URL is
 * taken as the local path it names, and any other scheme (`gs://`, `s3://`, `ram://`, ...) is an
 * UnimplementedError, raised before anything touches the disk: this package reads and writes local
 * files only, and Node's fs would otherwise take `gs://bucket/x` for a relative folder named `gs:`.
 */
function checkpointPrefix(path: unknown): string {
  if (typeof path !== 'string') throw new TypeError(`A checkpoint path must be a string, got ${path === null ? 'null' : typeof path}`);
  if (path === '') throw new TypeError('A checkpoint path must not be empty');
  if (path.includes('\0')) throw new TypeError(`A checkpoint path must not contain NUL characters, got ${JSON.stringify(path)}`);
  const scheme = URL_SCHEME.exec(path);
  if (!scheme) return path;
  if (scheme[1].toLowerCase() !== 'file') {
    throw new UnimplementedError(
      `Checkpoint path '${path}' uses the unsupported scheme '${scheme[1]}://': only local paths (or file:// URLs) are supported`,
    );
  }
  try {
    return fileURLToPath(path);
  } catch (e) {
    throw new TypeError(`Checkpoint path '${path}' is not a valid local file:// URL: ${(e as Error).message}`);
  }
}

/*
 * Replacing a checkpoint. Its two files cannot be swapped by one rename, so a save is a small journal:
 *   1. complete any interrupted switch at the path (below), then delete stale `<path>_temp.*` files;
 *   2. SaveV2 writes `<path>_temp.index` and `<path>_temp.data-00000-of-00001`; both are fsynced;
 *   3. commit: a record naming the temporary prefix and both files' sizes is written to
 *      `<path>_temp.commit`, fsynced, and renamed to `<path>.commit` (one atomic rename);
 *   4. switch: the data file, then the index, is renamed into place;
 *   5. `<path>.commit` is removed.
 * Every load first completes an interrupted switch: with a commit record present it renames whichever
 * temporary file is still there into place (checking its size against the record) and removes the
 * record, which is idempotent, so a load killed during it is completed by the next one. Without a
 * record, temporary leftovers are ignored (the next save deletes them). A process killed at any
 * instant thus leaves the path loading either the old values (killed before step 3's rename) or the
 * new ones (after it), never a mix. One path takes one writer at a time; `<path>_temp.*` and
 * `<path>.commit` belong to the checkpoint at `<path>`.
 */

function temporaryPrefixOf(prefix: string): string {
  return `${prefix}_temp`;
}

/** The commit record of a switch in progress. */
function commitFile(prefix: string): string {
  return `${prefix}.commit`;
}

const COMMIT_FORMAT = 'tf-napi checkpoint switch 1';

interface CommitRecord {
  format: typeof COMMIT_FORMAT;
  /** The temporary prefix's file name, in the checkpoint's folder. */
  temporary: string;
  dataBytes: number;
  indexBytes: number;
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** The size of a file, or undefined where there is none. */
function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Flushes a file to disk; returns its size. */
function syncFile(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (renames) to disk, where the platform can. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (e) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes(errorCode(e) ?? '')) return; // Windows opens no folders.
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if (!['EINVAL', 'EBADF', 'EPERM', 'ENOTSUP'].includes(errorCode(e) ?? '')) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** A save fails here, before anything is moved, where a directory stands at one of the names it replaces. */
function checkReplaceable(prefix: string): void {
  for (const file of [indexFile(prefix), dataFile(prefix), commitFile(prefix)]) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
    } catch (e) {
      if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') continue;
      throw e;
    }
    if (stat.isDirectory()) throw new FailedPreconditionError(`Cannot write checkpoint '${prefix}': ${file} is a directory`);
  }
}

/**
 * Completes a switch that a killed save (or load) left part way: a no-op without a commit record.
 * Renaming is idempotent: a file already moved is checked in place.
 */
function completeSwitch(prefix: string): void {
  const commit = commitFile(prefix);
  let text: string;
  try {
    text = fs.readFileSync(commit, 'utf8');
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    if (code === 'EISDIR') throw new FailedPreconditionError(`Checkpoint '${prefix}': ${commit} is a directory`);
    if (code === 'EACCES') throw new PermissionDeniedError(`Cannot read ${commit}: permission denied`);
    throw e;
  }
  const temporary = temporaryPrefixOf(prefix);
  const unusable = (why: string) =>
    new DataLossError(`Checkpoint '${prefix}' has an interrupted save that cannot be completed (${commit}): ${why}`);
  let record: CommitRecord;
  try {
    record = JSON.parse(text) as CommitRecord;
  } catch {
    throw unusable('the commit record is not valid JSON');
  }
  if (record?.format !== COMMIT_FORMAT || record.temporary !== nodePath.basename(temporary)) {
    throw unusable('the commit record is not one this package wrote for this path');
  }
  const moves: [string, string, number][] = [
    [dataFile(temporary), dataFile(prefix), record.dataBytes],
    [indexFile(temporary), indexFile(prefix), record.indexBytes],
  ];
  try {
    for (const [from, to, bytes] of moves) {
      const size = sizeOf(from);
      if (size !== undefined) {
        if (size !== bytes) throw unusable(`${from} has ${size} bytes, the record says ${bytes}`);
        try {
          fs.renameSync(from, to);
        } catch (e) {
          if (errorCode(e) !== 'ENOENT') throw e; // Another process moved it first.
        }
      }
      const moved = sizeOf(to);
      if (moved !== bytes) throw unusable(`${to} ${moved === undefined ? 'is missing' : `has ${moved} bytes, the record says ${bytes}`}`);
    }
    // The renames are made durable before the record goes; losing the removal itself is harmless (the next load redoes it).
    syncDirectory(nodePath.dirname(indexFile(prefix)));
    fs.rmSync(commit, { force: true });
  } catch (e) {
    if (errorCode(e) === 'EACCES' || errorCode(e) === 'EPERM' || errorCode(e) === 'EROFS') {
      throw new PermissionDeniedError(
        `Cannot complete the interrupted save of checkpoint '${prefix}' (${commit}): ${(e as Error).message}`,
      );
    }
    throw e;
  }
}

function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

const DTYPE_BY_ENUM = new Map<number, DType>((Object.entries(DTYPE_ENUM) as [DType, number][]).map(([name, value]) => [value, name]));

// ---- Reading the index: a LevelDB-style table of key → BundleEntryProto ----

const TABLE_MAGIC_LOW = 0x8b80fb57;
const TABLE_MAGIC_HIGH = 0xdb477524;
const FOOTER_SIZE = 48;
/** Each block is followed by a compression-type byte and a CRC. */
const BLOCK_TRAILER_SIZE = 5;

/** A bounds-checked reader of varints and byte ranges; any overrun is data loss. */
class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    private position: number,
    private readonly end: number,
    private readonly corrupt: (why: string) => Error,
  ) {}

  get done(): boolean {
    return this.position >= this.end;
  }

  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.position >= this.end) throw this.corrupt('truncated varint');
      const byte = this.bytes[this.position++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw this.corrupt('malformed varint');
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.position + length > this.end) throw this.corrupt('a length runs past its block');
    const out = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** Skips a protobuf field's value of the given wire type. */
  skipField(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.take(8);
    else if (wireType === 2) this.take(this.varint());
    else if (wireType === 5) this.take(4);
    else throw this.corrupt(`unexpected protobuf wire type ${wireType}`);
  }
}

/** The key/value entries of one table block (keys share prefixes with the key before). */
function* blockEntries(block: Uint8Array, corrupt: (why: string) => Error): Generator<[Uint8Array, Uint8Array]> {
  if (block.length < 4) throw corrupt('a block is too short');
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const restarts = view.getUint32(block.length - 4, true);
  const entriesEnd = block.length - 4 - 4 * restarts;
  if (entriesEnd < 0) throw corrupt('bad restart count');
  const reader = new ByteReader(block, 0, entriesEnd, corrupt);
  let key: Uint8Array = new Uint8Array(0);
  while (!reader.done) {
    const shared = reader.varint();
    const unshared = reader.varint();
    const valueLength = reader.varint();
    if (shared > key.length) throw corrupt('a key shares more bytes than the key before it has');
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(reader.take(unshared), shared);
    key = next;
    yield [key, reader.take(valueLength)];
  }
}

function decodeShape(bytes: Uint8Array, corrupt: (why: string) => Error): number[] {
  const shape: number[] = [];
  const reader = new ByteReader(bytes, 0, bytes.length, corrupt);
  while (!reader.done) {
    const tag = reader.varint();
    if (tag >>> 3 !== 2 || (tag & 7) !== 2) {
      reader.skipField(tag & 7);
      continue;
    }
    const dim = reader.take(reader.varint());
    const dimReader = new ByteReader(dim, 0, dim.length, corrupt);
    let size = 0;
    while (!dimReader.done) {
      const dimTag = dimReader.varint();
      if (dimTag === 8) size = dimReader.varint();
      else dimReader.skipField(dimTag & 7);
    }
    shape.push(size);
  }
  return shape;
}

/** A BundleEntryProto's dtype (field 1) and shape (field 2). */
function decodeEntry(bytes: Uint8Array, corrupt: (why: string) => Error): CheckpointEntry {
  const reader = new ByteReader(bytes, 0, bytes.length, corrupt);
  let dtype = 0;
  let shape: number[] = [];
  let shardId = 0;
  let offset = 0;
  let size = 0;
  while (!reader.done) {
    const tag = reader.varint();
    if (tag === 8) dtype = reader.varint();
    else if (tag === 18) shape = decodeShape(reader.take(reader.varint()), corrupt);
    else if (tag === 24) shardId = reader.varint();
    else if (tag === 32) offset = reader.varint();
    else if (tag === 40) size = reader.varint();
    else reader.skipField(tag & 7);
  }
  return { dtype: DTYPE_BY_ENUM.get(dtype) ?? dtype, shape, shardId, offset, size };
}

/** Every tensor in the checkpoint at `prefix`, by key, in key order. */
export function readCheckpointIndex(path: string): Map<string, CheckpointEntry> {
  const prefix = checkpointPrefix(path);
  completeSwitch(prefix);
  return readIndexFile(prefix);
}

/** The index at `prefix` as it is now (no switch to complete). */
function readIndexFile(prefix: string): Map<string, CheckpointEntry> {
  const file = indexFile(prefix);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`Checkpoint '${prefix}' not found: there is no ${file}`);
    if (code === 'EACCES') throw new PermissionDeniedError(`Cannot read ${file}: permission denied`);
    if (code === 'EISDIR') throw new FailedPreconditionError(`Cannot read checkpoint '${prefix}': ${file} is a directory`);
    throw e;
  }
  const corrupt = (why: string) => new DataLossError(`${file} is not a valid TensorFlow checkpoint index: ${why}`);
  if (bytes.length < FOOTER_SIZE) throw corrupt(`the file is too short (${bytes.length} bytes)`);
  const footerStart = bytes.length - FOOTER_SIZE;
  if (bytes.readUInt32LE(footerStart + 40) !== TABLE_MAGIC_LOW || bytes.readUInt32LE(footerStart + 44) !== TABLE_MAGIC_HIGH) {
    throw corrupt('bad magic number (truncated, or not a checkpoint)');
  }
  const block = (reader: ByteReader): Uint8Array => {
    const offset = reader.varint();
    const size = reader.varint();
    if (offset + size + BLOCK_TRAILER_SIZE > footerStart) throw corrupt('a block runs past the end of the file');
    if (bytes[offset + size] !== 0) throw new UnimplementedError(`${file} has compressed blocks, which this reader does not support`);
    return bytes.subarray(offset, offset + size);
  };
  const footer = new ByteReader(bytes, footerStart, footerStart + 40, corrupt);
  block(footer); // The metaindex block: unused by checkpoints.
  const entries = new Map<string, CheckpointEntry>();
  for (const [, handle] of blockEntries(block(footer), corrupt)) {
    for (const [key, value] of blockEntries(block(new ByteReader(handle, 0, handle.length, corrupt)), corrupt)) {
      // The empty key holds the BundleHeaderProto.
      if (key.length > 0) entries.set(Buffer.from(key).toString('utf8'), decodeEntry(value, corrupt));
    }
  }
  return entries;
}

/**
 * The bytes of the scalar string tensor stored under `key` (the object graph), read from the data
 * file directly: string tensors read through TF come back as UTF-8 text, which binary protos are not.
 * A bundle stores a string as its varint length, a 4-byte checksum of the lengths, then the bytes.
 */
export function readStringScalar(path: string, key: string): Uint8Array | undefined {
  const prefix = checkpointPrefix(path);
  const entry = readCheckpointIndex(prefix).get(key);
  if (entry === undefined) return undefined;
  const corrupt = (why: string) => new DataLossError(`Checkpoint '${path}': the '${key}' entry is damaged: ${why}`);
  if (entry.dtype !== 'string' || entry.shape.length !== 0) throw corrupt('it is not a scalar string');
  if (entry.shardId !== 0) throw new UnimplementedError(`Checkpoint '${path}' has several data shards, which this reader does not support`);
  let bytes: Buffer;
  try {
    const fd = fs.openSync(dataFile(prefix), 'r');
    try {
      bytes = Buffer.alloc(entry.size ?? 0);
      if (fs.readSync(fd, bytes, 0, bytes.length, entry.offset ?? 0) !== bytes.length) throw corrupt('the data file is truncated');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (errorCode(e) === 'ENOENT') throw new NotFoundError(`Checkpoint '${path}' has no data file ${dataFile(prefix)}`);
    throw e;
  }
  const reader = new ByteReader(bytes, 0, bytes.length, corrupt);
  const length = reader.varint();
  reader.take(4);
  return new Uint8Array(reader.take(length));
}

/** Python's tf.train.list_variables(prefix): `[key, shape]` of every tensor, in key order. */
export function listVariables(prefix: string): [string, number[]][] {
  return [...readCheckpointIndex(prefix)].map(([key, entry]) => [key, entry.shape]);
}

// ---- Saving and restoring variables ----

function namedEntries(namedVariables: NamedVariables): [string, Variable][] {
  const entries: [string, Variable][] = Array.isArray(namedVariables)
    ? (namedVariables as readonly (readonly [string, Variable])[]).map(([key, variable]) => [key, variable])
    : Object.entries(namedVariables as Readonly<Record<string, Variable>>);
  const seen = new Set<string>();
  for (const [key, variable] of entries) {
    if (typeof key !== 'string' || key === '') throw new TypeError(`Checkpoint keys must be non-empty strings, got ${JSON.stringify(key)}`);
    if (seen.has(key)) throw new TypeError(`Checkpoint key '${key}' is given twice`);
    if (!(variable instanceof Variable)) throw new TypeError(`Checkpoint key '${key}' must map to a tf.Variable, got ${String(variable)}`);
    seen.add(key);
  }
  if (entries.length === 0) throw new TypeError('A checkpoint needs at least one variable');
  return entries;
}

/** One traced graph per variable set: the key names the checkpoint keys and the variables' handles. */
function cacheKey(entries: readonly [string, Variable][]): string {
  return JSON.stringify(entries.map(([key, variable]) => [key, variable.handleOp.name]));
}

const PREFIX_SIGNATURE = [new TensorSpec([], 'string', 'prefix')];
const savers = new Map<string, TracedFunction<[string], null>>();
/** Readers by the keys and dtypes they read; assigners by the variables they assign. */
const readers = new Map<string, TracedFunction<[string], Tensor[]>>();
const assigners = new Map<string, TracedFunction<Tensor[], null>>();

function saverFor(entries: readonly [string, Variable][]): TracedFunction<[string], null> {
  const key = cacheKey(entries);
  let saver = savers.get(key);
  if (!saver) {
    saver = tfFunction<[string], null>(
      (prefix) => {
        SaveV2({
          prefix,
          tensorNames: entries.map(([name]) => name),
          shapeAndSlices: entries.map(() => ''),
          tensors: entries.map(([, variable]) => variable.value()),
        });
        return null;
      },
      { inputSignature: PREFIX_SIGNATURE, name: 'save_variables' },
    );
    savers.set(key, saver);
  }
  return saver;
}

/** One RestoreV2 run reading the tensors stored under `keys`, of the given dtypes. */
function readerFor(keys: readonly string[], dtypes: readonly DType[]): TracedFunction<[string], Tensor[]> {
  const cached = JSON.stringify([keys, dtypes]);
  let reader = readers.get(cached);
  if (!reader) {
    reader = tfFunction<[string], Tensor[]>(
      (prefix) => RestoreV2({ prefix, tensorNames: [...keys], shapeAndSlices: keys.map(() => ''), dtypes: [...dtypes] }),
      { inputSignature: PREFIX_SIGNATURE, name: 'restore_variables' },
    );
    readers.set(cached, reader);
  }
  return reader;
}

/** One session run assigning each variable its value (traced assigns count as writes, so host caches follow). */
function assignerFor(variables: readonly Variable[]): TracedFunction<Tensor[], null> {
  const key = JSON.stringify(variables.map((variable) => variable.handleOp.name));
  let assigner = assigners.get(key);
  if (!assigner) {
    assigner = tfFunction<Tensor[], null>(
      (...values) => {
        variables.forEach((variable, i) => variable.assign(values[i]));
        return null;
      },
      { inputSignature: variables.map((variable) => new TensorSpec(variable.shape, variable.dtype)), name: 'assign_restored' },
    );
    assigners.set(key, assigner);
  }
  return assigner;
}

/** Removes the files a failed or killed save left under the temporary prefix (TF's writer adds `.tempstate…` names). */
function removeTemporaryFiles(temporaryPrefix: string): void {
  const dir = nodePath.dirname(temporaryPrefix);
  const base = `${nodePath.basename(temporaryPrefix)}.`;
  for (const name of fs.readdirSync(dir)) {
    const file = nodePath.join(dir, name);
    if (name.startsWith(base) && fs.lstatSync(file).isFile()) fs.rmSync(file, { force: true });
  }
}

/** Writes a checkpoint at `prefix` by the journal above: a kill at any point leaves the old or the new one. */
function writeCheckpoint(prefix: string, entries: readonly [string, Variable][]): void {
  checkReplaceable(prefix);
  const temporary = temporaryPrefixOf(prefix);
  const dir = nodePath.dirname(indexFile(prefix));
  fs.mkdirSync(dir, { recursive: true });
  completeSwitch(prefix);
  removeTemporaryFiles(temporary);
  try {
    saverFor(entries)(temporary);
  } catch (e) {
    removeTemporaryFiles(temporary);
    throw e;
  }
  const record: CommitRecord = {
    format: COMMIT_FORMAT,
    temporary: nodePath.basename(temporary),
    dataBytes: syncFile(dataFile(temporary)),
    indexBytes: syncFile(indexFile(temporary)),
  };
  const pendingCommit = `${temporary}.commit`;
  fs.writeFileSync(pendingCommit, JSON.stringify(record));
  syncFile(pendingCommit);
  syncDirectory(dir);
  fs.renameSync(pendingCommit, commitFile(prefix));
  syncDirectory(dir);
  completeSwitch(prefix);
}

/**
 * Writes the variables' values to a checkpoint at `path` under the given keys. The files are written
 * under `<path>_temp` in the same directory and then switched into place through a commit record, so
 * a save that fails, or a process killed at any instant, leaves `path` loading either the previous
 * checkpoint or the new one. `path` is a local path (or file:// URL); a directory where one of the
 * checkpoint's files goes is an error before anything is moved.
 */
export function saveVariables(path: string, namedVariables: NamedVariables): void {
  const prefix = checkpointPrefix(path);
  writeCheckpoint(prefix, namedEntries(namedVariables));
}

/** Where a restored value comes from and what takes it: an existing variable, or one to be made after the checks. */
interface Restore {
  key: string;
  dtype: DType;
  shape: readonly number[];
  /** Names the target in errors. */
  target: string;
  /** Why the target would refuse a value (which the checks find before anything is assigned), or undefined. */
  refuses?: (value: Tensor) => string | undefined;
}

/** Checks every target against the index before anything is read or assigned. */
function checkAgainstIndex(path: string, restores: readonly Restore[], index: Map<string, CheckpointEntry>): void {
  for (const { key, dtype, shape, target } of restores) {
    const stored = index.get(key);
    if (!stored) throw new NotFoundError(`Key '${key}' (${target}) not found in checkpoint '${path}'`);
    if (stored.dtype !== dtype) {
      const storedName = typeof stored.dtype === 'number' ? `dtype enum ${stored.dtype}` : stored.dtype;
      throw new InvalidArgumentError(
        `Cannot restore '${key}' into ${target}: the checkpoint holds ${storedName}, the variable is ${dtype}`,
      );
    }
    if (stored.shape.length !== shape.length || stored.shape.some((d, i) => d !== shape[i])) {
      throw new InvalidArgumentError(
        `Cannot restore '${key}' into ${target}: the checkpoint holds shape ${shapeString(stored.shape)}, ` +
          `the variable has shape ${shapeString(shape as number[])}`,
      );
    }
  }
}

function restoreOf(key: string, variable: Variable): Restore {
  if (variable instanceof LearningRateVariable && variable.schedule !== undefined) {
    throw new TypeError(`Cannot restore '${key}' into variable '${variable.name}': it is a learning rate that follows a schedule`);
  }
  return { key, dtype: variable.dtype, shape: variable.shape, target: `variable '${variable.name}'`, refuses: refusalOf(variable) };
}

/** The values an optimizer's variables refuse, as their own writes do: a checkpoint may hold anything. */
function refusalOf(variable: Variable): Restore['refuses'] {
  if (variable instanceof LearningRateVariable) {
    return (value) => {
      const rate = value.numpy();
      return typeof rate === 'number' && Number.isFinite(rate) && rate >= 0
        ? undefined
        : `a learning rate must be a finite, non-negative number, the checkpoint holds ${String(rate)}`;
    };
  }
  if (variable instanceof IterationsVariable) {
    return (value) => {
      const count = value.numpy();
      return typeof count === 'bigint' && count >= 0n
        ? undefined
        : `optimizer iterations must be a non-negative integer, the checkpoint holds ${String(count)}`;
    };
  }
  return undefined;
}

/**
 * Reads the values of `restores` in one run and checks those a variable would refuse (a learning rate
 * must be finite and non-negative, iterations non-negative). Returns them by key; the caller disposes them.
 */
function readValues(path: string, prefix: string, restores: readonly Restore[]): Map<string, Tensor> {
  let values: Tensor[];
  try {
    values = readerFor(
      restores.map((r) => r.key),
      restores.map((r) => r.dtype),
    )(prefix);
  } catch (e) {
    // TF's messages (e.g. a truncated data file's) do not always name the checkpoint.
    if (e instanceof OpError) throw createError(e.code, `Restoring checkpoint '${path}': ${e.message}`);
    throw e;
  }
  const byKey = new Map(restores.map(({ key }, i) => [key, values[i]]));
  try {
    restores.forEach(({ key, refuses }, i) => {
      const why = refuses?.(values[i]);
      if (why !== undefined) throw new InvalidArgumentError(`Cannot restore '${key}' from checkpoint '${path}': ${why}`);
    });
  } catch (e) {
    for (const value of values) value.dispose();
    throw e;
  }
  return byKey;
}

/** Assigns every variable its value in one session run. */
function assignAll(entries: readonly [string, Variable][], values: ReadonlyMap<string, Tensor>): void {
  const variables = entries.map(([, variable]) => variable);
  assignerFor(variables)(
    ...entries.map(([key]) => {
      const value = values.get(key);
      if (value === undefined) throw new Error(`internal: no value was read for checkpoint key '${key}'`);
      return value;
    }),
  );
}

/**
 * Assigns the values stored under the given keys to the variables. A missing key is a NotFoundError,
 * a dtype or shape that differs an InvalidArgumentError, a damaged file a DataLossError; in each case
 * no variable is changed. Everything is read and checked first, then assigned in one run.
 */
export function loadVariables(path: string, namedVariables: NamedVariables): void {
  const prefix = checkpointPrefix(path);
  const entries = namedEntries(namedVariables);
  const restores = entries.map(([key, variable]) => restoreOf(key, variable));
  const index = readCheckpointIndex(prefix);
  checkAgainstIndex(path, restores, index);
  const values = readValues(path, prefix, restores);
  try {
    assignAll(entries, values);
  } finally {
    for (const value of values.values()) value.dispose();
  }
}

// ---- tf.train.Checkpoint ----

/** Checkpoints that track layers or models, with TF's object graph: keras/saving/checkpoint_weights.ts registers them (an import from here would be a cycle through Keras' models). */
export interface ObjectGraphIO {
  write(path: string, objects: { readonly [key: string]: unknown }, owner: object, extra: [string, Variable][]): void;
  restore(path: string, objects: { readonly [key: string]: unknown }, extra: [string, Variable][]): void;
}

let objectGraphIO: ObjectGraphIO | undefined;

export function registerObjectGraphIO(io: ObjectGraphIO): void {
  objectGraphIO = io;
}

function requireObjectGraphIO(): ObjectGraphIO {
  // Loaded on first use when nothing has loaded Keras' saving modules yet (a Layer exists, so Keras is loaded).
  if (objectGraphIO === undefined) require('../keras/saving/checkpoint_weights');
  if (objectGraphIO === undefined)
    throw new Error('internal: keras/saving/checkpoint_weights did not register the object-graph checkpoint writer');
  return objectGraphIO;
}

/** What a Checkpoint tracks: variables, optimizers, and objects of them (keys join with '/'). */
export type Trackable = Variable | Optimizer | Layer | { readonly [key: string]: Trackable };

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Python's tf.train.Checkpoint: `new Checkpoint({ model, optimizer })`, `new Checkpoint({ optimizer, kernel })`.
 * With a layer or model among the objects, the checkpoint holds TF's object graph and Python's names
 * for a Keras 3 model (keras/saving/checkpoint_weights.ts), so Python's Checkpoint(model=...).restore()
 * reads it and this one reads Python's. Without one, the keys are these:
 * An optimizer is saved as `<key>/iterations`, `<key>/learning_rate` (unless it follows a schedule),
 * its other state variables (`<key>/u_product` of Nadam) and `<key>/slots/<variable key>/<slot>` for
 * each tracked variable it has slots for, so training resumes exactly. `save_counter` numbers the saves.
 */
export class Checkpoint {
  /** Python's `save_counter`: how many times save() has run, saved with the checkpoint. */
  readonly saveCounter = new Variable(BigInt(0), { name: 'save_counter', trainable: false, dtype: 'int64' });
  private readonly variables: [string, Variable][] = [];
  private readonly optimizers: [string, Optimizer][] = [];
  /** Whether a layer or model is tracked: then the checkpoint is written with Python's object graph and names. */
  private objectGraph = false;
  private readonly objects: { readonly [key: string]: Trackable };

  constructor(objects: { readonly [key: string]: Trackable }) {
    if (!isPlainObject(objects)) throw new TypeError('Checkpoint takes an object of variables and optimizers');
    this.objects = objects;
    const visit = (value: unknown, key: string): void => {
      if (value instanceof Variable) this.variables.push([key, value]);
      else if (value instanceof Optimizer) this.optimizers.push([key, value]);
      else if (value instanceof Layer) this.objectGraph = true;
      else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) visit(v, `${key}/${k}`);
      else
        throw new TypeError(`Checkpoint can track variables, optimizers, layers, models and objects of them; '${key}' is ${String(value)}`);
    };
    for (const [key, value] of Object.entries(objects)) visit(value, key);
  }

  /** Every saved variable by key: the tracked ones, the optimizers' state and save_counter. */
  private entries(): [string, Variable][] {
    const entries: [string, Variable][] = [['save_counter', this.saveCounter], ...this.variables];
    for (const [key, optimizer] of this.optimizers) {
      entries.push([`${key}/iterations`, optimizer.iterations]);
      if (optimizer.learningRate.schedule === undefined) entries.push([`${key}/learning_rate`, optimizer.learningRate]);
      for (const [name, variable] of optimizer.stateVariables) entries.push([`${key}/${name}`, variable]);
      for (const [variableKey, variable] of this.variables) {
        for (const [slot, slotVariable] of optimizer.slotsOf(variable)) {
          entries.push([`${key}/slots/${variableKey}/${slot}`, slotVariable]);
        }
      }
    }
    return entries;
  }

  /** Writes the checkpoint at exactly `path`; returns it. */
  write(path: string): string {
    if (this.objectGraph) requireObjectGraphIO().write(checkpointPrefix(path), this.objects, this, [['save_counter', this.saveCounter]]);
    else writeCheckpoint(checkpointPrefix(path), this.entries());
    return path;
  }

  /**
   * Python's save(prefix): counts the save and writes `<prefix>-<save_counter>`; returns that path.
   * A save that fails leaves save_counter as it was.
   */
  save(prefix: string): string {
    checkpointPrefix(prefix);
    this.saveCounter.assignAdd(BigInt(1));
    try {
      return this.write(`${prefix}-${this.saveCounter.numpy()}`);
    } catch (e) {
      this.saveCounter.assignSub(BigInt(1));
      throw e;
    }
  }

  /**
   * Restores every tracked variable and optimizer state from `path`. An optimizer that has not made
   * its slots yet builds them for the variables the checkpoint holds slots of, as Keras does when it
   * loads optimizer state into a fresh optimizer. All or nothing: every key, dtype, shape and value
   * (a learning rate must be finite and non-negative, iterations non-negative) is checked first; only then are slots built and
   * every variable assigned, in one run. A restore that fails changes no variable and builds no slot.
   */
  restore(path: string): void {
    const prefix = checkpointPrefix(path);
    if (this.objectGraph) {
      requireObjectGraphIO().restore(prefix, this.objects, [['save_counter', this.saveCounter]]);
      return;
    }
    const index = readCheckpointIndex(prefix);
    // Checkpoints written by saveVariables have no save_counter.
    const present = this.entries().filter(([key]) => key !== 'save_counter' || index.has(key));
    const restores = present.map(([key, variable]) => restoreOf(key, variable));
    // The slots that unbuilt optimizers will make: planned from optimizer.slotSpecs() but made only after the checks.
    const builds: [Optimizer, Variable[]][] = [];
    for (const [key, optimizer] of this.optimizers) {
      if (optimizer.built) continue;
      const hasSlots = (variableKey: string) => {
        const slotPrefix = `${key}/slots/${variableKey}/`;
        return [...index.keys()].some((k) => k.startsWith(slotPrefix) && !k.slice(slotPrefix.length).includes('/'));
      };
      const withSlots = this.variables.filter(([variableKey]) => hasSlots(variableKey));
      if (withSlots.length === 0) continue;
      builds.push([optimizer, withSlots.map(([, variable]) => variable)]);
      for (const [variableKey, variable] of withSlots) {
        for (const { name: slot, shape, dtype } of optimizer.slotSpecs(variable)) {
          restores.push({
            key: `${key}/slots/${variableKey}/${slot}`,
            dtype,
            shape,
            target: `the '${slot}' slot of variable '${variable.name}'`,
          });
        }
      }
    }
    checkAgainstIndex(path, restores, index);
    const values = readValues(path, prefix, restores);
    try {
      for (const [optimizer, variables] of builds) optimizer.build(variables);
      const entries = this.entries().filter(([key]) => key !== 'save_counter' || index.has(key));
      // The slots just built are what was planned; checked again before anything is assigned.
      checkAgainstIndex(
        path,
        entries.map(([key, variable]) => restoreOf(key, variable)),
        index,
      );
      assignAll(entries, values);
    } finally {
      for (const value of values.values()) value.dispose();
    }
  }
}
