// BlockLSTMV2: TF's C++ gradient registry has none (Python's rnn_grad._BlockLSTMV2Grad, which
// runs the fused BlockLSTMGradV2 op). keras.layers.LSTM's fused path uses it.
import { BlockLSTMGradV2 } from '../ops/generated';
import { Tensor } from '../tensor';
import { GradientOp, registerGradient } from './registry';

/** Gradients of x, the initial c and h, the weights, peepholes and bias from those of cs and h. */
export function blockLstmV2Grad(op: GradientOp, grads: readonly Tensor[]): (Tensor | null)[] {
  const [seqLenMax, x, csPrev, hPrev, w, wci, wcf, wco, b] = op.inputs;
  const [i, cs, f, o, ci, co, h] = op.outputs;
  const g = BlockLSTMGradV2({
    seqLenMax,
    x,
    csPrev,
    hPrev,
    w,
    wci,
    wcf,
    wco,
    b,
    i,
    cs,
    f,
    o,
    ci,
    co,
    h,
    csGrad: grads[1],
    hGrad: grads[6],
    usePeephole: op.attr('use_peephole').b as boolean,
  });
  return [null, g.xGrad, g.csPrevGrad, g.hPrevGrad, g.wGrad, g.wciGrad, g.wcfGrad, g.wcoGrad, g.bGrad];
}

registerGradient('BlockLSTMV2', blockLstmV2Grad);
