import { describeValue } from '../optimizers/schedules/options';
import { Constant } from './constant';
import { GlorotNormal } from './glorot_normal';
import { GlorotUniform } from './glorot_uniform';
import { HeNormal } from './he_normal';
import { HeUniform } from './he_uniform';
import { Initializer, InitializerConfig } from './initializer';
import { Ones } from './ones';
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

interface InitializerClass {
  readonly name: string;
  fromConfig(config: InitializerConfig): Initializer;
}

const KERAS_MODULE = 'keras.initializers';

const BUILT_INS: readonly InitializerClass[] = [
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Ones,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
];

/** Keras' `to_snake_case`: 'GlorotUniform' → 'glorot_uniform'. */
function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras' names (class name, snake_case, its aliases) plus camelCase for JS. */
const BY_NAME = new Map<string, InitializerClass>([
  ...BUILT_INS.flatMap((cls) => [
    [cls.name, cls] as const,
    [snakeCase(cls.name), cls] as const,
    [cls.name[0].toLowerCase() + cls.name.slice(1), cls] as const,
  ]),
  ['normal', RandomNormal],
  ['one', Ones],
  ['uniform', RandomUniform],
  ['zero', Zeros],
]);

function classNamed(name: string): InitializerClass {
  const cls = BY_NAME.get(name);
  if (cls === undefined) {
    const valid = [...new Set(BUILT_INS.map((c) => snakeCase(c.name)))].sort().join(', ');
    throw new RangeError(
      `Unknown initializer: '${name}'. Valid names: ${valid}; ` +
        "also their class names ('GlorotUniform') and camelCase forms ('glorotUniform').",
    );
  }
  return cls;
}

/** Keras' `serialize(initializer)`. */
export function serialize(initializer: Initializer): Required<SerializedInitializer> {
  const className = initializer.constructor.name;
  return { module: KERAS_MODULE, class_name: className, config: initializer.getConfig(), registered_name: null };
}

/** Keras' `deserialize(dict)`: accepts `serialize()` output or just `{class_name, config}`. */
export function deserialize(serialized: SerializedInitializer): Initializer {
  if (typeof serialized !== 'object' || serialized === null || typeof serialized.class_name !== 'string') {
    throw new TypeError(
      `A serialized initializer must be an object with a string \`class_name\` and a \`config\`. Received: ${describeValue(serialized)}`,
    );
  }
  return classNamed(serialized.class_name).fromConfig(serialized.config ?? {});
}

/** Keras' `keras.initializers.get`: an initializer from a name, a serialized dict or an instance. */
export function get(identifier: InitializerIdentifier): Initializer;
export function get(identifier: null | undefined): null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return classNamed(identifier).fromConfig({});
  if (typeof identifier === 'object' && !Array.isArray(identifier)) return deserialize(identifier);
  throw new TypeError(`Could not interpret initializer identifier: ${describeValue(identifier)}`);
}
