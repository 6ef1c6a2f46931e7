// Session over a raw graph: ConfigProto from an options object, runs by output, pre-resolved callables.
import { NativeCallable, NativeDevice, NativeGraph, NativeOperation, NativeOutput, NativeSession, NativeTensor, binding } from '../native';
import { InvalidArgumentError } from '../errors';
import { RunOptionsInit, SessionConfigOptions, encodeConfigProto, encodeRunOptions } from '../proto';

export interface SessionOptions extends SessionConfigOptions {
  /** The master to run on: a server's target ("grpc://host:port"); the in-process runtime when unset. */
  target?: string;
}

export interface RunOptions extends RunOptionsInit {
  feeds?: readonly (readonly [NativeOutput, NativeTensor])[];
  fetches?: readonly NativeOutput[];
  targets?: readonly NativeOperation[];
}

/** Python's session check: a fed tensor must fit the static shape its graph output declares (TF checks only some). */
function checkFeedShapes(feeds: readonly (readonly [NativeOutput, NativeTensor])[]): void {
  for (const [output, tensor] of feeds) {
    const declared = output.op.outputShape(output.index);
    if (declared === null || tensor.disposed) continue;
    const shape = tensor.shape;
    if (declared.length !== shape.length || declared.some((d, i) => d >= 0 && d !== shape[i])) {
      const show = (dims: readonly number[]) =>
        `(${dims.map((d) => (d < 0 ? 'None' : String(d))).join(', ')}${dims.length === 1 ? ',' : ''})`;
      throw new InvalidArgumentError(
        `Cannot feed value of shape ${show(shape)} for Tensor '${output.op.name}:${output.index}', which has shape ${show(declared)}`,
      );
    }
  }
}

/**
 * process.exit() and a fatal exception run the 'exit' listeners and then end the process without
 * waiting for the event loop: an async run blocked in TF (a queue nobody feeds) kept exit from ever
 * returning, and a run still computing would race the process's teardown. This listener closes the
 * sessions of the runs in flight (TF's cancellation: a blocked op returns at once, a running kernel
 * finishes first) and waits for them. A worker torn down without 'exit' (worker.terminate()) is
 * handled by the addon's environment cleanup hook.
 */
function cancelRunsAtExit(): void {
  binding.cancelRuns();
}

/**
 * Puts the exit listener after every other one, so that a listener that saves weights at exit
 * still finds its session open. Called before each async run; cheap when it is already last.
 */
export function exitListenerLast(): void {
  const listeners = process.listeners('exit');
  if (listeners[listeners.length - 1] === cancelRunsAtExit) return;
  process.off('exit', cancelRunsAtExit);
  process.on('exit', cancelRunsAtExit);
}

exitListenerLast();

function runOptionsBytes(options: RunOptionsInit): Uint8Array | undefined {
  return options.runInCallerThread || options.timeoutInMs !== undefined ? encodeRunOptions(options) : undefined;
}

export class Session {
  readonly native: NativeSession;

  constructor(
    readonly graph: NativeGraph,
    options: SessionOptions = {},
    savedModel?: { exportDir: string; tags: readonly string[] },
  ) {
    const { target, ...config } = options;
    this.native = new binding.Session(graph, encodeConfigProto(config), savedModel?.exportDir, savedModel?.tags, target);
  }

  /**
   * TF_LoadSessionFromSavedModel: imports the MetaGraph tagged `tags` into `graph` (empty) and runs
   * its variable restore; `metaGraphDef` then holds the serialized MetaGraphDef.
   */
  static fromSavedModel(graph: NativeGraph, exportDir: string, tags: readonly string[], options: SessionOptions = {}): Session {
    return new Session(graph, options, { exportDir, tags });
  }

  /** The serialized MetaGraphDef of a session loaded from a SavedModel. */
  get metaGraphDef(): Uint8Array | undefined {
    return this.native.metaGraphDef;
  }

  get closed(): boolean {
    return this.native.closed;
  }

  run({ feeds = [], fetches = [], targets = [], ...options }: RunOptions): NativeTensor[] {
    checkFeedShapes(feeds);
    return this.native.run(
      feeds.map(([output]) => output),
      feeds.map(([, tensor]) => tensor),
      fetches,
      targets,
      runOptionsBytes(options),
    );
  }

  /** The same run on a pool thread: the event loop stays free while TF computes. */
  async runAsync({ feeds = [], fetches = [], targets = [], ...options }: RunOptions): Promise<NativeTensor[]> {
    checkFeedShapes(feeds);
    exitListenerLast();
    return this.native.runAsync(
      feeds.map(([output]) => output),
      feeds.map(([, tensor]) => tensor),
      fetches,
      targets,
      runOptionsBytes(options),
    );
  }

  /** Resolves feeds, fetches and targets once; each call then only passes the feed tensors. */
  makeCallable(
    feeds: readonly NativeOutput[],
    fetches: readonly NativeOutput[],
    targets: readonly NativeOperation[] = [],
    options: RunOptionsInit = {},
  ): NativeCallable {
    return new binding.Callable(this.native, feeds, fetches, targets, runOptionsBytes(options));
  }

  listDevices(): NativeDevice[] {
    return this.native.listDevices();
  }

  /** Cancels runs still in flight (TF's CancelledError); later runs fail with FailedPreconditionError. */
  close(): void {
    this.native.close();
  }
}
