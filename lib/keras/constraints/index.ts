// tf.keras.constraints
export { Constraint } from './constraint';
export { MaxNorm, type MaxNormOptions } from './max_norm';
export { NonNeg } from './non_neg';
export { UnitNorm, type UnitNormOptions } from './unit_norm';
export { get, serialize, deserialize, type ConstraintIdentifier } from './serialization';
