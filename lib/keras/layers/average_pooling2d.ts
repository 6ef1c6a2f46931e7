// keras.layers.AveragePooling2D (channels_last): the mean over each poolSize window (windows cut by 'same' padding average what they hold).
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { BasePooling, POOLING_KEYS, POOLING_POSITIONAL, PoolingOptions } from './base_pooling';
import { Layer } from './layer';

export type AveragePooling2DOptions = PoolingOptions;

export class AveragePooling2D extends BasePooling {
  static override readonly positional: readonly string[] = POOLING_POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...POOLING_KEYS];

  constructor(...args: PositionalArgs<AveragePooling2DOptions, typeof POOLING_POSITIONAL>) {
    super(2, 'average', positionalOptions<AveragePooling2DOptions>(new.target, args), undefined);
  }
}

kerasExport('keras.layers', [AveragePooling2D]);
