// tf.keras.initializers
export { Initializer, type InitializerConfig } from './initializer';
export { RandomInitializer } from './random_initializer';
export { Zeros } from './zeros';
export { Ones } from './ones';
export { Constant, type ConstantOptions } from './constant';
export { RandomNormal, type RandomNormalOptions } from './random_normal';
export { RandomUniform, type RandomUniformOptions } from './random_uniform';
export { TruncatedNormal, type TruncatedNormalOptions } from './truncated_normal';
export {
  VarianceScaling,
  computeFans,
  type VarianceScalingOptions,
  type PresetVarianceScalingOptions,
  type FanMode,
  type Distribution,
} from './variance_scaling';
export { GlorotUniform } from './glorot_uniform';
export { GlorotNormal } from './glorot_normal';
export { HeNormal } from './he_normal';
export { HeUniform } from './he_uniform';
export { Orthogonal, type OrthogonalOptions } from './orthogonal';
export { get, serialize, deserialize, type InitializerIdentifier, type SerializedInitializer } from './serialization';
