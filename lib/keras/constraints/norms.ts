// The column norms MaxNorm and UnitNorm share: sqrt(sum(square(w), axis, keepdims)).
import { int32Vector } from '../../ops/convert';
import { Sqrt, Square, Sum } from '../../ops/generated';
import { Tensor } from '../../tensor';

export function norms(w: Tensor, axis: number | number[]): Tensor {
  const axes = Array.isArray(axis) ? axis : [axis];
  return Sqrt({ x: Sum({ input: Square({ x: w }), reductionIndices: int32Vector(axes), keepDims: true }) });
}
