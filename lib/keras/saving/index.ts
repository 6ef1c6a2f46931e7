// tf.keras.saving
export {
  registerKerasSerializable,
  getRegisteredName,
  getRegisteredObject,
  customObjectScope,
  type KerasObject,
} from './object_registration';
export {
  serializeKerasObject,
  deserializeKerasObject,
  type SerializedKerasObject,
  type SerializedLike,
  type DeserializeOptions,
  type Config,
} from './serialization_lib';
export { saveModel, loadModel, saveWeights, loadWeights } from './saving_api';
export type { LoadModelOptions } from './keras_file';
