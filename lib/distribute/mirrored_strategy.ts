// Python's tf.distribute.MirroredStrategy over the devices of one process: each step splits the
// global batch across the replicas, computes each replica's loss and gradients on its device, sums
// them on one device (TF's ReductionToOneDevice, what it picks for CPUs) and applies one update; all
// of it in the step's one session run.
import { listLogicalDevices } from '../config';
import { device } from '../device';
import { convertToTensor } from '../ops/convert';
import * as ops from '../ops/generated';
import { Tensor, TensorLike } from '../tensor';
import { checkOptions, describeValue } from '../utils/argument_validation';
import { inScope, ReplicaStrategy } from './distribution_context';
import type { ReduceOp } from './multi_worker_mirrored_strategy';

export interface MirroredStrategyOptions {
  /** Device names ('/cpu:0', '/device:CPU:1', '/gpu:0'); default: every GPU, else the CPU. */
  devices?: readonly string[];
}

/** Python's PerReplica: one value per replica, in device order. */
export class PerReplica<T> {
  constructor(readonly values: readonly T[]) {}
}

/** '/cpu:0', '/CPU:0', '/device:CPU:0' (with or without a job prefix) as '/device:CPU:0'. */
function canonicalDevice(name: unknown): string {
  const match = typeof name === 'string' ? /^(?:\/job:[^/]+\/replica:\d+\/task:\d+)?\/(?:device:)?([a-zA-Z_]+):(\d+)$/.exec(name) : null;
  if (match === null) throw new TypeError(`A device name looks like '/cpu:0' or '/device:GPU:1'. Received: ${describeValue(name)}`);
  return `/device:${match[1].toUpperCase()}:${match[2]}`;
}

/** Rows [start, start + size) of `x` (dim 0), the rest whole. */
function rows(x: Tensor, start: Tensor, size: Tensor): Tensor {
  const rest = x.rank - 1;
  const begin = ops.ConcatV2({ values: [ops.Reshape({ tensor: start, shape: [1] }), new Array(rest).fill(0)], axis: 0 });
  const sizes = ops.ConcatV2({ values: [ops.Reshape({ tensor: size, shape: [1] }), new Array(rest).fill(-1)], axis: 0 });
  return ops.Slice({ input: x, begin, size: sizes });
}

export class MirroredStrategy implements ReplicaStrategy {
  /** The replicas' devices, canonical names, in replica order. */
  readonly devices: readonly string[];
  readonly numReplicasInSync: number;
  /** Where per-replica values are summed (ReductionToOneDevice: the first device). */
  readonly reduceDevice: string;

  constructor(options: MirroredStrategyOptions = {}) {
    checkOptions('MirroredStrategy', options, ['devices']);
    const available = listLogicalDevices().map((d) => d.name);
    const gpus = available.filter((d) => d.startsWith('/device:GPU:'));
    const requested = options.devices ?? (gpus.length > 0 ? gpus : ['/device:CPU:0']);
    if (!Array.isArray(requested) || requested.length === 0) throw new RangeError('MirroredStrategy needs at least one device');
    const devices = requested.map(canonicalDevice);
    if (new Set(devices).size !== devices.length)
      throw new RangeError(`MirroredStrategy's devices must be distinct. Received: ${devices.join(', ')}`);
    for (const d of devices) {
      if (!available.includes(d)) {
        throw new RangeError(
          `Device ${d} is not available (this process has ${available.join(', ')}). Split the CPU first with ` +
            'tf.config.setLogicalDeviceConfiguration(cpu, [{}, {}]), before TensorFlow runs any op.',
        );
      }
    }
    this.devices = devices;
    this.numReplicasInSync = devices.length;
    this.reduceDevice = devices[0];
  }

  /** Python's strategy.scope(): models compiled in `body` train with one replica per device. */
  scope<T>(body: () => T): T {
    return inScope(this, body);
  }

  /**
   * Splits each of `inputs` along dim 0 into the replicas' parts (replica i of N gets rows
   * [⌊i·b/N⌋, ⌊(i+1)·b/N⌋) of the b rows) and runs `body` on each part under its device. Returns each
   * replica's result and its row count (float32). Inside a trace.
   */
  forEachReplica<R>(
    inputs: readonly (Tensor | undefined)[],
    body: (parts: (Tensor | undefined)[], replica: number) => R,
  ): { results: R[]; counts: Tensor[] } {
    const first = inputs.find((t): t is Tensor => t !== undefined);
    if (first === undefined) throw new TypeError('forEachReplica needs at least one input');
    const n = this.numReplicasInSync;
    const b = ops.StridedSlice({ input: ops.Shape({ input: first }), begin: [0], end: [1], strides: [1], shrinkAxisMask: 1 });
    const bound = (i: number) => ops.FloorDiv({ x: ops.Mul({ x: b, y: i }), y: n });
    const results: R[] = [];
    const counts: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      device(this.devices[i], () => {
        const start = bound(i);
        const size = ops.Sub({ x: bound(i + 1), y: start });
        results.push(
          body(
            inputs.map((t) => (t === undefined ? undefined : n === 1 ? t : rows(t, start, size))),
            i,
          ),
        );
        counts.push(ops.Cast({ x: size, DstT: 'float32' } as Parameters<typeof ops.Cast>[0]));
      });
    }
    return { results, counts };
  }

  /**
   * The mean over all replicas' rows of per-replica means: Σ countᵢ·valueᵢ / Σ countᵢ for each
   * position of `values[i]`, summed on the reduce device (an empty part adds zeros). Also the total count.
   */
  weightedMean(values: readonly (readonly (Tensor | null)[])[], counts: readonly Tensor[]): { means: (Tensor | null)[]; total: Tensor } {
    return device(this.reduceDevice, () => {
      const total = counts.length === 1 ? counts[0] : ops.AddN({ inputs: [...counts] });
      const means = values[0].map((v, k) => {
        if (v === null) return null;
        const cast = (t: Tensor) => (t.dtype === v.dtype ? t : ops.Cast({ x: t, DstT: v.dtype } as Parameters<typeof ops.Cast>[0]));
        if (values.length === 1) return v;
        const weighted = values.map((replica, i) => ops.MulNoNan({ x: replica[k] as Tensor, y: cast(counts[i]) }));
        return ops.RealDiv({ x: ops.AddN({ inputs: weighted }), y: cast(total) });
      });
      return { means, total };
    });
  }

  /** Python's strategy.run(fn, args): `fn` on every replica's device (each given `args`); one value per replica. */
  run<R>(fn: (...args: Tensor[]) => R, options: { args?: readonly Tensor[] } = {}): R | PerReplica<R> {
    checkOptions('strategy.run', options, ['args']);
    const values = this.devices.map((d) => inScope(this, () => device(d, () => fn(...(options.args ?? [])))));
    return values.length === 1 ? values[0] : new PerReplica(values);
  }

  /** Python's experimental_local_results: the per-replica values (a plain value is every replica's). */
  experimentalLocalResults<T>(value: T | PerReplica<T>): readonly T[] {
    return value instanceof PerReplica ? value.values : this.devices.map(() => value);
  }

  /**
   * Python's strategy.reduce: the SUM or MEAN over replicas of a PerReplica value, on the reduce
   * device (`axis` also reduces it there, a MEAN then over all rows). A plain value is the same on every
   * replica: its MEAN is itself, and SUM is refused as Python refuses it.
   */
  reduce(reduceOp: ReduceOp, value: PerReplica<Tensor> | TensorLike, options: { axis?: number | null } = {}): Tensor {
    checkOptions('strategy.reduce', options, ['axis']);
    if (reduceOp !== 'SUM' && reduceOp !== 'MEAN') throw new RangeError(`reduceOp must be 'SUM' or 'MEAN', got ${String(reduceOp)}`);
    const axis = options.axis ?? null;
    if (!(value instanceof PerReplica)) {
      if (reduceOp === 'SUM' && this.numReplicasInSync > 1) {
        throw new TypeError(`A non-PerReplica value cannot be reduced with SUM across ${this.numReplicasInSync} replicas`);
      }
      value = new PerReplica([convertToTensor(value)]);
    }
    const tensors = value.values.map((v) => convertToTensor(v));
    return device(this.reduceDevice, () => {
      const count = (t: Tensor) =>
        ops.Cast({ x: ops.GatherV2({ params: ops.Shape({ input: t }), indices: axis as number, axis: 0 }), DstT: t.dtype } as Parameters<
          typeof ops.Cast
        >[0]);
      const parts = axis === null ? tensors : tensors.map((t) => ops.Sum({ input: t, reductionIndices: axis }));
      const sum = parts.length === 1 ? parts[0] : ops.AddN({ inputs: parts });
      if (reduceOp === 'SUM') return sum;
      const n = axis === null ? tensors.length : tensors.map(count).reduce((a, c) => ops.AddV2({ x: a, y: c }));
      return ops.RealDiv({ x: sum, y: n });
    });
  }
}
