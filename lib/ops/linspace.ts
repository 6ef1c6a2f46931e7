// Python's tf.linspace (math_ops.linspace_nd), op for op: N-D start/stop broadcast together, the
// values laid out along `axis`, start and stop exact at the ends.
import { DType, isFloating } from '../dtypes';
import { HostValue } from '../host_data';
import { Tensor, TensorLike, isReadAsTensor } from '../tensor';
import {
  AddV2,
  BroadcastArgs,
  BroadcastTo,
  Cast,
  ConcatV2,
  ExpandDims,
  GreaterEqual,
  Maximum,
  Mul,
  Range,
  RealDiv,
  Reshape,
  SelectV2,
  Shape as ShapeOp,
  Slice,
  StridedSlice,
  Sub,
  ZerosLike,
} from './generated';
import { checkOptions } from '../utils/argument_validation';
import { convertToTensor } from './convert';
import { constantTensor } from './run_op';

export interface LinspaceOptions {
  /** Where the `num` values go in the result (counted in the result's rank); default 0. */
  axis?: number;
}

/** Host numbers are float32 (a JS number does not say whether it is an integer). */
function toTensor(value: TensorLike, dtype: DType | undefined, what: string): Tensor {
  if (value instanceof Tensor || isReadAsTensor(value)) return convertToTensor(value);
  if (typeof value === 'string' || typeof value === 'boolean') throw new TypeError(`tf.linspace: ${what} must be a number or a tensor`);
  return constantTensor(value as HostValue, dtype ?? 'float32');
}

/** The dtype Python's true division gives an integer tensor. */
function floatDType(dtype: DType): DType {
  if (isFloating(dtype)) return dtype;
  if (dtype === 'int32' || dtype === 'int64' || dtype === 'uint32' || dtype === 'uint64') return 'float64';
  if (dtype === 'int8' || dtype === 'int16' || dtype === 'uint8' || dtype === 'uint16') return 'float32';
  throw new TypeError(`tf.linspace: start must be a number or a numeric tensor, got ${dtype}`);
}

/**
 * Python's `tf.linspace(start, stop, num, axis=0)`: `num` evenly spaced values from `start` to `stop`
 * (both included). Host numbers give float32; integer tensors give float64, as Python's true
 * division does. A negative `num` is TF's InvalidArgumentError (from Range), 0 gives an empty result.
 */
export function linspace(start: TensorLike, stop: TensorLike, num: TensorLike, options: LinspaceOptions = {}): Tensor {
  const { axis = 0 } = checkOptions('tf.linspace', options, ['axis', 'name']) as LinspaceOptions;
  let s = toTensor(start, undefined, 'start');
  let e = toTensor(stop, s.dtype, 'stop');
  if (e.dtype !== s.dtype) throw new TypeError(`tf.linspace: stop must have start's dtype ${s.dtype}, got ${e.dtype}`);
  if (!(num instanceof Tensor) && !Number.isSafeInteger(num))
    throw new TypeError(`tf.linspace: num must be an integer, got ${String(num)}`);
  const numInt =
    num instanceof Tensor ? (num.dtype === 'int32' ? num : Cast({ x: num, DstT: 'int32' })) : constantTensor(num as number, 'int32');
  const dtype = floatDType(s.dtype);
  const rank = Math.max(s.rank, e.rank) + 1;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`tf.linspace: axis ${String(axis)} is out of range for a result of rank ${rank}`);
  }
  const ax = axis < 0 ? axis + rank : axis;
  const broadcastShape = BroadcastArgs({ s0: ShapeOp({ input: s }), s1: ShapeOp({ input: e }) });
  s = BroadcastTo({ input: s, shape: broadcastShape });
  e = BroadcastTo({ input: e, shape: broadcastShape });
  let expandedStart = ExpandDims({ input: s, dim: constantTensor(ax, 'int32') });
  let expandedStop = ExpandDims({ input: e, dim: constantTensor(ax, 'int32') });
  const shape = ShapeOp({ input: expandedStart });
  const int32 = (v: number) => constantTensor(v, 'int32');
  // Kept >= 0 for the repeat; nSteps >= 1 so num 0 and 1 divide by one and are sliced after.
  const numFill = Maximum({ x: Sub({ x: numInt, y: int32(2) }), y: int32(0) });
  const nSteps = Maximum({ x: Sub({ x: numInt, y: int32(1) }), y: int32(1) });
  if (expandedStart.dtype !== dtype) {
    expandedStart = Cast({ x: expandedStart, DstT: dtype });
    expandedStop = Cast({ x: expandedStop, DstT: dtype });
  }
  const delta = RealDiv({ x: Sub({ x: expandedStop, y: expandedStart }), y: Cast({ x: nSteps, DstT: dtype }) });
  // A negative num fails in Range, as in TF.
  const rangeEnd = SelectV2({ condition: GreaterEqual({ x: numInt, y: int32(0) }), t: nSteps, e: int32(-1) });
  const steps = Range({
    start: constantTensor(1, 'int64'),
    limit: Cast({ x: rangeEnd, DstT: 'int64' }),
    delta: constantTensor(1, 'int64'),
  });
  const rangeShape = Array.from({ length: rank }, (_, i) => i === ax);
  const desiredRange = Reshape({
    tensor: Cast({ x: steps, DstT: dtype }),
    shape: SelectV2({ condition: constantTensor(rangeShape, 'bool', [rank]), t: numFill, e: int32(1) }),
  });
  const res = AddV2({ x: expandedStart, y: Mul({ x: delta, y: desiredRange }) });
  const concatenated = ConcatV2({ values: [expandedStart, res, expandedStop], axis: int32(ax) });
  const dims = (begin: number, end: number) =>
    StridedSlice({
      input: shape,
      begin: constantTensor([begin], 'int32', [1]),
      end: constantTensor([end], 'int32', [1]),
      strides: constantTensor([1], 'int32', [1]),
    });
  const size = ConcatV2({
    values: [dims(0, ax), Reshape({ tensor: numInt, shape: constantTensor([1], 'int32', [1]) }), dims(ax + 1, rank)],
    axis: int32(0),
  });
  return Slice({ input: concatenated, begin: ZerosLike({ x: shape }), size });
}
