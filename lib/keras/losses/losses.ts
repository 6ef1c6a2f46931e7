// Keras 3's per-sample loss functions (keras.losses.mean_squared_error, ...), op for op as Keras'
// TF backend computes them: probabilities are clipped to [1e-7, 1 - 1e-7] before the log, and a
// softmax/sigmoid output is traded for its logits and the fused logits kernels.
import { formatShape, int32Vector } from '../../ops/convert';
import {
  Abs,
  AddV2,
  Cast,
  ExpandDims,
  Log,
  Mean,
  Mul,
  Neg,
  RealDiv,
  Reshape,
  Shape as ShapeOp,
  SparseSoftmaxCrossEntropyWithLogits,
  Square,
  Squeeze,
  Sub,
  Sum,
} from '../../ops/generated';
import { clipByValue } from '../../ops/math';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from '../../ops/nn';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { kerasLogits } from '../activations';

/** Keras' `backend.epsilon()`. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** `yPred` holds logits, not probabilities. */
  fromLogits?: boolean;
  /** Moves the targets toward uniform by this amount. */
  labelSmoothing?: number;
}

/** Keras' squeeze_or_expand_to_same_rank (expanding a rank-1 partner of a [..., 1] tensor). */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1)
    return r2 === 1 ? [x1, ExpandDims({ input: x2, dim: -1 })] : [Squeeze({ input: x1, squeezeDims: [-1] }), x2];
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1)
    return r1 === 1 ? [ExpandDims({ input: x1, dim: -1 }), x2] : [x1, Squeeze({ input: x2, squeezeDims: [-1] })];
  return [x1, x2];
}

function castLike(x: Tensor, like: Tensor): Tensor {
  return x.dtype === like.dtype ? x : Cast({ x, DstT: like.dtype });
}

function checkSameShape(what: string, target: Shape, output: Shape): void {
  if (target.length !== output.length) {
    throw new RangeError(
      `Arguments \`target\` and \`output\` must have the same rank (ndim). Received: target.shape=${formatShape(target)}, output.shape=${formatShape(output)}`,
    );
  }
  target.forEach((d, i) => {
    const e = output[i];
    if (d !== null && e !== null && d !== e) {
      throw new RangeError(
        `Arguments \`target\` and \`output\` must have the same shape. Received: target.shape=${formatShape(target)}, output.shape=${formatShape(output)}${what}`,
      );
    }
  });
}

/** Keras' `_get_logits`: the logits behind a softmax/sigmoid output, when there are any. */
function logitsBehind(
  output: Tensor,
  kind: 'softmax' | 'sigmoid',
  fromLogits: boolean,
  fnName: string,
): { x: Tensor; fromLogits: boolean } {
  let logits = kerasLogits(output, kind);
  const opType = kind === 'softmax' ? 'Softmax' : 'Sigmoid';
  if (logits === undefined && output.output !== undefined && output.output.op.type === opType)
    logits = Tensor.symbolic(output.output.op.input(0));
  if (logits === undefined) return { x: output, fromLogits };
  if (fromLogits) {
    process.emitWarning(
      `"\`${fnName}\` received \`from_logits=True\`, but the \`output\` argument was produced by a ${opType} activation and thus does not represent logits. Was this intended?`,
    );
  }
  return { x: logits, fromLogits: true };
}

/** mean((yTrue - yPred)², axis=-1). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(castLike(yTrue, yPred), yPred);
  return Mean({ input: Square({ x: Sub({ x: t, y: p }) }), reductionIndices: -1 });
}

/** mean(|yTrue - yPred|, axis=-1). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(castLike(yTrue, yPred), yPred);
  return Mean({ input: Abs({ x: Sub({ x: t, y: p }) }), reductionIndices: -1 });
}

/** Per-sample binary cross entropy, averaged over the last axis. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const { labelSmoothing = 0 } = options;
  let target = castLike(yTrue, yPred);
  if (labelSmoothing) {
    target = AddV2({
      x: Mul({ x: target, y: constantTensor(1 - labelSmoothing, yPred.dtype) }),
      y: constantTensor(0.5 * labelSmoothing, yPred.dtype),
    });
  }
  checkSameShape('', target.shape, yPred.shape);
  const { x, fromLogits } = logitsBehind(yPred, 'sigmoid', options.fromLogits ?? false, 'binary_crossentropy');
  let elementwise: Tensor;
  if (fromLogits) {
    elementwise = sigmoidCrossEntropyWithLogits({ labels: target, logits: x });
  } else {
    const one = constantTensor(1, x.dtype);
    const output = clipByValue(x, constantTensor(EPSILON, x.dtype), constantTensor(1 - EPSILON, x.dtype));
    const positive = Mul({ x: target, y: Log({ x: output }) });
    const bce = AddV2({ x: positive, y: Mul({ x: Sub({ x: one, y: target }), y: Log({ x: Sub({ x: one, y: output }) }) }) });
    elementwise = Neg({ x: bce });
  }
  return Mean({ input: elementwise, reductionIndices: -1 });
}

/** Per-sample cross entropy against one-hot (or soft) targets along the last axis. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  const { labelSmoothing = 0 } = options;
  let target = castLike(yTrue, yPred);
  if (labelSmoothing) {
    const classes = yPred.shape[yPred.rank - 1] as number;
    target = AddV2({
      x: Mul({ x: target, y: constantTensor(1 - labelSmoothing, yPred.dtype) }),
      y: constantTensor(labelSmoothing / classes, yPred.dtype),
    });
  }
  if (target.rank < 1)
    throw new RangeError(
      `Arguments \`target\` and \`output\` must be at least rank 1. Received: target.shape=${formatShape(target.shape)}, output.shape=${formatShape(yPred.shape)}`,
    );
  checkSameShape('', target.shape, yPred.shape);
  const { x, fromLogits } = logitsBehind(yPred, 'softmax', options.fromLogits ?? false, 'categorical_crossentropy');
  if (fromLogits) return softmaxCrossEntropyWithLogits({ labels: target, logits: x, axis: -1 });
  const normalized = RealDiv({ x, y: Sum({ input: x, reductionIndices: -1, keepDims: true }) });
  const output = clipByValue(normalized, constantTensor(EPSILON, x.dtype), constantTensor(1 - EPSILON, x.dtype));
  return Neg({ x: Sum({ input: Mul({ x: target, y: Log({ x: output }) }), reductionIndices: -1 }) });
}

/** Per-sample cross entropy against integer class labels. */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: Pick<CrossentropyOptions, 'fromLogits'> = {}): Tensor {
  let target = yTrue;
  if (target.rank === yPred.rank && target.shape[target.rank - 1] === 1) target = Squeeze({ input: target, squeezeDims: [-1] });
  const { x, fromLogits } = logitsBehind(yPred, 'softmax', options.fromLogits ?? false, 'sparse_categorical_crossentropy');
  const labels = target.dtype === 'int64' ? target : Cast({ x: target, DstT: 'int64' });
  if (x.rank < 1) throw new RangeError(`Argument \`output\` must be at least rank 1. Received: output.shape=${formatShape(x.shape)}`);
  if (labels.rank !== x.rank - 1) {
    throw new RangeError(
      `Argument \`output\` must have rank (ndim) \`target.ndim - 1\`. Received: target.shape=${formatShape(labels.shape)}, output.shape=${formatShape(x.shape)}`,
    );
  }
  labels.shape.forEach((d, i) => {
    const e = x.shape[i];
    if (d !== null && e !== null && d !== e) {
      throw new RangeError(
        `Arguments \`target\` and \`output\` must have the same shape up until the last dimension: target.shape=${formatShape(labels.shape)}, output.shape=${formatShape(x.shape)}`,
      );
    }
  });
  const logits = fromLogits ? x : Log({ x: clipByValue(x, constantTensor(EPSILON, x.dtype), constantTensor(1 - EPSILON, x.dtype)) });
  return sparseSoftmaxCrossEntropy(labels, logits);
}

/**
 * tf.nn.sparse_softmax_cross_entropy_with_logits on the fused kernel (its gradient is in
 * lib/gradients: the C++ registry has none).
 */
function sparseSoftmaxCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  const rank = logits.rank;
  const flatLogits = rank === 2 ? logits : Reshape({ tensor: logits, shape: int32Vector([-1, logits.shape[rank - 1] ?? -1]) });
  const flatLabels = rank === 2 ? labels : Reshape({ tensor: labels, shape: int32Vector([-1]) });
  const rows = SparseSoftmaxCrossEntropyWithLogits({ features: flatLogits, labels: flatLabels }).loss;
  return rank === 2 ? rows : Reshape({ tensor: rows, shape: ShapeOp({ input: labels }) });
}
