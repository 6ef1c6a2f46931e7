// The strategy whose scope() is running: what Keras' compile() records as the model's strategy.
export interface ReplicaStrategy {
  readonly numReplicasInSync: number;
}

let current: ReplicaStrategy | null = null;

export function currentStrategy(): ReplicaStrategy | null {
  return current;
}

export function inScope<T>(strategy: ReplicaStrategy, body: () => T): T {
  const outer = current;
  current = strategy;
  try {
    return body();
  } finally {
    current = outer;
  }
}

/** What Keras' fit asks of the strategy a model was compiled under. */
export interface TrainingStrategy extends ReplicaStrategy {
  /** This worker's part of each global batch. */
  readonly batchShard: { index: number; count: number };
  /** Element-wise sums across replicas, packed into one collective (added to the step being traced). */
  allReduceValues(values: readonly import('../tensor').Tensor[]): import('../tensor').Tensor[];
  /** Eagerly: every replica's rows of each batch, batch by batch in shard order, from this one's rows and rows per batch. */
  gatherBatches(local: import('../tensor').Tensor, rowsPerBatch: readonly number[]): import('../tensor').Tensor;
  /** Whether this worker writes what only one should (Keras' is_chief: checkpoints, backups). */
  readonly isChief: boolean;
  /** Every replica's variables set to the chief's, in one run; returns the chief's `integers` too. */
  broadcastVariables(variables: readonly import('../variable').Variable[], integers?: readonly number[]): number[];
}

export function currentTrainingStrategy(): TrainingStrategy | null {
  return asTrainingStrategy(current);
}

/** `strategy` when its replicas are workers (MultiWorkerMirroredStrategy), else null. */
export function asTrainingStrategy(strategy: ReplicaStrategy | null): TrainingStrategy | null {
  return strategy !== null && typeof (strategy as Partial<TrainingStrategy>).allReduceValues === 'function'
    ? (strategy as TrainingStrategy)
    : null;
}

/** What Keras' fit asks of a strategy whose replicas are devices of this process (MirroredStrategy). */
export interface DeviceReplicaStrategy extends ReplicaStrategy {
  /** Runs `body` on each replica's part of `inputs` (dim 0) under its device; each result and row count. */
  forEachReplica<R>(
    inputs: readonly (import('../tensor').Tensor | undefined)[],
    body: (parts: (import('../tensor').Tensor | undefined)[], replica: number) => R,
  ): { results: R[]; counts: import('../tensor').Tensor[] };
  /** Σ countᵢ·valueᵢ / Σ countᵢ per position, on one device; and the total count. */
  weightedMean(
    values: readonly (readonly (import('../tensor').Tensor | null)[])[],
    counts: readonly import('../tensor').Tensor[],
  ): { means: (import('../tensor').Tensor | null)[]; total: import('../tensor').Tensor };
}

export function currentDeviceReplicaStrategy(): DeviceReplicaStrategy | null {
  return asDeviceReplicaStrategy(current);
}

/** `strategy` when its replicas are devices of this process (MirroredStrategy), else null. */
export function asDeviceReplicaStrategy(strategy: ReplicaStrategy | null): DeviceReplicaStrategy | null {
  return strategy !== null && typeof (strategy as Partial<DeviceReplicaStrategy>).forEachReplica === 'function'
    ? (strategy as DeviceReplicaStrategy)
    : null;
}
