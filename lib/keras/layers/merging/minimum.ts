// keras.layers.Minimum: the elementwise minimum of a list of inputs (masked values ignored).
import { Minimum as MinimumOp } from '../../../ops/generated';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { Merge } from './base_merge';

export class Minimum extends Merge {
  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return this.applyWithMasks((x, y) => MinimumOp({ x, y }), inputs);
  }
}

/** Keras' `keras.layers.minimum(inputs)`: a new Minimum layer applied to `inputs`. */
export function minimum(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function minimum(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function minimum(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Minimum(options).apply(inputs as never);
}

kerasExport('keras.layers', [Minimum]);
