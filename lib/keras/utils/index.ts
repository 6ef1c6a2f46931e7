// tf.keras.utils: Keras exports its registry here too.
export { registerKerasSerializable, getRegisteredName, getRegisteredObject } from '../saving/object_registration';
export { serializeKerasObject, deserializeKerasObject } from '../saving/serialization_lib';
export { toCategorical } from './numerical_utils';
export { setRandomSeed, getRandomSeed } from './rng_utils';
