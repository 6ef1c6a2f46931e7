// keras.layers.serialize / deserialize, on the one registry.
import {
  deserializeKerasObject,
  exportedFrom,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { Layer } from './layer';

/** Keras' `layers.serialize(layer)`: with a `build_config` once the layer is built. */
export function serialize(layer: Layer): SerializedKerasObject {
  return serializeKerasObject(layer);
}

/** Keras' `layers.deserialize(dict)`: a layer from its dict, built when the dict has a `build_config`. */
export function deserialize(serialized: SerializedLike): Layer {
  return deserializeKerasObject(serialized, { moduleObjects: exportedFrom('keras.layers'), what: 'layer', base: Layer });
}
