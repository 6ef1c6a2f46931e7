// keras.layers.serialize / deserialize, on the one registry.
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { Activation } from './activation';
import { BatchNormalization } from './batch_normalization';
import { Conv2D } from './conv2d';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import { InputLayer } from './input_layer';
import { Layer } from './layer';
import { MaxPooling2D } from './max_pooling2d';
import { Reshape } from './reshape';

const BUILT_INS = [Activation, BatchNormalization, Conv2D, Dense, Dropout, Flatten, InputLayer, MaxPooling2D, Reshape];
const MODULE_OBJECTS = kerasExport('keras.layers', BUILT_INS);

/** Keras' `layers.serialize(layer)`: with a `build_config` once the layer is built. */
export function serialize(layer: Layer): SerializedKerasObject {
  return serializeKerasObject(layer);
}

/** Keras' `layers.deserialize(dict)`: a layer from its dict, built when the dict has a `build_config`. */
export function deserialize(serialized: SerializedLike): Layer {
  return deserializeKerasObject(serialized, { moduleObjects: MODULE_OBJECTS, what: 'layer', base: Layer });
}
