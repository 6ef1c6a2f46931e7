// keras.layers.AveragePooling1D (channels_last): the mean over each poolSize window of the steps (windows cut by 'same' padding average what they hold).
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BasePooling, POOLING_KEYS, POOLING_POSITIONAL, PoolingOptions } from './base_pooling';
import { Layer } from './layer';

export type AveragePooling1DOptions = PoolingOptions;

export class AveragePooling1D extends BasePooling {
  static override readonly positional: readonly string[] = POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POOLING_KEYS];

  constructor(...args: PositionalArgs<AveragePooling1DOptions, typeof POOLING_POSITIONAL>) {
    super(1, 'average', positionalOptions<AveragePooling1DOptions>(new.target, args), undefined);
  }
}

kerasExport('keras.layers', [AveragePooling1D]);
