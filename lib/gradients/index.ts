// Gradients for ops TF's C++ gradient registry lacks: one file per op, each registering itself.
import './block_lstm_v2_grad';
import './erfc_grad';
import './sparse_softmax_cross_entropy_with_logits_grad';

export { registerGradient, type GradientFunction, type GradientOp } from './registry';
export { addGradients } from './symbolic';
