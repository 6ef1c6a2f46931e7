// tf.keras.regularizers
export { Regularizer } from './regularizer';
export { L1, type L1Options } from './l1';
export { L2, type L2Options } from './l2';
export { L1L2, type L1L2Options } from './l1_l2';
export { get, serialize, deserialize, type RegularizerIdentifier } from './serialization';
