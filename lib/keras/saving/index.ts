// tf.keras.saving
export { registerKerasSerializable, getRegisteredName, getRegisteredObject, type KerasObject } from './object_registration';
export {
  serializeKerasObject,
  deserializeKerasObject,
  type SerializedKerasObject,
  type SerializedLike,
  type DeserializeOptions,
  type Config,
} from './serialization_lib';
