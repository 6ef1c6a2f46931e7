// keras.layers.GlobalAveragePooling1D (channels_last): the mean over the steps.
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BaseGlobalPooling, GLOBAL_POOLING_KEYS, GLOBAL_POOLING_POSITIONAL, GlobalPoolingOptions } from './global_pooling';
import { Layer } from './layer';

export type GlobalAveragePooling1DOptions = GlobalPoolingOptions;

export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly positional: readonly string[] = GLOBAL_POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...GLOBAL_POOLING_KEYS];

  constructor(...args: PositionalArgs<GlobalAveragePooling1DOptions, typeof GLOBAL_POOLING_POSITIONAL>) {
    super(1, 'average', positionalOptions<GlobalAveragePooling1DOptions>(new.target, args));
  }
}

kerasExport('keras.layers', [GlobalAveragePooling1D]);
