// keras.layers.Average: the elementwise mean of a list of inputs.
import { AddV2, RealDiv } from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { Merge } from './base_merge';

export class Average extends Merge {
  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const sum = inputs.reduce((a, b) => AddV2({ x: a, y: b }));
    return RealDiv({ x: sum, y: constantTensor(inputs.length, sum.dtype) });
  }
}

/** Keras' `keras.layers.average(inputs)`: a new Average layer applied to `inputs`. */
export function average(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function average(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function average(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Average(options).apply(inputs as never);
}

kerasExport('keras.layers', [Average]);
