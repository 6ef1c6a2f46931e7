// keras.layers.Subtract: inputs[0] - inputs[1], for exactly two inputs.
import { Sub } from '../../../ops/generated';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions, LayerShape } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { formatInputs, formatShapes, Merge } from './base_merge';

export class Subtract extends Merge {
  override build(inputShape: LayerShape): void {
    super.build(inputShape);
    if (inputShape.length !== 2) {
      throw new RangeError(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${formatShapes(inputShape)}`);
    }
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    if (inputs.length !== 2) {
      throw new RangeError(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: inputs=${formatInputs(inputs)}`);
    }
    return Sub({ x: inputs[0], y: inputs[1] });
  }
}

/** Keras' `keras.layers.subtract(inputs)`: a new Subtract layer applied to `inputs`. */
export function subtract(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function subtract(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function subtract(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Subtract(options).apply(inputs as never);
}

kerasExport('keras.layers', [Subtract]);
