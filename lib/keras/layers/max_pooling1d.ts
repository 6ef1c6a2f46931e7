// keras.layers.MaxPooling1D (channels_last): the max over each poolSize window of the steps.
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BasePooling, POOLING_KEYS, POOLING_POSITIONAL, PoolingOptions } from './base_pooling';
import { Layer } from './layer';

export type MaxPooling1DOptions = PoolingOptions;

export class MaxPooling1D extends BasePooling {
  static override readonly positional: readonly string[] = POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POOLING_KEYS];

  constructor(...args: PositionalArgs<MaxPooling1DOptions, typeof POOLING_POSITIONAL>) {
    super(1, 'max', positionalOptions<MaxPooling1DOptions>(new.target, args), 2);
  }
}

kerasExport('keras.layers', [MaxPooling1D]);
