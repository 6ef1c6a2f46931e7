// TF's C API builds gradients from the C++ gradient registry, which lacks a few ops Keras trains
// through (SparseSoftmaxCrossEntropyWithLogits, Erfc). Those values are kept exactly, and the
// gradient flows through a surrogate whose derivative is the one Python TF registers.
import { AddV2, StopGradient, Sub } from '../../ops/generated';
import { Tensor } from '../../tensor';

/** `value` in the forward pass; d/dx of `surrogate` in the backward pass (value + (s - s) = value). */
export function withGradientOf(value: Tensor, surrogate: Tensor): Tensor {
  return AddV2({ x: StopGradient({ input: value }), y: Sub({ x: surrogate, y: StopGradient({ input: surrogate }) }) });
}
