// TF's collective ops over packed tensors: one CollectiveReduceV2 (or broadcast) for many values,
// not one per variable. Used while tracing: each call allocates the next instance key, so workers
// that trace the same steps in the same order agree on every key.
import * as ops from '../ops/generated';
import { Tensor } from '../tensor';

export interface CollectiveGroup {
  groupSize: number;
  groupKey: number;
  /** Seconds a collective waits for its peers before failing with DeadlineExceededError. */
  timeoutSeconds: number;
  /** 'auto' or 'ring' (TF's CPU collectives). */
  communicationHint: string;
  nextInstanceKey(): number;
}

/** The values flattened into one float vector, and how to cut it back. */
function pack(values: readonly Tensor[]): { packed: Tensor; sizes: number[]; shapes: number[][] } {
  const shapes = values.map((v) => {
    if (v.shape.some((d) => d === null || d < 0)) throw new TypeError(`Collectives need static shapes, got ${JSON.stringify(v.shape)}`);
    return v.shape as number[];
  });
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const flat = values.map((v) => ops.Reshape({ tensor: v, shape: [-1] }));
  const packed = flat.length === 1 ? flat[0] : ops.ConcatV2({ values: flat, axis: 0 });
  return { packed, sizes, shapes };
}

function unpack(packed: Tensor, sizes: number[], shapes: number[][]): Tensor[] {
  const pieces = sizes.length === 1 ? [packed] : ops.SplitV({ value: packed, sizeSplits: sizes, splitDim: 0, numSplit: sizes.length });
  return pieces.map((piece, i) => ops.Reshape({ tensor: piece, shape: shapes[i] }));
}

/**
 * The element-wise sum (or mean, `finalOp` 'Div') of `values` across the group: one collective per
 * dtype, packed. Shapes must be static: TF fixes an instance's shape at its first run.
 */
export function allReduce(group: CollectiveGroup, values: readonly Tensor[], finalOp: 'Id' | 'Div' = 'Id'): Tensor[] {
  const reduce = (input: Tensor) =>
    ops.CollectiveReduceV2({
      input,
      groupSize: group.groupSize,
      groupKey: group.groupKey,
      instanceKey: group.nextInstanceKey(),
      orderingToken: [],
      mergeOp: 'Add',
      finalOp,
      communicationHint: group.communicationHint,
      timeoutSeconds: group.timeoutSeconds,
    });
  const result: Tensor[] = new Array(values.length);
  for (const dtype of new Set(values.map((v) => v.dtype))) {
    const indices = values.flatMap((v, i) => (v.dtype === dtype ? [i] : []));
    const { packed, sizes, shapes } = pack(indices.map((i) => values[i]));
    unpack(reduce(packed), sizes, shapes).forEach((t, k) => {
      result[indices[k]] = t;
    });
  }
  return result;
}

/**
 * The source task's `values` on every task (the others' own values only give shapes): one collective
 * per dtype (a packed vector has one), in first-seen dtype order, so every task allocates the same keys.
 */
export function broadcast(group: CollectiveGroup, values: readonly Tensor[], isSource: boolean): Tensor[] {
  const result: Tensor[] = new Array(values.length);
  const dtypes = [...new Set(values.map((v) => v.dtype))];
  for (const dtype of dtypes) {
    const indices = values.flatMap((v, i) => (v.dtype === dtype ? [i] : []));
    const { packed, sizes, shapes } = pack(indices.map((i) => values[i]));
    const common = {
      groupSize: group.groupSize,
      groupKey: group.groupKey,
      instanceKey: group.nextInstanceKey(),
      communicationHint: group.communicationHint,
      timeoutSeconds: group.timeoutSeconds,
    };
    const total = sizes.reduce((a, b) => a + b, 0);
    const value = isSource
      ? ops.CollectiveBcastSendV2({ input: packed, ...common })
      : ops.CollectiveBcastRecvV2({ shape: [total], T: packed.dtype, ...common } as Parameters<typeof ops.CollectiveBcastRecvV2>[0]);
    unpack(value, sizes, shapes).forEach((t, k) => {
      result[indices[k]] = t;
    });
  }
  return result;
}
