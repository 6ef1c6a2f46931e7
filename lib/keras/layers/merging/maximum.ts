// keras.layers.Maximum: the elementwise maximum of a list of inputs (masked values ignored).
import { Maximum as MaximumOp } from '../../../ops/generated';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { Merge } from './base_merge';

export class Maximum extends Merge {
  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return this.applyWithMasks((x, y) => MaximumOp({ x, y }), inputs);
  }
}

/** Keras' `keras.layers.maximum(inputs)`: a new Maximum layer applied to `inputs`. */
export function maximum(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function maximum(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function maximum(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Maximum(options).apply(inputs as never);
}

kerasExport('keras.layers', [Maximum]);
