// Mask pieces shared by the attention layers (Keras' _compute_causal_mask and the masked softmax).
import { int32Vector } from '../../ops/convert';
import {
  Abs,
  Cast,
  Cumsum,
  Exp,
  ExpandDims,
  Fill,
  GreaterEqual,
  Less,
  LogicalAnd,
  Pack,
  Range,
  Reshape,
  SelectV2,
  Shape as ShapeOp,
  Softmax,
  StridedSlice,
  Sub,
} from '../../ops/generated';
import { reduceLogsumexp } from '../../ops/math';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';

/** Dim `axis` of `t` as an int32 scalar (static when known). */
export function dimOf(t: Tensor, axis: number): Tensor {
  const known = t.shape[axis];
  if (known !== null && known !== undefined) return constantTensor(known, 'int32');
  return StridedSlice({ input: ShapeOp({ input: t }), begin: [axis], end: [axis + 1], strides: [1], shrinkAxisMask: 1 });
}

/** Keras' causal mask: [1, T, S] bool, true where row ≥ column (T, S int32 scalars). */
export function causalMask(t: Tensor, s: Tensor): Tensor {
  const shape = Pack({ values: [constantTensor(1, 'int32'), t, s], axis: 0 });
  const ones = Fill({ dims: shape, value: constantTensor(1, 'int32') });
  const rows = Cumsum({ x: ones, axis: constantTensor(-2, 'int32') });
  const cols = Cumsum({ x: ones, axis: constantTensor(-1, 'int32') });
  return GreaterEqual({ x: rows, y: cols });
}

/** Keras' sliding-window mask: [1, T, S] bool, true where |row − column| < window. */
export function slidingWindowMask(t: Tensor, s: Tensor, window: number): Tensor {
  const rows = Reshape({
    tensor: Range({ start: constantTensor(0, 'int32'), limit: t, delta: constantTensor(1, 'int32') }),
    shape: int32Vector([1, -1, 1]),
  });
  const cols = Reshape({
    tensor: Range({ start: constantTensor(0, 'int32'), limit: s, delta: constantTensor(1, 'int32') }),
    shape: int32Vector([1, 1, -1]),
  });
  return Less({ x: Abs({ x: Sub({ x: rows, y: cols }) }), y: constantTensor(window, 'int32') });
}

/** A mask as bool (Keras casts defensively). */
export function toBool(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? mask : Cast({ x: mask, DstT: 'bool' });
}

/** a & b, either possibly null. */
export function andMasks(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return LogicalAnd({ x: a, y: b });
}

export function expandDims(t: Tensor, axis: number): Tensor {
  return ExpandDims({ input: t, dim: constantTensor(axis, 'int32') });
}

/**
 * keras.layers.Softmax(axis)(x, mask): masked entries set to -1e9 before, and to 0 after, the
 * softmax over the last `axes` axes (so a fully masked row is zeros, not uniform).
 */
export function maskedSoftmax(x: Tensor, mask: Tensor | null, axes: number): Tensor {
  const logits = mask === null ? x : SelectV2({ condition: mask, t: x, e: constantTensor(-1e9, x.dtype) });
  let out: Tensor;
  if (axes === 1) out = Softmax({ logits });
  else {
    const reduce = int32Vector(Array.from({ length: axes }, (_, i) => x.rank - axes + i));
    out = Exp({ x: Sub({ x: logits, y: reduceLogsumexp(logits, { axis: reduce, keepdims: true }) }) });
  }
  return mask === null ? out : SelectV2({ condition: mask, t: out, e: constantTensor(0, x.dtype) });
}
