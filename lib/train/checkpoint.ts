// Checkpoints in TF's V2 format (`<path>.index` + `<path>.data-00000-of-00001`), written by SaveV2
// and read by RestoreV2, so Python's tf.train.load_checkpoint reads ours and we read its.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { DTYPE_ENUM, DType } from '../dtypes';
import {
  DataLossError, InvalidArgumentError, NotFoundError, OpError, PermissionDeniedError, UnimplementedError, createError,
} from '../errors';
import { TensorSpec, TracedFunction, tfFunction } from '../function';
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
}

/** `<prefix>.index` and `<prefix>.data-00000-of-00001`: the two files of a single-shard checkpoint. */
function indexFile(prefix: string): string {
  return `${prefix}.index`;
}

function dataFile(prefix: string): string {
  return `${prefix}.data-00000-of-00001`;
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
  while (!reader.done) {
    const tag = reader.varint();
    if (tag === 8) dtype = reader.varint();
    else if (tag === 18) shape = decodeShape(reader.take(reader.varint()), corrupt);
    else reader.skipField(tag & 7);
  }
  return { dtype: DTYPE_BY_ENUM.get(dtype) ?? dtype, shape };
}

/** Every tensor in the checkpoint at `prefix`, by key, in key order. */
export function readCheckpointIndex(prefix: string): Map<string, CheckpointEntry> {
  const file = indexFile(prefix);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`Checkpoint '${prefix}' not found: there is no ${file}`);
    if (code === 'EACCES') throw new PermissionDeniedError(`Cannot read ${file}: permission denied`);
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
const restorers = new Map<string, TracedFunction<[string], Tensor[]>>();

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

function restorerFor(entries: readonly [string, Variable][]): TracedFunction<[string], Tensor[]> {
  const key = cacheKey(entries);
  let restorer = restorers.get(key);
  if (!restorer) {
    restorer = tfFunction<[string], Tensor[]>(
      (prefix) =>
        RestoreV2({
          prefix,
          tensorNames: entries.map(([name]) => name),
          shapeAndSlices: entries.map(() => ''),
          dtypes: entries.map(([, variable]) => variable.dtype),
        }),
      { inputSignature: PREFIX_SIGNATURE, name: 'restore_variables' },
    );
    restorers.set(key, restorer);
  }
  return restorer;
}

/** Removes the files a failed save left under the temporary prefix (TF's writer adds `.tempstate…` names). */
function removeTemporaryFiles(temporaryPrefix: string): void {
  const dir = nodePath.dirname(temporaryPrefix);
  const base = `${nodePath.basename(temporaryPrefix)}.`;
  for (const name of fs.readdirSync(dir)) {
    const file = nodePath.join(dir, name);
    if (name.startsWith(base) && fs.lstatSync(file).isFile()) fs.rmSync(file, { force: true });
  }
}

/**
 * Writes the variables' values to a checkpoint at `path` under the given keys. The files are written
 * under `<path>_temp` in the same directory and then renamed into place, index last, so a save that
 * fails or is killed part way leaves any previous checkpoint at `path` loadable.
 */
export function saveVariables(path: string, namedVariables: NamedVariables): void {
  const entries = namedEntries(namedVariables);
  const temporaryPrefix = `${path}_temp`;
  fs.mkdirSync(nodePath.dirname(path), { recursive: true });
  try {
    saverFor(entries)(temporaryPrefix);
  } catch (e) {
    removeTemporaryFiles(temporaryPrefix);
    throw e;
  }
  fs.renameSync(dataFile(temporaryPrefix), dataFile(path));
  fs.renameSync(indexFile(temporaryPrefix), indexFile(path));
}

/** Checks every variable against the index before anything is assigned: a failed load changes nothing. */
function checkAgainstIndex(path: string, entries: readonly [string, Variable][], index: Map<string, CheckpointEntry>): void {
  for (const [key, variable] of entries) {
    const stored = index.get(key);
    if (!stored) throw new NotFoundError(`Key '${key}' (variable '${variable.name}') not found in checkpoint '${path}'`);
    if (stored.dtype !== variable.dtype) {
      const storedName = typeof stored.dtype === 'number' ? `dtype enum ${stored.dtype}` : stored.dtype;
      throw new InvalidArgumentError(
        `Cannot restore '${key}' into variable '${variable.name}': the checkpoint holds ${storedName}, the variable is ${variable.dtype}`,
      );
    }
    if (stored.shape.length !== variable.shape.length || stored.shape.some((d, i) => d !== variable.shape[i])) {
      throw new InvalidArgumentError(
        `Cannot restore '${key}' into variable '${variable.name}': the checkpoint holds shape ${shapeString(stored.shape)}, ` +
          `the variable has shape ${shapeString(variable.shape)}`,
      );
    }
  }
}

function restoreEntries(path: string, entries: readonly [string, Variable][], index: Map<string, CheckpointEntry>): void {
  checkAgainstIndex(path, entries, index);
  let values: Tensor[];
  try {
    values = restorerFor(entries)(path);
  } catch (e) {
    // TF's messages (e.g. a truncated data file's) do not always name the checkpoint.
    if (e instanceof OpError) throw createError(e.code, `Restoring checkpoint '${path}': ${e.message}`);
    throw e;
  }
  try {
    // Each variable's own (eager) assign, so subclasses keep their host state in sync (optimizer.iterations).
    entries.forEach(([, variable], i) => variable.assign(values[i]));
  } finally {
    for (const value of values) value.dispose();
  }
}

/**
 * Assigns the values stored under the given keys to the variables. A missing key is a NotFoundError,
 * a dtype or shape that differs an InvalidArgumentError, a damaged file a DataLossError; in each case
 * no variable is changed.
 */
export function loadVariables(path: string, namedVariables: NamedVariables): void {
  const entries = namedEntries(namedVariables);
  restoreEntries(path, entries, readCheckpointIndex(path));
}

// ---- tf.train.Checkpoint ----

/** What a Checkpoint tracks: variables, optimizers, and objects of them (keys join with '/'). */
export type Trackable = Variable | Optimizer | { readonly [key: string]: Trackable };

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Python's tf.train.Checkpoint, for variables and optimizers: `new Checkpoint({ optimizer, kernel })`.
 * An optimizer is saved as `<key>/iterations`, `<key>/learning_rate` (unless it follows a schedule)
 * and `<key>/slots/<variable key>/<slot>` for each tracked variable it has slots for, so training
 * resumes exactly. `save_counter` numbers the saves.
 */
export class Checkpoint {
  /** Python's `save_counter`: how many times save() has run, saved with the checkpoint. */
  readonly saveCounter = new Variable(BigInt(0), { name: 'save_counter', trainable: false, dtype: 'int64' });
  private readonly variables: [string, Variable][] = [];
  private readonly optimizers: [string, Optimizer][] = [];

  constructor(objects: { readonly [key: string]: Trackable }) {
    if (!isPlainObject(objects)) throw new TypeError('Checkpoint takes an object of variables and optimizers');
    const visit = (value: unknown, key: string): void => {
      if (value instanceof Variable) this.variables.push([key, value]);
      else if (value instanceof Optimizer) this.optimizers.push([key, value]);
      else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) visit(v, `${key}/${k}`);
      else throw new TypeError(`Checkpoint can track variables, optimizers and objects of them; '${key}' is ${String(value)}`);
    };
    for (const [key, value] of Object.entries(objects)) visit(value, key);
  }

  /** Every saved variable by key: the tracked ones, the optimizers' state and save_counter. */
  private entries(): [string, Variable][] {
    const entries: [string, Variable][] = [['save_counter', this.saveCounter], ...this.variables];
    for (const [key, optimizer] of this.optimizers) {
      entries.push([`${key}/iterations`, optimizer.iterations]);
      if (optimizer.learningRate.schedule === undefined) entries.push([`${key}/learning_rate`, optimizer.learningRate]);
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
    saveVariables(path, this.entries());
    return path;
  }

  /** Python's save(prefix): counts the save and writes `<prefix>-<save_counter>`; returns that path. */
  save(prefix: string): string {
    this.saveCounter.assignAdd(BigInt(1));
    return this.write(`${prefix}-${this.saveCounter.numpy()}`);
  }

  /**
   * Restores every tracked variable and optimizer state from `path`. An optimizer that has not made
   * its slots yet builds them first for the variables the checkpoint holds slots of, as Keras does
   * when it loads optimizer state into a fresh optimizer.
   */
  restore(path: string): void {
    const index = readCheckpointIndex(path);
    for (const [key, optimizer] of this.optimizers) {
      if (optimizer.built) continue;
      const hasSlots = (variableKey: string) => {
        const prefix = `${key}/slots/${variableKey}/`;
        return [...index.keys()].some((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'));
      };
      const withSlots = this.variables.filter(([variableKey]) => hasSlots(variableKey));
      if (withSlots.length > 0) optimizer.build(withSlots.map(([, variable]) => variable));
    }
    // Checkpoints written by saveVariables have no save_counter.
    const entries = this.entries().filter(([key]) => key !== 'save_counter' || index.has(key));
    restoreEntries(path, entries, index);
  }
}
