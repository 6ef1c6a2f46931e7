// Session over a raw graph: ConfigProto from an options object, runs by output, pre-resolved callables.
import { NativeCallable, NativeDevice, NativeGraph, NativeOperation, NativeOutput, NativeSession, NativeTensor, binding } from '../native';
import { encodeConfigProto } from '../proto';

export interface SessionOptions {
  intraOpParallelismThreads?: number;
  interOpParallelismThreads?: number;
  allowSoftPlacement?: boolean;
  logDevicePlacement?: boolean;
  gpuAllowGrowth?: boolean;
  gpuMemoryFraction?: number;
  deviceCount?: Record<string, number>;
}

export interface RunOptions {
  feeds?: readonly (readonly [NativeOutput, NativeTensor])[];
  fetches?: readonly NativeOutput[];
  targets?: readonly NativeOperation[];
}

export class Session {
  readonly native: NativeSession;

  constructor(
    readonly graph: NativeGraph,
    options: SessionOptions = {},
  ) {
    for (const key of ['intraOpParallelismThreads', 'interOpParallelismThreads'] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        throw new RangeError(`${key} must be a non-negative integer, got ${value}`);
      }
    }
    this.native = new binding.Session(graph, encodeConfigProto(options));
  }

  get closed(): boolean {
    return this.native.closed;
  }

  run({ feeds = [], fetches = [], targets = [] }: RunOptions): NativeTensor[] {
    return this.native.run(
      feeds.map(([output]) => output),
      feeds.map(([, tensor]) => tensor),
      fetches,
      targets,
    );
  }

  /** The same run on the libuv pool: the event loop stays free while TF computes. */
  async runAsync({ feeds = [], fetches = [], targets = [] }: RunOptions): Promise<NativeTensor[]> {
    return this.native.runAsync(
      feeds.map(([output]) => output),
      feeds.map(([, tensor]) => tensor),
      fetches,
      targets,
    );
  }

  /** Resolves feeds, fetches and targets once; each call then only passes the feed tensors. */
  makeCallable(feeds: readonly NativeOutput[], fetches: readonly NativeOutput[], targets: readonly NativeOperation[] = []): NativeCallable {
    return new binding.Callable(this.native, feeds, fetches, targets);
  }

  listDevices(): NativeDevice[] {
    return this.native.listDevices();
  }

  /** Runs still in flight complete first; later runs fail with FailedPreconditionError. */
  close(): void {
    this.native.close();
  }
}
