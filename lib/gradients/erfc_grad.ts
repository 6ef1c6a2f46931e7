// Erfc: TF's C++ gradient registry has none (Python's math_grad._ErfcGrad). Keras' exact gelu
// uses it.
import { Exp, Mul, Neg, Square } from '../ops/generated';
import { constantTensor } from '../ops/run_op';
import { Tensor } from '../tensor';
import { GradientOp, registerGradient } from './registry';

/** d erfc(x)/dx = -2/√π · exp(-x²), multiplied in Python's order. */
export function erfcGrad(op: GradientOp, [grad]: readonly Tensor[]): Tensor[] {
  const x = op.inputs[0];
  return [Mul({ x: Mul({ x: grad, y: constantTensor(-2 / Math.sqrt(Math.PI), grad.dtype) }), y: Exp({ x: Neg({ x: Square({ x }) }) }) })];
}

registerGradient('Erfc', erfcGrad);
