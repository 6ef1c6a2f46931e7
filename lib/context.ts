// Where ops go: eagerly to TFE, or into the graph of the tf.function being traced; device scopes.
import type { NativeGraph, NativeOperation, NativeOutput, NativeTensor } from './native';
import type { OpAttr } from './ops/run_op';
import type { Tensor } from './tensor';

/** Host work tied to each run of a traced function. */
export interface RunHooks {
  /** Called after each successful run. */
  commit?(): void;
  /** Called instead of commit() when the run fails after it was prepared. */
  abort?(): void;
}

/** A value the host computes before every run of a traced function and feeds to `output`. */
export interface HostInput extends RunHooks {
  readonly output: NativeOutput;
  /** Called before each run; throwing aborts the call before anything runs. */
  value(): NativeTensor;
}

/** The state of one tf.function trace: its name scope, captures, stateful ops and host work. */
export interface Trace {
  /** The graph its ops go into: the runtime's, or an eager tape's replay graph. */
  readonly graph: NativeGraph;
  readonly scope: string;
  /** Stateful ops in program order: run as targets, each after the one before. */
  readonly statefulOps: NativeOperation[];
  /** Eager tensors used inside the trace, fed to their placeholders on every call. */
  readonly captures: Map<Tensor, NativeOutput>;
  /** Every ReadVariableOp of each variable in this trace, keyed by the variable's handle op name. */
  readonly variableReads: Map<string, NativeOutput[]>;
  /** Values fed from the host at each run, in the order they were declared. */
  readonly hostInputs: HostInput[];
  /** Hooks without a fed value (e.g. a variable's write count). */
  readonly runHooks: RunHooks[];
  /** The tf.function whose trace this is (the same for all its traces): collectives key their instances by it. */
  readonly owner?: object;
  /** Inside a branch of `cond`: the branch's pivot, a control input of every op added (dead when the branch is not taken). */
  pivot?: NativeOperation;
  /** What the next stateful op runs after when it is not the last of statefulOps (a branch's start, a cond's Merge). */
  chainTail?: NativeOperation;
}

/** An empty trace for the graph scope `scope` of `graph`. */
export function newTrace(graph: NativeGraph, scope: string, owner?: object): Trace {
  return { graph, scope, statefulOps: [], captures: new Map(), variableReads: new Map(), hostInputs: [], runHooks: [], owner };
}

/** An op run eagerly while a GradientTape records. */
export interface RecordedOp {
  type: string;
  /** As the caller gave them (dtype names, host values), converted again on replay. */
  attrs: readonly OpAttr[];
  inputs: (Tensor | Tensor[])[];
  outputs: Tensor[][];
  outputArgs: readonly string[];
  device?: string;
}

export interface TapeRecorder {
  recordOp(op: RecordedOp): void;
  recordRead(variableHandle: string, value: Tensor): void;
}

class Context {
  private readonly traces: Trace[] = [];
  private readonly devices: string[] = [];
  private initScopeDepth = 0;
  readonly tapes = new Set<TapeRecorder>();

  /** The trace ops go into, or undefined when ops run eagerly. */
  get trace(): Trace | undefined {
    return this.initScopeDepth > 0 ? undefined : this.traces[this.traces.length - 1];
  }

  /** Whether a trace is being built, also inside its initScope (no graph may be swapped then). */
  get tracing(): boolean {
    return this.traces.length > 0;
  }

  get device(): string | undefined {
    return this.devices[this.devices.length - 1];
  }

  withTrace<T>(trace: Trace, body: () => T): T {
    this.traces.push(trace);
    const depth = this.initScopeDepth;
    this.initScopeDepth = 0;
    try {
      return body();
    } finally {
      this.traces.pop();
      this.initScopeDepth = depth;
    }
  }

  /** Runs `body` eagerly even inside a trace (Python's init_scope): variable creation and init. */
  initScope<T>(body: () => T): T {
    ++this.initScopeDepth;
    try {
      return body();
    } finally {
      --this.initScopeDepth;
    }
  }

  withDevice<T>(device: string, body: () => T): T {
    this.devices.push(device);
    try {
      return body();
    } finally {
      this.devices.pop();
    }
  }
}

export const context = new Context();
