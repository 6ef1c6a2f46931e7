// The graph and session that hold every variable and every traced function, so that eager code,
// tf.function graphs and optimizers all see the same variables. TF cannot delete graph nodes, and
// a session prunes its whole graph for each new run signature, so the graph is compacted: once
// dispose() (or GC) has left more unused ops than live ones, a new generation (graph + session)
// takes the live variables (same names, values moved) and every trace is dropped, to be retraced
// on its next call. See docs/ARCHITECTURE.md, "Growth and dispose()".
import { context } from './context';
import { DType, dtypeToEnum } from './dtypes';
import { NativeGraph, NativeOperation, NativeOutput, binding } from './native';
import { Session, SessionOptions } from './raw/session';

/** Unused ops tolerated before a compaction, whatever the live count (a compaction retraces). */
export const MIN_GARBAGE_OPS = 256;

/** Something holding graph state that compaction must move or drop. */
export interface GraphOwner {
  /** Called during compaction, with `runtime.graph` already the new one: rebuild in it (values go through `migration`), or drop. */
  onCompact(migration: Migration): void;
}

/** The values a compaction carries over: fetched from the old session in one run, assigned in the new one in one run. */
export class Migration {
  private readonly reads: NativeOutput[] = [];
  private readonly feeds: NativeOutput[] = [];
  private readonly assigns: NativeOperation[] = [];

  constructor(readonly from: Generation) {}

  /** `read` (old graph) is fed to `feed`, and `assign` run (new graph). */
  move(read: NativeOutput, feed: NativeOutput, assign: NativeOperation): void {
    this.reads.push(read);
    this.feeds.push(feed);
    this.assigns.push(assign);
  }

  run(to: Session): void {
    if (this.reads.length === 0) return;
    const values = this.from.session.run({ fetches: this.reads });
    try {
      to.run({ feeds: this.feeds.map((feed, i) => [feed, values[i]] as const), targets: this.assigns });
    } finally {
      for (const value of values) value.dispose();
    }
  }
}

/** One graph and its session. A retired generation closes its session once no async run is in flight. */
export class Generation {
  readonly graph: NativeGraph = new binding.Graph();
  private session_?: Session;
  private inFlight = 0;
  private retired = false;

  constructor(
    private readonly options: () => SessionOptions,
    private readonly onStart: () => void,
  ) {}

  get session(): Session {
    if (this.session_ === undefined) {
      this.session_ = new Session(this.graph, this.options());
      this.onStart();
    }
    return this.session_;
  }

  get started(): boolean {
    return this.session_ !== undefined;
  }

  get runsInFlight(): number {
    return this.inFlight;
  }

  /** An async run keeps the session open until endRun(), even past retire(). */
  beginRun(): void {
    ++this.inFlight;
  }

  endRun(): void {
    if (--this.inFlight === 0 && this.retired) this.session_?.close();
  }

  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) this.session_?.close();
  }
}

interface OwnerEntry {
  ref: WeakRef<GraphOwner>;
  ops: number;
}

class Runtime {
  // Python TF2 places ops softly: an op without a kernel on the asked device runs where it can.
  // Not placePrunedGraph: 3× cheaper new signatures in a big graph, but grappler then rewrites the
  // per-variable AdamW decay differently (1 ulp off the fused op); see docs/ARCHITECTURE.md.
  private sessionOptions: SessionOptions = { allowSoftPlacement: true };
  private started_ = false;
  private current = this.newGeneration();
  /** Op names given in the current graph, by base (emptied at compaction). */
  private nameCounts = new Map<string, number>();
  /** Variable names, by base: never given twice in the process. */
  private readonly variableNameCounts = new Map<string, number>();
  private readonly owners = new Map<number, OwnerEntry>();
  private readonly finalizers = new FinalizationRegistry<number>((id) => this.release(id));
  private nextOwner = 0;
  private liveOps = 0;
  private deferDepth = 0;
  private compactions = 0;
  /** Whether a dispose() released an owner since the last compaction: only then does one run. */
  private disposedSinceCompaction = false;
  /** Handles of disposed variables whose resources are still to destroy. */
  private pendingDestroy: NativeOperation[] = [];

  private newGeneration(): Generation {
    return new Generation(
      () => this.sessionOptions,
      () => {
        this.started_ = true;
      },
    );
  }

  get generation(): Generation {
    return this.current;
  }

  get graph(): NativeGraph {
    return this.current.graph;
  }

  /** The session of the current graph, made on first use with the options set by tf.config. */
  get session(): Session {
    return this.current.session;
  }

  get started(): boolean {
    return this.started_;
  }

  /** How many times the graph was compacted (for tests and benchmarks). */
  get compactionCount(): number {
    return this.compactions;
  }

  configure(options: SessionOptions): void {
    if (this.started_) throw new Error('TensorFlow is already initialized: set threading options before running any op');
    this.sessionOptions = { ...this.sessionOptions, ...options };
  }

  /** A session over another graph (an eager tape's replay), with the options set by tf.config. */
  newSession(graph: NativeGraph): Session {
    this.started_ = true;
    return new Session(graph, this.sessionOptions);
  }

  /** A Placeholder named `name` (made unique): the one place graph inputs are made. */
  placeholder(name: string, dtype: DType, shape: readonly (number | null)[], graph: NativeGraph = this.graph): NativeOutput {
    const op = graph.addOperation({
      type: 'Placeholder',
      name: this.uniqueName(name, graph),
      attrs: [
        ['dtype', 'type', dtypeToEnum(dtype)],
        ['shape', 'shape', shape.map((d) => d ?? -1)],
      ],
    });
    return { op, index: 0 };
  }

  /** An op name unique in `graph`: `base`, then `base_1`, `base_2`, … (counted for the runtime's graph only). */
  uniqueName(base: string, graph: NativeGraph = this.graph): string {
    return uniqueIn(graph, base, graph === this.graph ? this.nameCounts : undefined);
  }

  /**
   * A variable's handle name, never given before in the process (a disposed variable's name is not
   * reused: handle names key optimizer slots and checkpoint caches).
   */
  uniqueVariableName(base: string): string {
    return uniqueIn(this.graph, base, this.variableNameCounts);
  }

  /** Registers `owner` as keeping `ops` ops of the current graph alive; GC of the owner releases them. */
  own(owner: GraphOwner, ops: number): number {
    const id = ++this.nextOwner;
    this.owners.set(id, { ref: new WeakRef(owner), ops });
    this.liveOps += ops;
    this.finalizers.register(owner, id, owner);
    return id;
  }

  /** Changes how many ops owner `id` keeps alive (a trace added, a cache emptied). */
  setOps(id: number, ops: number): void {
    const entry = this.owners.get(id);
    if (!entry) return;
    this.liveOps += ops - entry.ops;
    entry.ops = ops;
  }

  /** The owner's ops become garbage; it is no longer moved at compaction. `owner` is given by its dispose(), not by GC. */
  release(id: number, owner?: GraphOwner): void {
    const entry = this.owners.get(id);
    if (!entry) return;
    this.liveOps -= entry.ops;
    this.owners.delete(id);
    if (owner) {
      this.finalizers.unregister(owner);
      this.disposedSinceCompaction = true;
    }
  }

  /**
   * Runs `body` (e.g. a model's dispose) with compaction and resource destruction held off until
   * the outermost one ends: then one compaction, or one run destroying every resource disposed.
   */
  deferCompaction<T>(body: () => T): T {
    ++this.deferDepth;
    try {
      return body();
    } finally {
      if (--this.deferDepth === 0) this.flush();
    }
  }

  /** A disposed variable's handle op: its resource (the value's memory) is destroyed now, or at the end of deferCompaction. */
  destroyResource(handle: NativeOperation): void {
    this.pendingDestroy.push(handle);
    if (this.deferDepth === 0) this.flush();
  }

  private flush(): void {
    if (this.maybeCompact() || this.pendingDestroy.length === 0) return;
    const graph = this.graph;
    const targets = this.pendingDestroy.map((handle) =>
      graph.addOperation({
        type: 'DestroyResourceOp',
        name: this.uniqueName(`${handle.name}/Destroy`),
        inputs: [{ op: handle, index: 0 }],
        attrs: [['ignore_lookup_error', 'bool', true]],
      }),
    );
    this.pendingDestroy = [];
    this.session.run({ targets });
  }

  /**
   * Whether a compaction would run now: after a dispose(), at a safe point (no trace being built,
   * no async run in flight, not deferred), with more unused ops than live ones (and more than
   * MIN_GARBAGE_OPS). A program that never disposes never sees one (its traces are never redone).
   */
  compactionDue(): boolean {
    if (!this.disposedSinceCompaction || this.deferDepth > 0 || context.tracing || this.current.runsInFlight > 0) return false;
    const garbage = this.current.graph.numOperations - this.liveOps;
    return garbage > Math.max(this.liveOps, MIN_GARBAGE_OPS);
  }

  /** Compacts when due; called at safe points (variable creation, a trace miss, dispose()). */
  maybeCompact(): boolean {
    if (!this.compactionDue()) return false;
    this.compact();
    return true;
  }

  /** Moves the live owners into a new graph and session, in the order they were made, and retires the old. */
  compact(): void {
    if (context.tracing) throw new Error('Cannot compact the graph while a tf.function is being traced');
    // A run in flight may still write variables whose values would be moved without its update.
    if (this.current.runsInFlight > 0) throw new Error('Cannot compact the graph while an async run is in flight');
    const from = this.current;
    this.current = this.newGeneration();
    this.liveOps = 0;
    // The old session goes with their resources.
    this.pendingDestroy = [];
    this.nameCounts = new Map();
    const migration = new Migration(from);
    for (const [id, entry] of [...this.owners]) {
      const owner = entry.ref.deref();
      if (owner === undefined) {
        this.owners.delete(id);
        continue;
      }
      // The owner re-measures itself (setOps) as it moves; until then it holds nothing here.
      entry.ops = 0;
      owner.onCompact(migration);
    }
    migration.run(this.current.session);
    from.retire();
    this.compactions += 1;
    this.disposedSinceCompaction = false;
  }
}

/** `base` (cleaned), or the first free `base_<n>` in `graph`, from the count `counts` keeps for it. */
function uniqueIn(graph: NativeGraph, base: string, counts?: Map<string, number>): string {
  const clean = base.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9.]+/, '') || 'op';
  let count = counts?.get(clean) ?? 0;
  let name = count === 0 ? clean : `${clean}_${count}`;
  while (graph.operation(name) !== null) name = `${clean}_${++count}`;
  counts?.set(clean, count + 1);
  return name;
}

export const runtime = new Runtime();
