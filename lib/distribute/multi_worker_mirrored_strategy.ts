// Python's tf.distribute.MultiWorkerMirroredStrategy: one replica per worker process, each step one
// session run per worker on its own server's master, the gradients summed by TF's collective ops.
import { context, Trace } from '../context';
import { executingEagerly, tfFunction } from '../function';
import { runtime } from '../runtime';
import { Tensor, TensorLike } from '../tensor';
import type { Variable } from '../variable';
import { convertToTensor } from '../ops/convert';
import { constantTensor } from '../ops/run_op';
import * as ops from '../ops/generated';
import { checkOptions } from '../utils/argument_validation';
import { TFConfigClusterResolver } from './cluster_resolver';
import { ClusterSpec } from './cluster_spec';
import { CollectiveGroup, allReduce, broadcast } from './collective';
import { ReplicaStrategy, inScope } from './distribution_context';
import { Server } from './server';

export interface CommunicationOptions {
  /** Seconds a collective waits for its peers before failing (DeadlineExceededError); default 60. */
  timeoutSeconds?: number;
  /** 'AUTO' or 'RING' (TF's CPU collectives). */
  implementation?: 'AUTO' | 'RING';
}

export interface MultiWorkerMirroredStrategyOptions {
  clusterResolver?: TFConfigClusterResolver;
  communicationOptions?: CommunicationOptions;
  /** Passed to the server (see ServerOptions.allowNetwork). */
  allowNetwork?: boolean;
}

export type ReduceOp = 'SUM' | 'MEAN';

/** How a step's per-worker batch is cut from the global one. */
export interface BatchShard {
  index: number;
  count: number;
}

export class MultiWorkerMirroredStrategy implements ReplicaStrategy {
  readonly clusterResolver: TFConfigClusterResolver;
  readonly server: Server | null;
  readonly taskType: string;
  readonly taskId: number;
  readonly numReplicasInSync: number;
  private readonly group: CollectiveGroup;
  private readonly reducers = new Map<string, (value: Tensor) => Tensor>();

  constructor(options: MultiWorkerMirroredStrategyOptions = {}) {
    checkOptions('MultiWorkerMirroredStrategy', options, ['clusterResolver', 'communicationOptions', 'allowNetwork']);
    const communication = checkOptions('communicationOptions', options.communicationOptions ?? {}, ['timeoutSeconds', 'implementation']);
    this.clusterResolver = options.clusterResolver ?? new TFConfigClusterResolver();
    const spec: ClusterSpec = this.clusterResolver.clusterSpec();
    const taskType = this.clusterResolver.taskType;
    const taskId = this.clusterResolver.taskId;
    const jobs = spec.jobs.filter((j) => j === 'worker' || j === 'chief');
    const workers = jobs.reduce((n, j) => n + spec.numTasks(j), 0);
    let timeoutSeconds = (communication.timeoutSeconds as number | undefined) ?? 60;
    if (!(timeoutSeconds > 0)) throw new RangeError(`communicationOptions.timeoutSeconds must be positive, got ${timeoutSeconds}`);
    if (workers === 0 || taskType === null || taskId === null) {
      // No cluster: one local replica (Python falls back the same way).
      this.server = null;
      this.taskType = 'worker';
      this.taskId = 0;
      this.numReplicasInSync = 1;
      timeoutSeconds = 0;
    } else {
      if (runtime.started) {
        throw new Error('MultiWorkerMirroredStrategy must be created before TensorFlow runs any graph op: its sessions run on the server');
      }
      const leaderJob = spec.jobs.includes('chief') ? 'chief' : 'worker';
      const collectiveGroupLeader = `/job:${leaderJob}/replica:0/task:0`;
      this.server = new Server(spec, {
        jobName: taskType,
        taskIndex: taskId,
        config: { collectiveGroupLeader },
        allowNetwork: options.allowNetwork,
      });
      // Every session of this process runs on the server's master, on this task's devices only
      // (the collectives reach the other tasks through the workers' collective executors).
      runtime.configure({
        target: this.server.target,
        collectiveGroupLeader,
        deviceFilters: [`/job:${taskType}/replica:0/task:${taskId}`],
      });
      this.taskType = taskType;
      this.taskId = taskId;
      this.numReplicasInSync = workers;
    }
    // Instance keys per call site: the n-th collective of a tf.function has one key in all its traces.
    // Workers trace each function first in the same order, but retrace it at different times (a last
    // batch cut 63 + 64 retraces only on the worker whose shape changed), so keys cannot follow traces.
    let instanceKey = 0;
    const sites = new WeakMap<object, number[]>();
    const ordinals = new WeakMap<Trace, number>();
    this.group = {
      groupSize: this.numReplicasInSync,
      groupKey: 1,
      timeoutSeconds,
      communicationHint: communication.implementation === 'RING' ? 'ring' : 'auto',
      nextInstanceKey: () => {
        const trace = context.trace;
        if (trace?.owner === undefined) return ++instanceKey;
        const ordinal = ordinals.get(trace) ?? 0;
        ordinals.set(trace, ordinal + 1);
        let keys = sites.get(trace.owner);
        if (keys === undefined) sites.set(trace.owner, (keys = []));
        keys[ordinal] ??= ++instanceKey;
        return keys[ordinal];
      },
    };
  }

  /** Whether this task is the chief (Keras' is_chief: the 'chief' task, or worker 0 without one). */
  get isChief(): boolean {
    return (
      this.taskType === 'chief' ||
      (this.taskType === 'worker' && this.taskId === 0 && !this.clusterResolver.clusterSpec().jobs.includes('chief'))
    );
  }

  /** Python's strategy.scope(): variables and models made in `body` are mirrored on every worker. */
  scope<T>(body: () => T): T {
    return inScope(this, body);
  }

  /** This worker's part of each global batch. */
  get batchShard(): BatchShard {
    const spec = this.clusterResolver.clusterSpec();
    const index = this.taskType === 'worker' && spec.jobs.includes('chief') ? this.taskId + 1 : this.taskId;
    return { index, count: this.numReplicasInSync };
  }

  /** Python's strategy.run(fn, args): one replica per worker, so fn runs once here, on this worker's values. */
  run<R>(fn: (...args: Tensor[]) => R, options: { args?: readonly Tensor[] } = {}): R {
    checkOptions('strategy.run', options, ['args']);
    return inScope(this, () => fn(...(options.args ?? [])));
  }

  /** Python's strategy.reduce: the SUM or MEAN of a per-replica value across workers (`axis` also reduces it there). */
  reduce(reduceOp: ReduceOp, value: TensorLike, options: { axis?: number | null } = {}): Tensor {
    checkOptions('strategy.reduce', options, ['axis']);
    if (reduceOp !== 'SUM' && reduceOp !== 'MEAN') throw new RangeError(`reduceOp must be 'SUM' or 'MEAN', got ${String(reduceOp)}`);
    let tensor = convertToTensor(value);
    const axis = options.axis ?? null;
    let count: Tensor | undefined;
    if (axis !== null) {
      count = ops.Cast({ x: ops.Shape({ input: tensor }), DstT: tensor.dtype } as Parameters<typeof ops.Cast>[0]);
      count = ops.GatherV2({ params: count, indices: axis, axis: 0 });
      tensor = ops.Sum({ input: tensor, reductionIndices: axis });
    }
    if (this.numReplicasInSync === 1) return reduceOp === 'MEAN' && count ? ops.RealDiv({ x: tensor, y: count }) : tensor;
    if (reduceOp === 'MEAN' && count !== undefined) {
      const [sum, n] = this.allReduceValues([tensor, ops.Reshape({ tensor: count, shape: [1] })]);
      return ops.RealDiv({ x: sum, y: ops.Reshape({ tensor: n, shape: [] }) });
    }
    const [reduced] = this.allReduceValues([tensor]);
    return reduceOp === 'MEAN' ? ops.RealDiv({ x: reduced, y: this.numReplicasInSync }) : reduced;
  }

  /**
   * The element-wise sums of `values` across workers, packed into one collective. Inside a trace it
   * adds the collective to the traced step; eagerly it runs one (cached per signature) traced call.
   */
  allReduceValues(values: readonly Tensor[]): Tensor[] {
    if (this.numReplicasInSync === 1) return [...values];
    if (!executingEagerly()) return allReduce(this.group, values);
    const key = values.map((v) => `${v.dtype}${JSON.stringify(v.shape)}`).join('|');
    let reducer = this.reducers.get(key);
    if (reducer === undefined) {
      const fn = tfFunction((...args: Tensor[]) => allReduce(this.group, args), { name: 'all_reduce' });
      reducer = fn as unknown as (value: Tensor) => Tensor;
      this.reducers.set(key, reducer);
    }
    return (reducer as unknown as (...args: Tensor[]) => Tensor[])(...values);
  }

  /**
   * Eagerly, every worker's rows of each batch, batch by batch in shard order (Keras' "concat" of
   * predict outputs across replicas), from this worker's `local` rows and its row count per batch.
   * Two all-reduces: the counts (so parts may differ in size), then each worker's rows placed at their
   * offsets in a zero array (an exact sum: every element has one non-zero term).
   */
  gatherBatches(local: Tensor, rowsPerBatch: readonly number[]): Tensor {
    if (this.numReplicasInSync === 1) return local;
    const { index, count } = this.batchShard;
    const steps = rowsPerBatch.length;
    const mine = new Float32Array(steps * count);
    rowsPerBatch.forEach((rows, k) => {
      mine[k * count + index] = rows;
    });
    const [all] = this.allReduceValues([constantTensor(mine, 'float32', [steps * count])]);
    const counts = all.dataSync() as Float32Array;
    const total = counts.reduce((a, b) => a + b, 0);
    const rowShape = local.shape.slice(1) as number[];
    const rowSize = rowShape.reduce((a, b) => a * b, 1);
    const data = local.dataSync() as Float32Array;
    const placed = new (data.constructor as Float32ArrayConstructor)(total * rowSize);
    let globalRow = 0;
    let localRow = 0;
    for (let k = 0; k < steps; k++) {
      let offset = globalRow;
      for (let j = 0; j < index; j++) offset += counts[k * count + j];
      const rows = rowsPerBatch[k];
      placed.set(data.subarray(localRow * rowSize, (localRow + rows) * rowSize), offset * rowSize);
      localRow += rows;
      for (let j = 0; j < count; j++) globalRow += counts[k * count + j];
    }
    const [gathered] = this.allReduceValues([constantTensor(placed, local.dtype, [total, ...rowShape])]);
    return gathered;
  }

  /**
   * Sets every worker's `variables` to the chief's values, in one session run per worker; returns the
   * chief's `integers` too (what else the workers must agree on, e.g. the epoch a backup resumes at).
   */
  broadcastVariables(variables: readonly Variable[], integers: readonly number[] = []): number[] {
    if (this.numReplicasInSync === 1 || (variables.length === 0 && integers.length === 0)) return [...integers];
    const isSource = this.isChief;
    const sync = tfFunction(
      () => {
        const extra = integers.length > 0 ? [constantTensor([...integers], 'int64', [integers.length])] : [];
        const values = broadcast(this.group, [...variables.map((v) => v.value()), ...extra], isSource);
        variables.forEach((v, i) => v.assign(values[i]));
        return values.slice(variables.length);
      },
      { name: 'broadcast_variables' },
    );
    try {
      const [received] = sync() as Tensor[];
      return received === undefined ? [] : Array.from(received.dataSync() as BigInt64Array, Number);
    } finally {
      sync.dispose();
    }
  }
}
