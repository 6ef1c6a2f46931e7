// tf.keras.optimizers
import { KerasObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  exportedFrom,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { isPlainObject } from '../utils/argument_validation';
import { Optimizer } from './optimizer';

export * as schedules from './schedules';
export { Optimizer, OptimizerOptions, GradientAndVariable, zip } from './optimizer';
export { Adam, AdamOptions } from './adam';
export { AdamW } from './adamw';
export { SGD, SGDOptions } from './sgd';
export { RMSprop, RMSpropOptions } from './rmsprop';
export { Adagrad, AdagradOptions } from './adagrad';
export { Adadelta, AdadeltaOptions } from './adadelta';
export { Adamax, AdamaxOptions } from './adamax';
export { Nadam, NadamOptions } from './nadam';
export { Ftrl, FtrlOptions } from './ftrl';
export { Lion, LionOptions } from './lion';
export { Lamb, LambOptions } from './lamb';
export { Adafactor, AdafactorOptions } from './adafactor';

/** An optimizer, its name ('adam', 'rmsprop', 'sgd', ... in any case, or a registered 'package>Name'), or a serialized dict. */
export type OptimizerIdentifier = Optimizer | string | SerializedLike;

/** Keras' ALL_OBJECTS_DICT: the built-in optimizers (each file exports itself) by lower-case class name. */
function moduleObjects(): Map<string, KerasObject> {
  return new Map([...exportedFrom('keras.optimizers')].map(([name, cls]) => [name.toLowerCase(), cls]));
}

/** Keras' `serialize(optimizer)`. */
export function serialize(optimizer: Optimizer): SerializedKerasObject {
  return serializeKerasObject(optimizer);
}

function fromDict(serialized: SerializedLike, unknown: (name: string) => Error): Optimizer {
  const lower = isPlainObject(serialized) && typeof serialized.class_name === 'string' ? serialized.class_name.toLowerCase() : undefined;
  // Keras' deserialize matches built-in class names in any case.
  const builtIns = moduleObjects();
  const config = lower !== undefined && builtIns.has(lower) ? { ...serialized, class_name: lower } : serialized;
  return deserializeKerasObject(config, { moduleObjects: builtIns, what: 'optimizer', unknown, base: Optimizer });
}

/** Keras' `deserialize(dict)`: built-in class names in any case ('Adam', 'adam'), registered classes by their registered name. */
export function deserialize(serialized: SerializedLike): Optimizer {
  return fromDict(
    serialized,
    (name) =>
      new TypeError(
        `Could not locate optimizer '${name}'. Valid names: ${[...moduleObjects().keys()].sort().join(', ')}; a custom class must be registered with registerKerasSerializable().`,
      ),
  );
}

/** Keras' `optimizers.get`: an Optimizer from an instance, a name or a serialized dict. */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  const notAnOptimizer = () =>
    new RangeError(
      `Could not interpret optimizer identifier: ${String(identifier)}. Valid names: ${[...moduleObjects().keys()].sort().join(', ')}`,
    );
  if (typeof identifier !== 'string') throw notAnOptimizer();
  return fromDict({ class_name: identifier, config: {} }, notAnOptimizer);
}
