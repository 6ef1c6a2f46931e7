// Python's tf.distribute.cluster_resolver.TFConfigClusterResolver: the cluster and this task from TF_CONFIG.
import { checkOptions, describeValue } from '../utils/argument_validation';
import { ClusterSpec } from './cluster_spec';

export interface TFConfigClusterResolverOptions {
  taskType?: string;
  taskId?: number;
  rpcLayer?: string;
  /** Python's `environment` ("google" on Borg); only '' is meaningful here. */
  environment?: string;
}

interface TFConfig {
  cluster?: Record<string, string[]>;
  task?: { type?: string; index?: number };
  rpc_layer?: string;
  environment?: string;
}

function loadTFConfig(): TFConfig {
  const raw = process.env.TF_CONFIG;
  if (raw === undefined || raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
    return parsed as TFConfig;
  } catch (e) {
    throw new TypeError(`TF_CONFIG is not a JSON object: ${(e as Error).message}`);
  }
}

export class TFConfigClusterResolver {
  private readonly taskType_?: string;
  private readonly taskId_?: number;
  private readonly rpcLayer_?: string;
  readonly environment: string;

  constructor(options: TFConfigClusterResolverOptions = {}) {
    checkOptions('TFConfigClusterResolver', options, ['taskType', 'taskId', 'rpcLayer', 'environment']);
    this.taskType_ = options.taskType;
    this.taskId_ = options.taskId;
    this.rpcLayer_ = options.rpcLayer;
    this.environment = options.environment ?? loadTFConfig().environment ?? '';
  }

  /** TF_CONFIG's task.type unless given; null when neither says. */
  get taskType(): string | null {
    return this.taskType_ ?? loadTFConfig().task?.type ?? null;
  }

  /** TF_CONFIG's task.index unless given; null when neither says. */
  get taskId(): number | null {
    const id = this.taskId_ ?? loadTFConfig().task?.index;
    if (id === undefined) return null;
    if (!Number.isInteger(id) || id < 0)
      throw new TypeError(`TF_CONFIG task.index must be a non-negative integer. Received: ${describeValue(id)}`);
    return id;
  }

  get rpcLayer(): string | null {
    return this.rpcLayer_ ?? loadTFConfig().rpc_layer ?? null;
  }

  /** The cluster of TF_CONFIG (empty when unset). */
  clusterSpec(): ClusterSpec {
    return new ClusterSpec(loadTFConfig().cluster ?? {});
  }

  /** Python's master(): "rpc_layer://host:port" of a task (this one by default), '' when there is no cluster. */
  master(taskType?: string, taskId?: number, rpcLayer?: string): string {
    const type = taskType ?? this.taskType;
    const id = taskId ?? this.taskId;
    const spec = this.clusterSpec();
    if (type === null || id === null || !spec.jobs.includes(type)) return '';
    const address = spec.taskAddress(type, id);
    const layer = rpcLayer ?? this.rpcLayer;
    return layer ? `${layer}://${address}` : address;
  }

  /** Python's num_accelerators(): GPUs are not distributed here. */
  numAccelerators(): Record<string, number> {
    return {};
  }
}
