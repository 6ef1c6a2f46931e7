// keras.layers.GlobalAveragePooling2D (channels_last): the mean over height and width.
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BaseGlobalPooling, GLOBAL_POOLING_KEYS, GLOBAL_POOLING_POSITIONAL, GlobalPoolingOptions } from './global_pooling';
import { Layer } from './layer';

export type GlobalAveragePooling2DOptions = GlobalPoolingOptions;

export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly positional: readonly string[] = GLOBAL_POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...GLOBAL_POOLING_KEYS];

  constructor(...args: PositionalArgs<GlobalAveragePooling2DOptions, typeof GLOBAL_POOLING_POSITIONAL>) {
    super(2, 'average', positionalOptions<GlobalAveragePooling2DOptions>(new.target, args));
  }
}

kerasExport('keras.layers', [GlobalAveragePooling2D]);
