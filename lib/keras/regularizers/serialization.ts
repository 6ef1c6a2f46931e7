import { KerasObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { L1 } from './l1';
import { L1L2 } from './l1_l2';
import { L2 } from './l2';
import { Regularizer } from './regularizer';

/** A name ('l2', 'L2', 'l1l2', 'l1_l2'), a serialized dict, or an instance. */
export type RegularizerIdentifier = string | SerializedLike | Regularizer;

const BUILT_INS = [L1, L2, L1L2];
kerasExport('keras.regularizers', BUILT_INS);

/** Keras' names: the classes and their snake_case aliases (plus camelCase 'l1L2'). */
const MODULE_OBJECTS = new Map<string, KerasObject>([
  ['L1', L1],
  ['L2', L2],
  ['L1L2', L1L2],
  ['l1', L1],
  ['l2', L2],
  ['l1_l2', L1L2],
  ['l1l2', L1L2],
  ['l1L2', L1L2],
]);

function unknownRegularizer(name: string): RangeError {
  return new RangeError(
    `Unknown regularizer: '${name}'. Valid names: l1, l2, l1l2 (Keras 2's l1_l2 too; or L1, L2, L1L2), and names registered with registerKerasSerializable().`,
  );
}

/** Keras' `regularizers.serialize`; null for none (as in layer configs). */
export function serialize(regularizer: Regularizer | null): SerializedKerasObject | null {
  return regularizer === null ? null : serializeKerasObject(regularizer);
}

export function deserialize(serialized: SerializedLike): Regularizer {
  return deserializeKerasObject(serialized, {
    moduleObjects: MODULE_OBJECTS,
    what: 'regularizer',
    unknown: unknownRegularizer,
    base: Regularizer,
  });
}

/** Keras' `regularizers.get`: null/undefined → null. */
export function get(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') return deserialize({ class_name: identifier, config: {} });
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  throw new TypeError(`Could not interpret regularizer identifier: ${describeValue(identifier)}`);
}
