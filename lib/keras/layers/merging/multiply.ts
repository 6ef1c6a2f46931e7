// keras.layers.Multiply: the elementwise product of a list of inputs (a masked value counts as 1).
import { Any, LogicalOr, Mul, SelectV2 } from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import { getKerasMask, type LayerOptions, setKerasMask } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { expandMask, Merge } from './base_merge';

export class Multiply extends Merge {
  /** Keras: masked values are 1; with every input masked, the output is 0 where all are masked and carries their OR. */
  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const masks = inputs.map(getKerasMask);
    const hasOutputMask = masks.every((m) => m !== null);
    let output: Tensor | null = null;
    let outputMask: Tensor | null = null;
    inputs.forEach((input, i) => {
      let x = input;
      const raw = masks[i];
      if (raw !== null) {
        const mask = expandMask(raw, x);
        x = SelectV2({ condition: mask, t: x, e: constantTensor(1, x.dtype) });
        if (hasOutputMask) outputMask = outputMask === null ? mask : LogicalOr({ x: outputMask, y: mask });
      }
      output = output === null ? x : Mul({ x: output, y: x });
    });
    let result = output as unknown as Tensor;
    if (hasOutputMask && outputMask !== null) {
      result = SelectV2({ condition: outputMask, t: result, e: constantTensor(0, result.dtype) });
      setKerasMask(result, Any({ input: outputMask, reductionIndices: -1, keepDims: false }));
    }
    return result;
  }
}

/** Keras' `keras.layers.multiply(inputs)`: a new Multiply layer applied to `inputs`. */
export function multiply(inputs: readonly KerasTensor[], options?: LayerOptions): KerasTensor;
export function multiply(inputs: readonly TensorLike[], options?: LayerOptions): Tensor;
export function multiply(inputs: readonly (KerasTensor | TensorLike)[], options: LayerOptions = {}): Tensor | KerasTensor {
  return new Multiply(options).apply(inputs as never);
}

kerasExport('keras.layers', [Multiply]);
