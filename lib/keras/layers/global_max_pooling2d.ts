// keras.layers.GlobalMaxPooling2D (channels_last): the max over height and width.
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BaseGlobalPooling, GLOBAL_POOLING_KEYS, GLOBAL_POOLING_POSITIONAL, GlobalPoolingOptions } from './global_pooling';
import { Layer } from './layer';

export type GlobalMaxPooling2DOptions = GlobalPoolingOptions;

export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly positional: readonly string[] = GLOBAL_POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...GLOBAL_POOLING_KEYS];

  constructor(...args: PositionalArgs<GlobalMaxPooling2DOptions, typeof GLOBAL_POOLING_POSITIONAL>) {
    super(2, 'max', positionalOptions<GlobalMaxPooling2DOptions>(new.target, args));
  }
}

kerasExport('keras.layers', [GlobalMaxPooling2D]);
