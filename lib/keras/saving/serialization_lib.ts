// Keras' serialization (keras/src/saving/serialization_lib.py): an object as the dict
// {module, class_name, config, registered_name}, and back through the registry. Every family's
// serialize/deserialize is this with the family's built-ins as `moduleObjects`.
import { isDeepStrictEqual } from 'node:util';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { snakeToCamel } from '../utils/naming';
import { getRegisteredName, getRegisteredObject, KerasObject } from './object_registration';

/** A `getConfig()` dict: Keras' snake_case keys and JSON values. */
export type Config = Record<string, unknown>;

/** The dict `keras.saving.serialize_keras_object()` produces. */
export interface SerializedKerasObject {
  /** The public module of a built-in ('keras.layers'); null for user classes. */
  module: string | null;
  class_name: string;
  config: Config;
  /** 'package>name' for user classes (their class name when not registered); null for built-ins. */
  registered_name: string | null;
  /** A built layer's `{input_shape}`; deserialization builds the layer for it. */
  build_config?: Config;
}

/** What a dict needs to name a class: `class_name`, the rest optional (Keras accepts `{class_name, config}`). */
export type SerializedLike = Pick<SerializedKerasObject, 'class_name'> & Partial<Omit<SerializedKerasObject, 'class_name'>>;

export interface Configurable {
  getConfig(): Config;
}

interface Buildable {
  built?: boolean;
  getBuildConfig?(): Config | null;
  buildFromConfig?(config: Config): void;
}

const publicModules = new Map<KerasObject, string>();
const publicSymbols = new Map<string, KerasObject>();

/** Keras' `@keras_export`: records built-in classes under their public module, which serialize() reports; returns them by name. */
export function kerasExport(module: string, symbols: readonly KerasObject[]): Map<string, KerasObject> {
  for (const symbol of symbols) {
    publicModules.set(symbol, module);
    publicSymbols.set(`${module}.${symbol.name}`, symbol);
  }
  return new Map(symbols.map((symbol) => [symbol.name, symbol]));
}

/** The classes exported under `module` so far, by class name (each class file exports itself). */
export function exportedFrom(module: string): Map<string, KerasObject> {
  const found = new Map<string, KerasObject>();
  for (const [symbol, of] of publicModules) if (of === module) found.set(symbol.name, symbol);
  return found;
}

/** Keras' `serialize_keras_object` for objects with `getConfig()`. */
export function serializeKerasObject(obj: Configurable): SerializedKerasObject {
  if (typeof obj !== 'object' || obj === null || typeof obj.getConfig !== 'function') {
    throw new TypeError(`Cannot serialize ${describeValue(obj)}: only objects with a getConfig() method can be serialized.`);
  }
  // A class may serialize as another (Keras' `Model(inputs, outputs)` is a 'Functional').
  const cls = (obj as { serializedClass?: KerasObject }).serializedClass ?? obj.constructor;
  const module = publicModules.get(cls) ?? null;
  const serialized: SerializedKerasObject = {
    module,
    class_name: cls.name,
    config: obj.getConfig(),
    registered_name: module === null ? getRegisteredName(cls) : null,
  };
  const buildConfig = (obj as Buildable).getBuildConfig?.();
  if (buildConfig) serialized.build_config = buildConfig;
  return serialized;
}

export interface DeserializeOptions<T = unknown> {
  /** The family's built-ins under the names its `get()` takes (Keras' `module_objects`). */
  moduleObjects?: ReadonlyMap<string, KerasObject>;
  /** Classes or functions by name, searched after the registry (Keras' `custom_objects`). */
  customObjects?: Readonly<Record<string, KerasObject>>;
  /** The family's noun in messages ('initializer'). */
  what?: string;
  /** The family's error for a name nothing resolves; default Keras' TypeError. */
  unknown?: (className: string) => Error;
  /** The family's base class: anything else is refused (a metric's name given to losses.deserialize). */
  base?: abstract new (
    ...args: never[]
  ) => T;
}

/** The class (or function) a serialized dict names: registered first, then the family's built-ins, then Keras' public modules. */
export function retrieveObject(serialized: SerializedLike, options: DeserializeOptions = {}): KerasObject {
  const className = serialized.class_name;
  const registeredName = typeof serialized.registered_name === 'string' ? serialized.registered_name : className;
  const found =
    getRegisteredObject(registeredName, options.customObjects, options.moduleObjects) ??
    options.moduleObjects?.get(className) ??
    (typeof serialized.module === 'string' ? publicSymbols.get(`${serialized.module}.${className}`) : undefined);
  if (found !== undefined) return found;
  throw (
    options.unknown?.(className) ??
    new TypeError(
      `Cannot deserialize object of type \`${className}\`. If \`${className}\` is a custom class, ` +
        'please register it using `registerKerasSerializable()`.',
    )
  );
}

/** Keras' `deserialize_keras_object` for class dicts: the class's `fromConfig(config)`, built when the dict has a `build_config`. */
export function deserializeKerasObject<T = unknown>(serialized: SerializedLike, options: DeserializeOptions<T> = {}): T {
  if (!isPlainObject(serialized) || typeof serialized.class_name !== 'string') {
    throw new TypeError(
      `A serialized ${options.what ?? 'object'} must be an object with a string \`class_name\` and a \`config\`. Received: ${describeValue(serialized)}`,
    );
  }
  const cls = retrieveObject(serialized, options) as KerasObject & { fromConfig?(config: Config): T };
  const className = serialized.class_name;
  const config = serialized.config === undefined ? {} : serialized.config;
  if (!isPlainObject(config)) throw new TypeError(`${className} could not be deserialized: its \`config\` must be an object.`);
  if (typeof cls.fromConfig !== 'function') {
    throw new TypeError(`Unable to reconstruct an instance of '${className}' because the class is missing a \`fromConfig()\` method.`);
  }
  const instance = cls.fromConfig(config);
  if (options.base !== undefined && !(instance instanceof options.base)) {
    throw new TypeError(`${className} is not a ${options.base.name}: it cannot be deserialized as one.`);
  }
  const buildable = instance as Buildable;
  if (isPlainObject(serialized.build_config) && buildable.built === false) buildable.buildFromConfig?.(serialized.build_config);
  return instance;
}

/**
 * A Keras config as constructor options, keys camelCased. `unsupported` holds the entries Keras
 * reports for features this port lacks, at the value that turns each off: that value is accepted
 * (and dropped), any other is a RangeError rather than silently ignored.
 */
export function optionsFromConfig(owner: string, config: unknown, unsupported: Readonly<Config> = {}): Config {
  if (!isPlainObject(config)) throw new TypeError(`${owner}.fromConfig expects a config object. Received: ${describeValue(config)}`);
  const options: Config = {};
  for (const [key, value] of Object.entries(config)) {
    if (!Object.hasOwn(unsupported, key)) {
      options[snakeToCamel(key)] = value;
    } else if (!isDeepStrictEqual(value, unsupported[key])) {
      throw new RangeError(
        `${owner} does not support \`${key}\` other than ${describeValue(unsupported[key])}. Received: ${key}=${describeValue(value)}`,
      );
    }
  }
  return options;
}
