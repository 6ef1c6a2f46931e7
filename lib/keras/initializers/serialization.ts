import { KerasObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { toSnakeCase } from '../utils/naming';
import { Constant } from './constant';
import { GlorotNormal } from './glorot_normal';
import { GlorotUniform } from './glorot_uniform';
import { HeNormal } from './he_normal';
import { HeUniform } from './he_uniform';
import { Initializer, InitializerConfig } from './initializer';
import { Ones } from './ones';
import { Orthogonal } from './orthogonal';
import { RandomNormal } from './random_normal';
import { RandomUniform } from './random_uniform';
import { TruncatedNormal } from './truncated_normal';
import { VarianceScaling } from './variance_scaling';
import { Zeros } from './zeros';

/** The dict `keras.initializers.serialize()` produces. */
export interface SerializedInitializer {
  module?: string | null;
  class_name: string;
  config?: InitializerConfig;
  registered_name?: string | null;
}

/** A name ('glorot_uniform', 'GlorotUniform', 'glorotUniform'), a serialized dict, or an instance. */
export type InitializerIdentifier = string | SerializedInitializer | Initializer;

const BUILT_INS = [
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Ones,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
];
kerasExport('keras.initializers', BUILT_INS);

/** Keras' names (class name, snake_case, its aliases) plus camelCase for JS. */
const MODULE_OBJECTS = new Map<string, KerasObject>([
  ...BUILT_INS.flatMap((cls) => [
    [cls.name, cls] as const,
    [toSnakeCase(cls.name), cls] as const,
    [cls.name[0].toLowerCase() + cls.name.slice(1), cls] as const,
  ]),
  ['normal', RandomNormal],
  ['one', Ones],
  ['orthogonal', Orthogonal],
  ['uniform', RandomUniform],
  ['zero', Zeros],
]);

function unknownInitializer(name: string): RangeError {
  const valid = [...new Set(BUILT_INS.map((c) => toSnakeCase(c.name)))].sort().join(', ');
  return new RangeError(
    `Unknown initializer: '${name}'. Valid names: ${valid}; ` +
      "also their class names ('GlorotUniform') and camelCase forms ('glorotUniform'), and names registered with registerKerasSerializable().",
  );
}

/** Keras' `serialize(initializer)`. */
export function serialize(initializer: Initializer): SerializedKerasObject {
  return serializeKerasObject(initializer);
}

/** Keras' `deserialize(dict)`: accepts `serialize()` output or just `{class_name, config}`. */
export function deserialize(serialized: SerializedLike): Initializer {
  return deserializeKerasObject(serialized, {
    moduleObjects: MODULE_OBJECTS,
    what: 'initializer',
    unknown: unknownInitializer,
    base: Initializer,
  });
}

/** Keras' `keras.initializers.get`: an initializer from a name, a serialized dict or an instance. */
export function get(identifier: InitializerIdentifier): Initializer;
export function get(identifier: null | undefined): null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return deserialize({ class_name: identifier, config: {} });
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  throw new TypeError(`Could not interpret initializer identifier: ${describeValue(identifier)}`);
}
