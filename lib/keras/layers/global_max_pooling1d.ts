// keras.layers.GlobalMaxPooling1D (channels_last): the max over the steps.
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BaseGlobalPooling, GLOBAL_POOLING_KEYS, GLOBAL_POOLING_POSITIONAL, GlobalPoolingOptions } from './global_pooling';
import { Layer } from './layer';

export type GlobalMaxPooling1DOptions = GlobalPoolingOptions;

export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly positional: readonly string[] = GLOBAL_POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...GLOBAL_POOLING_KEYS];

  constructor(...args: PositionalArgs<GlobalMaxPooling1DOptions, typeof GLOBAL_POOLING_POSITIONAL>) {
    super(1, 'max', positionalOptions<GlobalMaxPooling1DOptions>(new.target, args));
  }
}

kerasExport('keras.layers', [GlobalMaxPooling1D]);
