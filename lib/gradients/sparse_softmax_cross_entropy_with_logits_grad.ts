// SparseSoftmaxCrossEntropyWithLogits: TF's C++ gradient registry has none (Python's
// nn_grad._SparseSoftmaxCrossEntropyWithLogitsGrad). Keras' sparse categorical cross-entropy uses it.
import { ExpandDims, Mul } from '../ops/generated';
import { Tensor } from '../tensor';
import { GradientOp, registerGradient } from './registry';

/**
 * The kernel's own backprop output (softmax − one-hot) scaled by the loss gradient per row; the
 * labels get none. As in Python, a gradient arriving at the backprop output is ignored.
 */
export function sparseSoftmaxCrossEntropyWithLogitsGrad(op: GradientOp, [gradLoss]: readonly Tensor[]): (Tensor | null)[] {
  return [Mul({ x: ExpandDims({ input: gradLoss, dim: -1 }), y: op.outputs[1] }), null];
}

registerGradient('SparseSoftmaxCrossEntropyWithLogits', sparseSoftmaxCrossEntropyWithLogitsGrad);
