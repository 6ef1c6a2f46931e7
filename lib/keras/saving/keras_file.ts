// Keras 3's `.keras` file (saving_lib.save_model / load_model): a zip of `metadata.json`,
// `config.json` (the model's serialize_keras_object dict with its compile config) and
// `model.weights.h5` (the weights layout of weights_file.ts). Entries are read into memory only;
// the weights go through a private temporary file, since h5wasm reads HDF5 from files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { DataLossError, NotFoundError, PermissionDeniedError } from '../../errors';
import { version } from '../../version';
import { Model } from '../models/model';
import { deserialize as deserializeLayer } from '../layers/serialization';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { replaceFileAtomically } from './atomic_file';
import { compileConfigOf, compileFromConfig } from './compile_config';
import { readWeightsStore, WeightsStore, writeWeightsStore } from './h5_io_store';
import { customObjectScope, KerasObject } from './object_registration';
import { serializeKerasObject } from './serialization_lib';
import { loadWeightsFromStore, weightsStoreOf } from './weights_file';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';
/** The Keras version whose format these files follow. */
export const KERAS_VERSION = '3.15.1';
/** No entry may unpack to more than this (Keras' zip-bomb guard, by size instead of by ratio). */
const MAX_ENTRY_BYTES = 4 * 1024 ** 3;

/** Runs `body` with a private temporary folder, removed afterwards. */
async function withTemporaryDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'tf-napi-keras-'));
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function h5Bytes(store: WeightsStore): Promise<Uint8Array> {
  return withTemporaryDir(async (dir) => {
    const file = nodePath.join(dir, WEIGHTS);
    await writeWeightsStore(file, store);
    return new Uint8Array(fs.readFileSync(file));
  });
}

async function storeFromBytes(bytes: Uint8Array): Promise<WeightsStore> {
  return withTemporaryDir(async (dir) => {
    const file = nodePath.join(dir, WEIGHTS);
    fs.writeFileSync(file, bytes);
    return readWeightsStore(file);
  });
}

/** Keras' serialize_keras_object(model) with its compile config; a plain functional Model is Keras' 'Functional'. */
export function modelConfig(model: Model): Record<string, unknown> {
  const serialized: Record<string, unknown> = { ...serializeKerasObject(model) };
  // Keras writes the top-level Functional's registered_name as its class name.
  if (serialized.class_name === 'Functional') serialized.registered_name = 'Functional';
  const compileConfig = compileConfigOf(model);
  if (compileConfig !== null) serialized.compile_config = compileConfig;
  return serialized;
}

function dateSaved(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}@${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Config keys that Keras' optimizers accept only as Python floats (SGD's momentum, a constant learning rate). */
const OPTIMIZER_FLOAT_KEYS = new Set(['learning_rate', 'momentum']);

/**
 * JSON as Python's json.dumps writes Keras' config: the whole numbers that Keras type-checks as
 * floats are written `1.0`, not `1` (JavaScript has one number type; Python reads `1` as an int).
 */
export function configJson(config: unknown): string {
  const marker = '\u0000float:';
  const json = JSON.stringify(config, function (this: Record<string, unknown>, key, value) {
    const module = this?.module;
    const optimizerConfig = typeof module === 'string' && module.startsWith('keras.optimizers') && key === 'config';
    if (!optimizerConfig || typeof value !== 'object' || value === null) return value;
    const marked: Record<string, unknown> = { ...value };
    for (const [k, v] of Object.entries(marked)) {
      if (OPTIMIZER_FLOAT_KEYS.has(k) && typeof v === 'number' && Number.isInteger(v)) marked[k] = `${marker}${v}`;
    }
    return marked;
  });
  return json.replace(/"\\u0000float:(-?\d+)"/g, '$1.0');
}

/** Writes `model` to `path` as a .keras zip (entries stored uncompressed, as Keras writes them), atomically. */
export async function saveKerasFile(model: Model, path: string): Promise<void> {
  const config = configJson(modelConfig(model));
  const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved(), tf_napi_version: version.tfNapi });
  const weights = await h5Bytes(weightsStoreOf(model));
  const text = (s: string) => new TextEncoder().encode(s);
  const zip = zipSync({ [METADATA]: text(metadata), [CONFIG]: text(config), [WEIGHTS]: weights }, { level: 0 });
  await replaceFileAtomically(path, (temporary) => fs.writeFileSync(temporary, zip));
}

/** The config and weights entries of the .keras file at `path`, read into memory. */
export function readKerasFile(path: string): { config: Record<string, unknown>; weights: Uint8Array } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`No such file: '${path}'`);
    if (code === 'EACCES') throw new PermissionDeniedError(`Cannot read '${path}': permission denied`);
    if (code === 'EISDIR') throw new NotFoundError(`'${path}' is a directory, not a .keras file`);
    throw e;
  }
  const corrupt = (why: string) => new DataLossError(`'${path}' is not a valid .keras file: ${why}`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.name !== CONFIG && file.name !== WEIGHTS) return false;
        if (file.originalSize > MAX_ENTRY_BYTES) throw corrupt(`the entry '${file.name}' would unpack to ${file.originalSize} bytes`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataLossError) throw e;
    throw corrupt(`it is not a readable zip archive (${(e as Error).message})`);
  }
  for (const name of [CONFIG, WEIGHTS]) if (entries[name] === undefined) throw corrupt(`it has no '${name}'`);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(entries[CONFIG]));
  } catch (e) {
    throw corrupt(`its ${CONFIG} is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(config)) throw corrupt(`its ${CONFIG} is not an object: ${describeValue(config)}`);
  return { config, weights: entries[WEIGHTS] };
}

export interface LoadModelOptions {
  /** Classes or functions by name, for the user classes the file names (Keras' custom_objects). */
  customObjects?: Readonly<Record<string, KerasObject>>;
  /** Compile the model as it was saved (default true). */
  compile?: boolean;
  /**
   * Keras' safe_mode (default true): a config holding a Python lambda (a `Lambda` layer, a
   * `__lambda__` function) is refused with Keras' message. With false it is refused too, saying why:
   * tf-napi never runs code from a file (nothing it reads reaches eval, Function or require).
   */
  safeMode?: boolean;
}

/** The first Python lambda in a config (Keras serializes them as class_name '__lambda__'), or undefined. */
function findLambda(value: unknown, where: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLambda(value[i], `${where}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (record.class_name === '__lambda__' || (record.class_name === 'Lambda' && record.module === 'keras.layers')) return where;
  for (const [key, child] of Object.entries(record)) {
    const found = findLambda(child, `${where}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Keras' load_model for a .keras file: the model from its config, compiled as saved, with its weights and optimizer state. */
export async function loadKerasFile(path: string, options: LoadModelOptions = {}): Promise<Model> {
  const { config, weights } = readKerasFile(path);
  const lambda = findLambda(config, 'config');
  if (lambda !== undefined) {
    throw (options.safeMode ?? true)
      ? new TypeError(
          `'${path}' requests the deserialization of a Python lambda (at ${lambda}). This carries a potential risk of arbitrary ` +
            'code execution and thus it is disallowed by default (safeMode). Rewrite it as a registered layer class ' +
            '(tf.keras.saving.registerKerasSerializable) and pass it in customObjects.',
        )
      : new TypeError(
          `'${path}' holds a Python lambda (at ${lambda}): Python bytecode cannot run in tf-napi. Rewrite it as a registered layer class.`,
        );
  }
  const store = await storeFromBytes(weights);
  const { compile_config: compileConfig, ...serialized } = config;
  return customObjectScope(options.customObjects ?? {}, () => {
    const model = deserializeLayer(serialized as never);
    if (!(model instanceof Model)) throw new TypeError(`'${path}' holds a ${model.constructor.name}, not a model`);
    // Keras' `if compile_config:` (an uncompiled Python model saves `{}`).
    const compiled =
      compileConfig !== undefined && compileConfig !== null && !(isPlainObject(compileConfig) && Object.keys(compileConfig).length === 0);
    if ((options.compile ?? true) && compiled) compileFromConfig(model, compileConfig);
    loadWeightsFromStore(model, store, path);
    return model;
  });
}

/** The weights entry of a .keras file, as a weights store. */
export async function kerasFileWeights(path: string): Promise<WeightsStore> {
  return storeFromBytes(readKerasFile(path).weights);
}
