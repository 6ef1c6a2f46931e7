// keras.layers.Add: the elementwise sum of a list of inputs (broadcast as numpy does).
import { AddV2 } from '../../../ops/generated';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { Merge } from './base_merge';

export class Add extends Merge {
  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => AddV2({ x: a, y: b }));
  }
}

/** Keras' `keras.layers.add(inputs)`: a new Add layer applied to `inputs`. */
export function add(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function add(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function add(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Add(options).apply(inputs as never);
}

kerasExport('keras.layers', [Add]);
