// tf.Variable: a resource variable in the runtime's graph (VarHandleOp / AssignVariableOp /
// ReadVariableOp), shared by eager code and every tf.function. A compaction rebuilds it, under the
// same name and with its value, in the new graph; dispose() destroys its resource.
import { context } from './context';
import { DType, dtypeToEnum } from './dtypes';
import { HostValue } from './host_data';
import { NativeCallable, NativeOperation, NativeOutput } from './native';
import { addTraceOperation, symbolicOutput } from './ops/run_op';
import { opInfo } from './op_registry';
import { hostTensor } from './raw/host_tensor';
import { GraphOwner, Migration, runtime } from './runtime';
import { READ_AS_TENSOR, Tensor, TensorLike, isReadAsTensor, scalarValueOf } from './tensor';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** Python's `constraint`: a projection optimizers apply after each update (Keras' weight constraints). */
  constraint?: ((value: Tensor) => Tensor) | null;
}

/** An initial value, or a function that makes one (evaluated once, eagerly). */
export type InitialValue = TensorLike | (() => TensorLike);

type AssignKind = 'AssignVariableOp' | 'AssignAddVariableOp' | 'AssignSubVariableOp';

/** A variable's ops in one graph, and its eager read and assigns there. */
interface GraphState {
  handleOp: NativeOperation;
  read: NativeOutput;
  /** Made on the first eager read: each callable costs TF a pruning of the whole graph on its first run. */
  readCallable?: NativeCallable;
  valueFeed: NativeOutput;
  assignOps: Map<AssignKind, NativeOperation>;
  assignCallables: Map<AssignKind, NativeCallable>;
}

/**
 * Eager reads and assigns run on the calling thread: one op, where handing the run to TF's inter-op
 * pool and waiting for it costs far more (~1 ms on a loaded 2-core VM, e.g. fit's per-epoch read of
 * the learning rate).
 */
const IN_CALLER_THREAD = { runInCallerThread: true } as const;

/** Ops a variable adds: handle, read, value feed and up to three assigns. */
const VARIABLE_OPS = 6;

export class Variable implements GraphOwner {
  /** Ops take a variable wherever they take a tensor, reading it through value() (lib/ops/convert.ts). */
  readonly [READ_AS_TENSOR] = true as const;
  readonly name: string;
  readonly trainable: boolean;
  /** Applied by optimizers after each update (Python's `tf.Variable(constraint=...)`); null for none. */
  constraint: ((value: Tensor) => Tensor) | null;
  readonly dtype: DType;
  readonly shape: number[];
  private readonly opName: string;
  /** Undefined once disposed. */
  private graphState?: GraphState;
  private readonly ownerId: number;
  private writes = 0;

  constructor(initialValue: InitialValue, options: VariableOptions = {}) {
    const { trainable = true } = options;
    if (!context.tracing) runtime.maybeCompact();
    const value = context.initScope(() => toEagerTensor(typeof initialValue === 'function' ? initialValue() : initialValue, options.dtype));
    this.dtype = value.dtype;
    this.shape = value.shape as number[];
    this.trainable = trainable;
    this.constraint = options.constraint ?? null;
    this.opName = runtime.uniqueVariableName(options.name ?? 'Variable');
    this.name = `${this.opName}:0`;
    this.graphState = this.build();
    this.ownerId = runtime.own(this, VARIABLE_OPS);
    this.runAssign('AssignVariableOp', value);
  }

  /** Its handle, read and value feed in the runtime's current graph, under its own name. */
  private build(): GraphState {
    const graph = runtime.graph;
    const dtype = dtypeToEnum(this.dtype);
    const handleOp = graph.addOperation({
      type: 'VarHandleOp',
      name: this.opName,
      attrs: [
        ['dtype', 'type', dtype],
        ['shape', 'shape', this.shape],
        ['shared_name', 'string', this.opName],
      ],
    });
    const read = graph.addOperation({
      type: 'ReadVariableOp',
      name: `${this.opName}/Read/ReadVariableOp`,
      inputs: [{ op: handleOp, index: 0 }],
      attrs: [['dtype', 'type', dtype]],
    });
    const valueFeed = runtime.placeholder(`${this.opName}/value`, this.dtype, this.shape);
    return { handleOp, read: { op: read, index: 0 }, valueFeed, assignOps: new Map(), assignCallables: new Map() };
  }

  /** Compaction: rebuilt in the new graph; the migration moves the value (all variables in one run each side). */
  onCompact(migration: Migration): void {
    const read = this.state().read;
    const state = this.build();
    this.graphState = state;
    runtime.setOps(this.ownerId, VARIABLE_OPS);
    migration.move(read, state.valueFeed, this.assignOp(state, 'AssignVariableOp'));
  }

  private state(): GraphState {
    if (this.graphState === undefined) throw new Error(`Variable '${this.opName}' was disposed`);
    return this.graphState;
  }

  /** Whether dispose() was called. */
  get isDisposed(): boolean {
    return this.graphState === undefined;
  }

  /**
   * Destroys the variable's resource (its memory is freed now) and leaves its graph ops to the
   * next compaction; any later use throws. Twice is a no-op. Many at once: `disposeVariables`.
   */
  dispose(): void {
    disposeVariables([this]);
  }

  /** For disposeVariables: marks it disposed and returns its handle op, or undefined if it already was. */
  private release(): NativeOperation | undefined {
    const state = this.graphState;
    if (state === undefined) return undefined;
    this.graphState = undefined;
    runtime.release(this.ownerId, this);
    return state.handleOp;
  }

  /** The VarHandleOp: every read and write in any graph goes through it. */
  get handleOp(): NativeOperation {
    return this.state().handleOp;
  }

  /** The op writing the value feed into the variable (made once per kind). */
  private assignOp(state: GraphState, kind: AssignKind): NativeOperation {
    let op = state.assignOps.get(kind);
    if (!op) {
      op = runtime.graph.addOperation({
        type: kind,
        name: `${this.opName}/${kind}`,
        inputs: [{ op: state.handleOp, index: 0 }, state.valueFeed],
        attrs:
          kind === 'AssignVariableOp'
            ? [
                ['dtype', 'type', dtypeToEnum(this.dtype)],
                ['validate_shape', 'bool', true],
              ]
            : [['dtype', 'type', dtypeToEnum(this.dtype)]],
      });
      state.assignOps.set(kind, op);
    }
    return op;
  }

  private assignCallable(kind: AssignKind): NativeCallable {
    const state = this.state();
    let callable = state.assignCallables.get(kind);
    if (!callable) {
      callable = runtime.session.makeCallable([state.valueFeed], [], [this.assignOp(state, kind)], IN_CALLER_THREAD);
      state.assignCallables.set(kind, callable);
    }
    return callable;
  }

  /**
   * Counts writes through this object: eager assigns, and runs of traced functions that assign it
   * (a failed run counts too, since it may have written). Host caches of the value compare it to
   * know they are stale; writes by raw ops on the handle (e.g. optimizer apply kernels) do not count.
   */
  get writeCount(): number {
    return this.writes;
  }

  private runAssign(kind: AssignKind, value: Tensor): void {
    if (value.dtype !== this.dtype) {
      throw new TypeError(`Cannot assign a ${value.dtype} value to variable '${this.name}' of dtype ${this.dtype}`);
    }
    this.writes += 1;
    const lent = value.hostTensor;
    if (lent !== undefined) {
      this.assignCallable(kind).run([lent]);
      return;
    }
    const native = value.toNative();
    try {
      this.assignCallable(kind).run([native]);
    } finally {
      native.dispose();
    }
  }

  /** The resource handle as a graph tensor, for ops that take the variable itself (only while tracing). */
  get handle(): Tensor {
    this.state();
    if (!context.trace) throw new TypeError(`The handle of variable '${this.name}' is only usable inside tf.function`);
    return Tensor.symbolic({ op: this.handleOp, index: 0 });
  }

  /** The current value: eager, or a ReadVariableOp when tracing. */
  value(): Tensor {
    const state = this.state();
    const trace = context.trace;
    if (trace) {
      const op = addTraceOperation(trace, {
        type: 'ReadVariableOp',
        name: `${this.handleOp.name}/ReadVariableOp`,
        inputs: [{ op: this.handleOp, index: 0 }],
        attrs: [['dtype', 'type', dtypeToEnum(this.dtype)]],
        stateful: opInfo('ReadVariableOp').isStateful,
      });
      const output = { op, index: 0 };
      const reads = trace.variableReads.get(this.handleOp.name) ?? [];
      reads.push(output);
      trace.variableReads.set(this.handleOp.name, reads);
      return Tensor.symbolic(output);
    }
    state.readCallable ??= runtime.session.makeCallable([], [state.read], [], IN_CALLER_THREAD);
    const [native] = state.readCallable.run([]);
    const value = Tensor.fromNative(native);
    for (const tape of context.tapes) tape.recordRead(this.opName, value);
    return value;
  }

  /** Python's `read_value()`. */
  readValue(): Tensor {
    return this.value();
  }

  numpy(): ReturnType<Tensor['numpy']> {
    return context.initScope(() => {
      const value = this.value();
      try {
        return value.numpy();
      } finally {
        value.dispose();
      }
    });
  }

  assign(value: TensorLike): this {
    return this.write('AssignVariableOp', value);
  }

  assignAdd(delta: TensorLike): this {
    return this.write('AssignAddVariableOp', delta);
  }

  assignSub(delta: TensorLike): this {
    return this.write('AssignSubVariableOp', delta);
  }

  private write(kind: AssignKind, value: TensorLike): this {
    this.state();
    if (isReadAsTensor(value)) value = value.value();
    const trace = context.trace;
    if (trace) {
      const input = value instanceof Tensor ? value : Tensor.fromNative(hostTensor(value as HostValue, undefined, this.dtype));
      if (input.dtype !== this.dtype) {
        throw new TypeError(`Cannot assign a ${input.dtype} value to variable '${this.name}' of dtype ${this.dtype}`);
      }
      const attrs: [string, string, unknown][] = [['dtype', 'type', dtypeToEnum(this.dtype)]];
      if (kind === 'AssignVariableOp') attrs.push(['validate_shape', 'bool', true]);
      addTraceOperation(trace, {
        type: kind,
        inputs: [{ op: this.handleOp, index: 0 }, symbolicOutput(trace, input)],
        attrs,
        stateful: true,
      });
      const counted = () => void (this.writes += 1);
      trace.runHooks.push({ commit: counted, abort: counted });
      return this;
    }
    const tensor = toEagerTensor(value, this.dtype);
    try {
      this.runAssign(kind, tensor);
    } finally {
      if (tensor !== value) tensor.dispose();
    }
    return this;
  }

  /** A scalar variable's current value, so `Number(lr)` and `lr * 0.5` work; a TypeError for other shapes. */
  valueOf(): number | boolean | string | bigint {
    return scalarValueOf(`Variable '${this.name}'`, this.shape, () => this.numpy());
  }

  toString(): string {
    if (this.isDisposed) return `<tf.Variable '${this.name}' (disposed)>`;
    return `<tf.Variable '${this.name}' shape=(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}) dtype=${this.dtype}>`;
  }
}

function toEagerTensor(value: TensorLike, dtype?: DType): Tensor {
  if (isReadAsTensor(value)) value = value.value();
  if (value instanceof Tensor) {
    if (value.isSymbolic) throw new TypeError('A variable needs an eager value; got a symbolic tensor');
    if (dtype !== undefined && value.dtype !== dtype) {
      throw new TypeError(`Cannot use a ${value.dtype} tensor as a ${dtype} variable value`);
    }
    return value;
  }
  return Tensor.fromNative(hostTensor(value, undefined, dtype));
}

/** Disposes `variables` together: one session run destroys all their resources (a model's dispose). */
export function disposeVariables(variables: Iterable<Variable>): void {
  runtime.deferCompaction(() => {
    for (const variable of variables) {
      const handle = variable['release']();
      if (handle) runtime.destroyResource(handle);
    }
  });
}
