// tf.keras.layers
export { Layer, type LayerOptions, type CallOptions, type InputSpec, type WeightOptions, type WeightValue } from './layer';
export { KerasTensor, Node } from './keras_tensor';
export { Input, InputLayer, type InputOptions } from './input_layer';
export { Dense, type DenseOptions } from './dense';
export { Dropout, type DropoutOptions } from './dropout';
export { Flatten, type FlattenOptions } from './flatten';
export { Reshape, type ReshapeOptions } from './reshape';
export { Activation, type ActivationOptions } from './activation';
export { Conv2D, type Conv2DOptions } from './conv2d';
export { MaxPooling2D, type MaxPooling2DOptions } from './max_pooling2d';
export { BatchNormalization, type BatchNormalizationOptions } from './batch_normalization';
export { SeedGenerator } from './seed_generator';
export { serialize, deserialize } from './serialization';
