// tf.function: traces `fn` once per input signature into the global graph, then runs each call as
// one pre-resolved session run (arguments fed, results fetched, stateful ops run as targets).
// This is the one layer that builds graphs for the code above it: host inputs (values the host
// computes at each call), run hooks and output specs are asked of it, never built by hand.
import { context, HostInput, newTrace, RunHooks, Trace } from './context';
import { DType, dtypeToEnum } from './dtypes';
import { HostValue, inferDType } from './host_data';
import { NativeCallable, NativeOperation, NativeOutput, NativeTensor } from './native';
import { pruneGraphDef } from './proto';
import { addTraceOperation, lastStatefulOp, symbolicOutput } from './ops/run_op';
import { hostTensor } from './raw/host_tensor';
import { exitListenerLast } from './raw/session';
import { Generation, GraphOwner, runtime } from './runtime';
import { Shape, Tensor, TensorLike } from './tensor';

/** Python's tf.TensorSpec: a dtype and a shape with null for dims that may vary (e.g. the batch). */
export class TensorSpec {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType = 'float32',
    readonly name?: string,
  ) {
    dtypeToEnum(dtype);
  }

  isCompatibleWith(tensor: Tensor): boolean {
    const shape = tensor.shape;
    return tensor.dtype === this.dtype && shape.length === this.shape.length && this.shape.every((d, i) => d === null || d === shape[i]);
  }
}

export interface FunctionOptions {
  /** Fixes the signature (null dims accept any size); calls that do not fit are errors. */
  inputSignature?: readonly TensorSpec[];
  /**
   * Python's reduce_retracing, for the leading (batch) dimension: the first call of each per-sample
   * signature gets a trace with static shapes (grappler folds its shape arithmetic away); calls that
   * differ from it only in leading dims share one more trace where those dims are free (None). Any
   * other difference in shape traces anew, so shape errors keep naming the real shapes.
   */
  reduceRetracing?: boolean;
  name?: string;
}

/** What a traced function may return: tensors, plain values, and arrays or objects of them. */
export type Structure =
  | Tensor
  | number
  | string
  | boolean
  | null
  | undefined
  | readonly Structure[]
  | { readonly [key: string]: Structure };

/** Tensors in a returned structure replaced by tensors from `next()`. */
type Rebuild<R> = R;

class ConcreteFunction {
  /** Undefined when the trace has nothing to fetch or run (TF refuses such a run). */
  private readonly callable?: NativeCallable;
  /** The same run fetching nothing (made on first use); null when it would run nothing. */
  private effectsCallable?: NativeCallable | null;
  /** The ops the effects-only run runs: the stateful ops, less the trailing reads only results need. */
  private readonly effectTargets: NativeOperation[];
  private readonly runFeeds: NativeOutput[];
  private readonly capturedValues: NativeTensor[];
  private readonly template: Structure;
  private readonly hostInputs: HostInput[];
  private readonly runHooks: RunHooks[];
  readonly outputCount: number;
  /** The graph nodes a run fetches or runs as targets. */
  readonly graphRoots: readonly string[];
  /** What an export needs: the argument placeholders, the fetched outputs and the captured eager values' placeholders. */
  readonly endpoints: {
    readonly inputs: readonly NativeOutput[];
    readonly outputs: readonly NativeOutput[];
    readonly captures: readonly (readonly [NativeOutput, Tensor])[];
    readonly hostInputs: number;
    /** Types of the stateful ops a run runs as targets. */
    readonly statefulOps: readonly string[];
  };
  /** How many ops the trace added to the graph. */
  readonly graphOps: number;
  /** The graph and session it runs in: an async run keeps them open past a compaction. */
  private readonly generation: Generation;

  constructor(
    readonly specs: readonly TensorSpec[],
    fn: (...args: Tensor[]) => Structure,
    name: string,
    owner?: object,
  ) {
    this.generation = runtime.generation;
    const graph = this.generation.graph;
    const opsBefore = graph.numOperations;
    const trace = newTrace(graph, runtime.uniqueName(name), owner);
    const placeholders = specs.map((spec, i) => runtime.placeholder(`${trace.scope}/${spec.name ?? `arg${i}`}`, spec.dtype, spec.shape));
    const inputs = placeholders.map((p, i) => withStaticShape(p, specs[i]));
    const fetches: NativeOutput[] = [];
    this.template = context.withTrace(trace, () => {
      const result = fn(...inputs.map((p) => Tensor.symbolic(p)));
      return mapStructure(result, (t) => {
        fetches.push(symbolicOutput(trace, t));
        return TENSOR_SLOT as unknown as Structure;
      });
    });
    this.outputCount = fetches.length;
    this.hostInputs = trace.hostInputs;
    this.runHooks = trace.runHooks;
    const captures = [...trace.captures.entries()];
    // TF refuses to fetch a tensor it is fed: a returned argument or capture goes through Identity.
    const fed = new Set([...placeholders, ...captures.map(([, output]) => output)].map((o) => o.op.name));
    fetches.forEach((output, i) => {
      if (!fed.has(output.op.name)) return;
      const identity = addTraceOperation(trace, { type: 'Identity', inputs: [output], attrs: [], stateful: false });
      fetches[i] = { op: identity, index: 0 };
    });
    this.capturedValues = captures.map(([tensor]) => tensor.toNative());
    this.graphRoots = [...fetches.map((o) => o.op.name), ...trace.statefulOps.map((op) => op.name)];
    this.endpoints = {
      inputs: placeholders,
      outputs: fetches,
      captures: captures.map(([tensor, output]) => [output, tensor] as const),
      hostInputs: this.hostInputs.length,
      statefulOps: trace.statefulOps.map((op) => op.type),
    };
    this.graphOps = graph.numOperations - opsBefore;
    this.runFeeds = [...placeholders, ...captures.map(([, output]) => output), ...this.hostInputs.map((h) => h.output)];
    // Stateful ops run in program order (each has the one before as a control input), so reads at
    // the end (a step's metric results) only serve the fetches: without fetches they need not run.
    let last = trace.statefulOps.length;
    while (last > 0 && trace.statefulOps[last - 1].type === 'ReadVariableOp') last -= 1;
    this.effectTargets = trace.statefulOps.slice(0, last);
    if (fetches.length === 0 && trace.statefulOps.length === 0) return;
    this.callable = this.generation.session.makeCallable(this.runFeeds, fetches, trace.statefulOps, { runInCallerThread: true });
  }

  /** The run without fetches, or null when it would run nothing. */
  private effects(): NativeCallable | null {
    if (this.effectsCallable === undefined) {
      this.effectsCallable =
        this.effectTargets.length === 0
          ? null
          : this.generation.session.makeCallable(this.runFeeds, [], this.effectTargets, { runInCallerThread: true });
    }
    return this.effectsCallable;
  }

  /** The run's feeds; `lend` (sync runs only) feeds host-backed arguments as they are, without a new reference. */
  private feeds(args: readonly TensorLike[], lend: boolean): { natives: NativeTensor[]; owned: NativeTensor[] } {
    const owned: NativeTensor[] = [];
    const natives: NativeTensor[] = [];
    let taken = 0;
    try {
      for (let i = 0; i < args.length; ++i) {
        const arg = args[i];
        const lent = lend && arg instanceof Tensor ? arg.hostTensor : undefined;
        if (lent !== undefined) {
          natives.push(lent);
          continue;
        }
        const native = arg instanceof Tensor ? arg.toNative() : hostTensor(arg as HostValue, undefined, this.specs[i].dtype);
        owned.push(native);
        natives.push(native);
      }
      natives.push(...this.capturedValues);
      for (const input of this.hostInputs) {
        const value = input.value();
        taken += 1;
        owned.push(value);
        natives.push(value);
      }
      return { natives, owned };
    } catch (e) {
      for (const t of owned) t.dispose();
      this.hostInputs.slice(0, taken).forEach((h) => h.abort?.());
      throw e;
    }
  }

  private abort(): void {
    for (const hooks of this.hostInputs) hooks.abort?.();
    for (const hooks of this.runHooks) hooks.abort?.();
  }

  private commit(): void {
    for (const hooks of this.hostInputs) hooks.commit?.();
    for (const hooks of this.runHooks) hooks.commit?.();
  }

  /** The returned structure with each tensor replaced by `slot()`. */
  structure(slot: () => Structure): Structure {
    return mapStructure(this.template, slot);
  }

  private results(outputs: NativeTensor[]): Structure {
    let next = 0;
    return mapStructure(this.template, () => Tensor.fromNative(outputs[next++]));
  }

  /** After a run: feeds freed, host feeds committed (aborted when the run failed), results wrapped. */
  private complete(owned: NativeTensor[], outputs?: NativeTensor[], results = true): Structure {
    for (const t of owned) t.dispose();
    if (outputs === undefined) {
      this.abort();
      return undefined;
    }
    this.commit();
    return results ? this.results(outputs) : undefined;
  }

  /** One run; `results` false runs it for its effects only (nothing fetched, no results made). */
  call(args: readonly TensorLike[], results = true): Structure {
    const callable = results ? this.callable : this.effects();
    const { natives, owned } = this.feeds(args, true);
    let outputs: NativeTensor[];
    try {
      outputs = callable ? callable.run(natives) : [];
    } catch (e) {
      this.complete(owned);
      throw e;
    }
    return results ? this.complete(owned, outputs) : void this.complete(owned, outputs, false);
  }

  async callAsync(args: readonly TensorLike[], results = true): Promise<Structure> {
    const callable = results ? this.callable : this.effects();
    const { natives, owned } = this.feeds(args, false);
    exitListenerLast();
    let outputs: NativeTensor[];
    this.generation.beginRun();
    try {
      outputs = callable ? await callable.runAsync(natives) : [];
    } catch (e) {
      this.complete(owned);
      throw e;
    } finally {
      this.generation.endRun();
    }
    return results ? this.complete(owned, outputs) : void this.complete(owned, outputs, false);
  }
}

/**
 * Grappler trusts no fed tensor's shape, so shapes computed from a bare Placeholder (the C++ gradients'
 * Shape/BroadcastGradientArgs/DynamicStitch chains) would stay in the graph and run every step.
 * EnsureShape restates the signature's shape where grappler believes it, and those chains fold away.
 */
function withStaticShape(placeholder: NativeOutput, spec: TensorSpec): NativeOutput {
  if (spec.dtype === 'resource' || spec.dtype === 'variant') return placeholder;
  const op = runtime.graph.addOperation({
    type: 'EnsureShape',
    name: runtime.uniqueName(`${placeholder.op.name}/EnsureShape`),
    inputs: [placeholder],
    attrs: [
      ['shape', 'shape', spec.shape.map((d) => d ?? -1)],
      ['T', 'type', dtypeToEnum(spec.dtype)],
    ],
  });
  return { op, index: 0 };
}

/** Marks where a returned tensor goes in the output template. */
const TENSOR_SLOT = Symbol('tensor slot');

/** Replaces each tensor of a structure, or each tensor slot of a template. */
function mapStructure(value: Structure, f: (t: Tensor) => Structure): Structure {
  if (value instanceof Tensor || (value as unknown) === TENSOR_SLOT) return f(value as Tensor);
  if (Array.isArray(value)) return value.map((v) => mapStructure(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStructure(v as Structure, f)]));
  }
  return value;
}

export interface TracedFunction<A extends TensorLike[], R extends Structure> {
  (...args: A): Rebuild<R>;
  /** The same call on a pool thread: the event loop stays free while TF runs the graph. */
  callAsync(...args: A): Promise<Rebuild<R>>;
  /**
   * The same one session run for its effects only: nothing is fetched, and the reads at the end of
   * the function that only its results need (a train step's metric results) do not run.
   */
  callForEffects(...args: A): void;
  /** callForEffects on a pool thread. */
  callForEffectsAsync(...args: A): Promise<void>;
  /** How many graphs have been traced (one per distinct input signature). */
  readonly tracingCount: number;
  /**
   * A serialized GraphDef of the traces made so far: the nodes their runs reach (as Python's
   * `concrete_function.graph.as_graph_def()`, for TensorBoard's Graphs tab); undefined before the first call.
   */
  graphDef(): Uint8Array | undefined;
  /** Frees its traces (their graph ops are reclaimed by the next compaction); later calls throw. Twice is a no-op. */
  dispose(): void;
}

/** A host value takes `hint` (its inputSignature's dtype) when it fits it, as Python converts to the signature. */
function specOf(arg: TensorLike, i: number, hint?: DType): TensorSpec {
  if (arg instanceof Tensor) {
    if (arg.isSymbolic) throw new TypeError(`Argument ${i} is a symbolic tensor; call tf.function with eager values`);
    return new TensorSpec(arg.shape, arg.dtype);
  }
  let dtype = inferDType(arg as HostValue);
  if (hint !== undefined && hint !== dtype) {
    try {
      hostTensor(arg as HostValue, undefined, hint).dispose();
      dtype = hint;
    } catch {}
  }
  const t = hostTensor(arg as HostValue, undefined, dtype);
  try {
    return new TensorSpec(t.shape, dtype);
  } finally {
    t.dispose();
  }
}

/** Whether `spec` accepts a value of `dtype` and `shape` (null dims accept any size). */
function fits(spec: TensorSpec, dtype: DType, shape: Shape): boolean {
  if (dtype !== spec.dtype || shape.length !== spec.shape.length) return false;
  for (let j = 0; j < shape.length; ++j) if (spec.shape[j] !== null && spec.shape[j] !== shape[j]) return false;
  return true;
}

/** Whether every argument fits its spec; arguments given as host values are measured. */
function allFit(specs: readonly TensorSpec[], args: readonly TensorLike[]): boolean {
  if (specs.length !== args.length) return false;
  for (let i = 0; i < args.length; ++i) {
    const arg = args[i];
    const actual = arg instanceof Tensor && !arg.isSymbolic ? arg : specOf(arg, i, specs[i].dtype);
    if (!fits(specs[i], actual.dtype, actual.shape)) return false;
  }
  return true;
}

/** `a` with the leading dim of each argument free where it differs from `b`'s. */
function relaxLeading(a: readonly TensorSpec[], b: readonly TensorSpec[]): TensorSpec[] {
  return a.map((spec, i) =>
    spec.shape.length === 0 || spec.shape[0] === b[i].shape[0]
      ? spec
      : new TensorSpec([null, ...spec.shape.slice(1)], spec.dtype, spec.name),
  );
}

const keyOf = (specs: readonly TensorSpec[]) => specs.map((s) => `${s.dtype}[${s.shape.join(',')}]`).join(';');

/**
 * The traces of one tf.function and which one serves a call: its inputSignature's, one per exact
 * signature, or (reduceRetracing) the most specific of an exact trace and its relaxations.
 */
class TraceCache implements GraphOwner {
  private readonly exact = new Map<string, ConcreteFunction>();
  /** reduceRetracing: per signature without leading dims, traces from most to least specific. */
  private readonly families = new Map<string, ConcreteFunction[]>();
  private signatureTrace?: ConcreteFunction;
  /** The family of the last reduceRetracing call: steps in a loop look nowhere else. */
  private recent?: ConcreteFunction[];
  private readonly ownerId: number;
  private graphOps = 0;
  private disposed = false;

  constructor(
    private readonly fn: (...args: Tensor[]) => Structure,
    private readonly name: string,
    private readonly options: FunctionOptions,
  ) {
    this.ownerId = runtime.own(this, 0);
  }

  /** Compaction: the traces belong to the old graph; each signature retraces on its next call. */
  onCompact(): void {
    this.clear();
  }

  private clear(): void {
    this.exact.clear();
    this.families.clear();
    this.signatureTrace = undefined;
    this.recent = undefined;
    this.graphOps = 0;
    runtime.setOps(this.ownerId, 0);
  }

  /** Drops every trace; later calls throw. The ops become garbage for the next compaction. */
  dispose(): void {
    if (this.disposed) return;
    this.clear();
    this.disposed = true;
    runtime.release(this.ownerId, this);
    runtime.maybeCompact();
  }

  /** The start of every slow path: refuses a disposed function, and compacts when due (before any lookup). */
  private miss(): void {
    if (this.disposed) throw new Error(`tf.function '${this.name}' was disposed`);
    runtime.maybeCompact();
  }

  get size(): number {
    return this.all().length;
  }

  /** Every trace made so far. */
  all(): ConcreteFunction[] {
    const traces = [...this.exact.values(), ...(this.signatureTrace ? [this.signatureTrace] : [])];
    for (const family of this.families.values()) traces.push(...family);
    return traces;
  }

  concreteFor(args: readonly TensorLike[]): ConcreteFunction {
    const signature = this.options.inputSignature;
    if (signature) return this.forSignature(signature, args);
    if (this.options.reduceRetracing) return this.forReducedRetracing(args);
    const specs = args.map((arg, i) => specOf(arg, i));
    const key = keyOf(specs);
    let concrete = this.exact.get(key);
    if (!concrete) {
      this.miss();
      this.exact.set(key, (concrete = this.trace(specs)));
    }
    return concrete;
  }

  private trace(specs: readonly TensorSpec[]): ConcreteFunction {
    const concrete = new ConcreteFunction(specs, this.fn, this.name, this);
    this.graphOps += concrete.graphOps;
    runtime.setOps(this.ownerId, this.graphOps);
    return concrete;
  }

  private forSignature(signature: readonly TensorSpec[], args: readonly TensorLike[]): ConcreteFunction {
    if (args.length !== signature.length) {
      throw new TypeError(`${this.name} takes ${signature.length} arguments (its inputSignature), got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const spec = signature[i];
      const actual = specOf(arg, i, spec.dtype);
      if (!fits(spec, actual.dtype, actual.shape)) {
        throw new TypeError(
          `${this.name}: argument ${i} (dtype ${actual.dtype}, shape [${actual.shape.join(', ')}]) does not match its ` +
            `inputSignature (dtype ${spec.dtype}, shape [${spec.shape.map((d) => d ?? 'null').join(', ')}])`,
        );
      }
    });
    if (this.signatureTrace === undefined) {
      this.miss();
      this.signatureTrace = this.trace(signature);
    }
    return this.signatureTrace;
  }

  private forReducedRetracing(args: readonly TensorLike[]): ConcreteFunction {
    if (this.recent) for (const concrete of this.recent) if (allFit(concrete.specs, args)) return concrete;
    this.miss();
    const specs = args.map((arg, i) => specOf(arg, i));
    const familyKey = specs.map((s) => `${s.dtype}[${s.shape.length === 0 ? '' : `_,${s.shape.slice(1).join(',')}`}]`).join(';');
    let family = this.families.get(familyKey);
    if (family === undefined) this.families.set(familyKey, (family = []));
    this.recent = family;
    for (const concrete of family) if (allFit(concrete.specs, args)) return concrete;
    // A miss frees the leading dims in which this call differs from the family's first trace.
    const concrete = this.trace(family.length === 0 ? specs : relaxLeading(family[0].specs, specs));
    family.push(concrete);
    return concrete;
  }
}

/** Python's tf.function. */
export function tfFunction<A extends TensorLike[], R extends Structure>(
  fn: (...args: Tensor[]) => R,
  options: FunctionOptions = {},
): TracedFunction<A, R> {
  const name = options.name ?? (fn.name || 'function');
  const cache = new TraceCache(fn as (...args: Tensor[]) => Structure, name, options);
  // Called while another function is being traced, the body is inlined into that graph, as in Python.
  const traced = ((...args: A) => (context.trace ? fn(...(args as Tensor[])) : cache.concreteFor(args).call(args))) as TracedFunction<A, R>;
  traced.callAsync = (...args: A) => {
    try {
      return cache.concreteFor(args).callAsync(args) as Promise<Rebuild<R>>;
    } catch (e) {
      return Promise.reject(e);
    }
  };
  traced.callForEffects = (...args: A) => {
    if (context.trace) throw new TypeError('callForEffects() runs a traced function: call it eagerly');
    cache.concreteFor(args).call(args, false);
  };
  traced.callForEffectsAsync = async (...args: A) => {
    await cache.concreteFor(args).callAsync(args, false);
  };
  Object.defineProperty(traced, 'tracingCount', { get: () => cache.size });
  traced.dispose = () => cache.dispose();
  traced.graphDef = () => {
    const traces = cache.all();
    if (traces.length === 0) return undefined;
    return pruneGraphDef(
      runtime.graph.toGraphDef(),
      traces.flatMap((t) => t.graphRoots),
    );
  };
  return traced;
}

/** One trace of `fn` for a SavedModel: the GraphDef its outputs need, and the graph names of its ends. */
export interface ExportedTrace {
  graphDef: Uint8Array;
  /** Argument placeholders' op names, in order. */
  inputs: string[];
  /** Fetched outputs as 'op:index', in the order of the flattened result. */
  outputs: string[];
  /** Placeholders standing for captured eager values, which an export turns into constants. */
  captures: { name: string; value: Tensor }[];
  /** The returned structure with each tensor replaced by its index in `outputs`. */
  structure: Structure;
}

/**
 * Traces `fn` once for `specs` for export. The trace must be a pure function of its arguments and
 * variables: host inputs (values a run takes from the host, like a scheduled learning rate) and
 * stateful side effects cannot be frozen into a SavedModel.
 */
export function traceForExport(fn: (...args: Tensor[]) => Structure, specs: readonly TensorSpec[], name: string): ExportedTrace {
  const concrete = new ConcreteFunction(specs, fn, name);
  const { inputs, outputs, captures, hostInputs, statefulOps } = concrete.endpoints;
  // Reads of variables are stateful in TF's terms but are what a SavedModel is for.
  if (hostInputs > 0 || statefulOps.some((type) => type !== 'ReadVariableOp')) {
    throw new TypeError(`'${name}' reads host values or has side effects (assignments, prints) at run time: a SavedModel cannot hold them`);
  }
  const roots = [...outputs, ...captures.map(([output]) => output)].map((o) => o.op.name);
  let next = 0;
  return {
    graphDef: pruneGraphDef(runtime.graph.toGraphDef(), roots),
    inputs: inputs.map((o) => o.op.name),
    outputs: outputs.map((o) => `${o.op.name}:${o.index}`),
    captures: captures.map(([output, value]) => ({ name: output.op.name, value })),
    structure: concrete.structure((): Structure => next++),
  };
}

/**
 * Runs `body` (e.g. a model's dispose()) with graph compaction held off until it ends: the
 * resources disposed inside are then destroyed in one run, or dropped by one compaction.
 */
export function disposeTogether<T>(body: () => T): T {
  return runtime.deferCompaction(body);
}

/** Python's tf.init_scope: runs `body` eagerly, also while a tf.function is being traced (variable creation, reads of host state). */
export function initScope<T>(body: () => T): T {
  return context.initScope(body);
}

/** Python's tf.executing_eagerly(): false while a tf.function is being traced. */
export function executingEagerly(): boolean {
  return context.trace === undefined;
}

function currentTrace(what: string): Trace {
  const trace = context.trace;
  if (!trace) throw new TypeError(`${what} is only available while a tf.function is being traced`);
  return trace;
}

export interface HostInputOptions extends RunHooks {
  /** The value for this run, computed on the host just before it; throwing cancels the call. */
  value(): HostValue;
}

/**
 * Inside a trace: a tensor of `spec` whose value the host computes at every call of the function
 * and feeds in the same session run. Async calls in flight together each take their own value;
 * `commit` runs after a successful run, `abort` instead when the run fails after `value()`.
 */
export function hostInput(spec: TensorSpec, options: HostInputOptions): Tensor {
  const trace = currentTrace('hostInput()');
  const output = runtime.placeholder(`${trace.scope}/${spec.name ?? 'host_input'}`, spec.dtype, spec.shape, trace.graph);
  const shape = spec.shape.map((d) => {
    if (d === null) throw new TypeError('hostInput() needs a fully known shape');
    return d;
  });
  trace.hostInputs.push({
    output,
    value: () => hostTensor(options.value(), shape, spec.dtype),
    commit: options.commit,
    abort: options.abort,
  });
  return Tensor.symbolic(output);
}

/**
 * Inside a trace: Python's `tf.cond(pred, then, else)` for branches run for their effects (variable
 * writes). TF's v1 control flow: a Switch on `pred` makes a pivot per branch that every op of the
 * branch waits on, so the branch not taken is dead and none of its ops run; a Merge of the two
 * branch ends is what later stateful ops run after. Still one session run.
 */
export function condInTrace(pred: Tensor, thenBranch: () => void, elseBranch: () => void): void {
  const trace = currentTrace('condInTrace()');
  if (pred.dtype !== 'bool' || pred.rank !== 0)
    throw new TypeError(`cond needs a scalar bool predicate, got ${pred.dtype} of rank ${pred.rank}`);
  const predOutput = symbolicOutput(trace, pred);
  const bool: [string, 'type', number] = ['T', 'type', dtypeToEnum('bool')];
  const add = (type: string, inputs: (NativeOutput | NativeOutput[])[], attrs: [string, 'type' | 'int', number][]) =>
    addTraceOperation(trace, { type, inputs, attrs, stateful: false });
  const toSwitch = add('Switch', [predOutput, predOutput], [bool]);
  const head = lastStatefulOp(trace);
  const outerPivot = trace.pivot;
  const ends: NativeOutput[] = [];
  for (const [index, body] of [
    [0, elseBranch],
    [1, thenBranch],
  ] as const) {
    trace.pivot = add('Identity', [{ op: toSwitch, index }], [bool]);
    trace.chainTail = head;
    try {
      body();
    } finally {
      const tail = lastStatefulOp(trace);
      // Live exactly when the branch is taken, and only after its last stateful op.
      const end = trace.graph.addOperation({
        type: 'Identity',
        name: runtime.uniqueName(`${trace.scope}/cond_end`, trace.graph),
        inputs: [{ op: trace.pivot, index: 0 }],
        attrs: [bool],
        device: context.device,
        controlInputs: tail !== undefined && tail !== head ? [tail] : [],
      });
      ends.push({ op: end, index: 0 });
      trace.pivot = outerPivot;
    }
  }
  trace.chainTail = add('Merge', [ends], [bool, ['N', 'int', 2]]);
}

/** Inside a trace: host hooks run after every run of the function (commit) or after a failed one (abort). */
export function onRun(hooks: RunHooks): void {
  currentTrace('onRun()').runHooks.push(hooks);
}

/**
 * The dtypes and shapes `fn` returns for inputs of `specs`, from TF's shape inference on a trace
 * that never runs (Keras' compute_output_spec).
 */
export function computeOutputSpec(
  fn: (...args: Tensor[]) => Tensor,
  specs: readonly TensorSpec[],
  name = fn.name || 'function',
): TensorSpec {
  if (!context.tracing) runtime.maybeCompact();
  const trace = newTrace(runtime.graph, runtime.uniqueName(`${name}/compute_output_spec`));
  const inputs = specs.map((spec, i) =>
    Tensor.symbolic(runtime.placeholder(`${trace.scope}/${spec.name ?? `arg${i}`}`, spec.dtype, spec.shape)),
  );
  const output = context.withTrace(trace, () => fn(...inputs));
  return new TensorSpec(output.shape, output.dtype);
}
