// tf.keras.optimizers
import { KerasObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { isPlainObject } from '../utils/argument_validation';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { Optimizer } from './optimizer';
import { SGD } from './sgd';

export * as schedules from './schedules';
export { Optimizer, OptimizerOptions, GradientAndVariable, zip } from './optimizer';
export { Adam, AdamOptions } from './adam';
export { AdamW } from './adamw';
export { SGD, SGDOptions } from './sgd';

/** An optimizer, its name ('adam', 'adamw', 'sgd', any case, or a registered 'package>Name'), or a serialized dict. */
export type OptimizerIdentifier = Optimizer | string | SerializedLike;

const BUILT_INS = [Adam, AdamW, SGD];
kerasExport('keras.optimizers', BUILT_INS);
/** Keras' ALL_OBJECTS_DICT: lower-case class names. */
const MODULE_OBJECTS = new Map<string, KerasObject>(BUILT_INS.map((cls) => [cls.name.toLowerCase(), cls]));
const VALID_NAMES = [...MODULE_OBJECTS.keys()].join(', ');

/** Keras' `serialize(optimizer)`. */
export function serialize(optimizer: Optimizer): SerializedKerasObject {
  return serializeKerasObject(optimizer);
}

function fromDict(serialized: SerializedLike, unknown: (name: string) => Error): Optimizer {
  const lower = isPlainObject(serialized) && typeof serialized.class_name === 'string' ? serialized.class_name.toLowerCase() : undefined;
  // Keras' deserialize matches built-in class names in any case.
  const config = lower !== undefined && MODULE_OBJECTS.has(lower) ? { ...serialized, class_name: lower } : serialized;
  return deserializeKerasObject(config, { moduleObjects: MODULE_OBJECTS, what: 'optimizer', unknown, base: Optimizer });
}

/** Keras' `deserialize(dict)`: built-in class names in any case ('Adam', 'adam'), registered classes by their registered name. */
export function deserialize(serialized: SerializedLike): Optimizer {
  return fromDict(
    serialized,
    (name) =>
      new TypeError(
        `Could not locate optimizer '${name}'. Valid names: ${VALID_NAMES}; a custom class must be registered with registerKerasSerializable().`,
      ),
  );
}

/** Keras' `optimizers.get`: an Optimizer from an instance, a name or a serialized dict. */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  const notAnOptimizer = () => new RangeError(`Could not interpret optimizer identifier: ${String(identifier)}`);
  if (typeof identifier !== 'string') throw notAnOptimizer();
  return fromDict({ class_name: identifier, config: {} }, notAnOptimizer);
}
