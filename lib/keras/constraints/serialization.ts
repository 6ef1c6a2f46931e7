import { KerasObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { Constraint } from './constraint';
import { MaxNorm } from './max_norm';
import { NonNeg } from './non_neg';
import { UnitNorm } from './unit_norm';

/** A name ('max_norm', 'MaxNorm', 'non_neg', 'unit_norm'), a serialized dict, or an instance. */
export type ConstraintIdentifier = string | SerializedLike | Constraint;

const BUILT_INS = [MaxNorm, NonNeg, UnitNorm];
kerasExport('keras.constraints', BUILT_INS);

const MODULE_OBJECTS = new Map<string, KerasObject>([
  ['MaxNorm', MaxNorm],
  ['NonNeg', NonNeg],
  ['UnitNorm', UnitNorm],
  ['max_norm', MaxNorm],
  ['non_neg', NonNeg],
  ['unit_norm', UnitNorm],
  ['maxNorm', MaxNorm],
  ['nonNeg', NonNeg],
  ['unitNorm', UnitNorm],
]);

function unknownConstraint(name: string): RangeError {
  return new RangeError(
    `Unknown constraint: '${name}'. Valid names: max_norm, non_neg, unit_norm (or MaxNorm, NonNeg, UnitNorm), and names registered with registerKerasSerializable().`,
  );
}

/** Keras' `constraints.serialize`; null for none. */
export function serialize(constraint: Constraint | null): SerializedKerasObject | null {
  return constraint === null ? null : serializeKerasObject(constraint);
}

export function deserialize(serialized: SerializedLike): Constraint {
  return deserializeKerasObject(serialized, {
    moduleObjects: MODULE_OBJECTS,
    what: 'constraint',
    unknown: unknownConstraint,
    base: Constraint,
  });
}

/** Keras' `constraints.get`: null/undefined → null. */
export function get(identifier: ConstraintIdentifier | null | undefined): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') return deserialize({ class_name: identifier, config: {} });
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  throw new TypeError(`Could not interpret constraint identifier: ${describeValue(identifier)}`);
}
