// tf.GradientTape. Inside tf.function it adds TF's symbolic gradients to the traced graph. Eagerly,
// it records the ops it sees and, on gradient(), replays them as a graph (cached by structure) in
// which the recorded values are fed, so the forward pass is not recomputed and TF_AddGradients
// gives the gradients in one session run. Variable reads are fed too (the values the tape saw), so
// a replay graph holds no variable: each lives in a small graph and session of its own, in a
// bounded LRU cache whose evicted entries close their session.
//
// What is watched follows Python: trainable variables read while recording (unless
// `watchAccessedVariables: false`), and whatever watch() was given. Eagerly, only ops with a watched
// input (or an input computed by such an op) count, from the moment it was watched: a tensor source
// that is neither watched nor computed from a watched value gets null, as Python's None. Inside
// tf.function the gradient is TF's graph gradient: a tensor source counts when it is watched or
// computed from a watched tensor or a variable read, and paths through ops run outside record()
// or before watch() count as well.
import { context, RecordedOp, TapeRecorder, Trace } from './context';
import { isFloating } from './dtypes';
import { NativeCallable, NativeGraph, NativeOperation, NativeOutput, NativeTensor, binding } from './native';
import { disposeAttrTensors, nativeAttrs, OpAttr, symbolicOutput } from './ops/run_op';
import { addGradients } from './gradients';
import { onesLike } from './ops/array';
import { Session } from './raw/session';
import { runtime } from './runtime';
import { Tensor } from './tensor';
import { Variable } from './variable';

export type Source = Variable | Tensor;

export interface GradientTapeOptions {
  /** Allow gradient() more than once. */
  persistent?: boolean;
  /** Watch every trainable variable read while recording (Python's `watch_accessed_variables`); default true. */
  watchAccessedVariables?: boolean;
}

/** What watch() takes: tensors and variables, alone or in (nested) arrays. */
export type Watchable = Source | readonly Watchable[];

interface ReadRecord {
  variableHandle: string;
  value: Tensor;
}

type Entry =
  | { kind: 'op'; op: RecordedOp }
  | { kind: 'read'; read: ReadRecord }
  | { kind: 'watch'; tensor: Tensor }
  | { kind: 'watchVariable'; variableHandle: string };

/** A recorded read kept for the replay, and whether its variable was watched explicitly by then. */
type KeptEntry = { kind: 'op'; op: RecordedOp } | { kind: 'read'; read: ReadRecord; watched: boolean };

let dtypeWarnings = 0;

/** How many replay graphs (one per recorded structure and input shapes) the eager tape keeps. */
export const REPLAY_CACHE_SIZE = 32;

interface ReplayPlan {
  session: Session;
  callable: NativeCallable;
  /** Per source: how many gradient outputs it got (0 = unconnected). */
  connected: boolean[];
}

/** Least recently used first. */
const replayCache = new Map<string, ReplayPlan>();
let gradientCount = 0;

function cachedReplay(key: string, build: () => ReplayPlan): ReplayPlan {
  let plan = replayCache.get(key);
  if (plan) {
    replayCache.delete(key);
    replayCache.set(key, plan);
    return plan;
  }
  plan = build();
  replayCache.set(key, plan);
  if (replayCache.size > REPLAY_CACHE_SIZE) {
    const [oldestKey, oldest] = replayCache.entries().next().value as [string, ReplayPlan];
    replayCache.delete(oldestKey);
    oldest.session.close();
  }
  return plan;
}

/** How many replay graphs the eager tape holds now (for tests). */
export function replayCacheSize(): number {
  return replayCache.size;
}

function attrKey(attrs: readonly OpAttr[]): string {
  return JSON.stringify(attrs, (_, v) =>
    typeof v === 'bigint'
      ? `${v}n`
      : v instanceof Tensor
        ? `tensor:${v.dtype}[${v.shape}]:${Array.from(v.dataSync() as ArrayLike<unknown>).join(',')}`
        : v,
  );
}

export class GradientTape implements TapeRecorder {
  private readonly entries: Entry[] = [];
  private readonly persistent: boolean;
  private readonly watchAccessedVariables: boolean;
  private used = false;
  private trace?: Trace;

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  /**
   * Python's `tape.watch(x)`: gradients with respect to `x` (a tensor, a variable, or arrays of them)
   * are then taken, through the ops that use it from now on. Trainable variables need no watch().
   */
  watch(sources: Watchable): void {
    if (Array.isArray(sources)) {
      for (const s of sources as readonly Watchable[]) this.watch(s);
      return;
    }
    if (sources instanceof Variable) {
      this.entries.push({ kind: 'watchVariable', variableHandle: sources.handleOp.name });
      return;
    }
    if (!(sources instanceof Tensor)) {
      const type = sources === null ? 'null' : typeof sources === 'object' ? (sources as object).constructor?.name : typeof sources;
      throw new TypeError(`GradientTape.watch: passed in object ${String(sources)} of type '${type}', not a tf.Tensor or tf.Variable`);
    }
    if (!isFloating(sources.dtype)) {
      // Python logs this (the first 5 times) and its gradient is None.
      if (dtypeWarnings++ < 5) console.warn(`The dtype of the watched tensor must be floating (e.g. float32), got ${sources.dtype}`);
      return;
    }
    this.entries.push({ kind: 'watch', tensor: sources });
  }

  /** Records the ops `body` runs (Python's `with tf.GradientTape() as tape:` block). */
  record<T>(body: () => T): T {
    this.trace = context.trace;
    if (this.trace) return body();
    context.tapes.add(this);
    try {
      return body();
    } finally {
      context.tapes.delete(this);
    }
  }

  recordOp(op: RecordedOp): void {
    this.entries.push({ kind: 'op', op });
  }

  recordRead(variableHandle: string, value: Tensor): void {
    this.entries.push({ kind: 'read', read: { variableHandle, value } });
  }

  /** d target / d source for each source; null where the source does not affect the target. */
  gradient(target: Tensor, sources: Source): Tensor | null;
  gradient(target: Tensor, sources: readonly Source[]): (Tensor | null)[];
  gradient(target: Tensor, sources: Source | readonly Source[]): Tensor | null | (Tensor | null)[] {
    if (this.used && !this.persistent) {
      throw new Error('A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)');
    }
    this.used = true;
    const list = Array.isArray(sources) ? (sources as readonly Source[]) : [sources as Source];
    const grads = this.trace ? this.symbolicGradients(this.trace, target, list) : this.eagerGradients(target, list);
    return Array.isArray(sources) ? grads : grads[0];
  }

  private symbolicGradients(trace: Trace, target: Tensor, sources: readonly Source[]): (Tensor | null)[] {
    const watchedHandles = new Set<string>();
    let watchedOutputs: Set<string> | undefined;
    const watched = (): Set<string> => {
      watchedOutputs ??= new Set(this.entries.flatMap((e) => (e.kind === 'watch' ? [outputKey(symbolicOutput(trace, e.tensor))] : [])));
      return watchedOutputs;
    };
    for (const e of this.entries) if (e.kind === 'watchVariable') watchedHandles.add(e.variableHandle);
    const readWatched = (handle: string) => this.watchAccessedVariables || watchedHandles.has(handle);
    const targetOutput = symbolicOutput(trace, target);
    const groups = sources.map((s): NativeOutput[] => {
      if (s instanceof Variable) {
        const name = s.handleOp.name;
        const onTape = (this.watchAccessedVariables && s.trainable) || watchedHandles.has(name);
        return onTape ? (trace.variableReads.get(name) ?? []) : [];
      }
      if (s === target) return [];
      const output = symbolicOutput(trace, s);
      return watched().has(outputKey(output)) || dependsOnWatched(output, watched(), readWatched) ? [output] : [];
    });
    const xs = groups.flat();
    const grads =
      xs.length === 0
        ? []
        : addGradients(trace.graph, [targetOutput], xs, null, runtime.uniqueName(`${trace.scope}/gradients`, trace.graph));
    const summed = sumGroups(groups, grads, (outputs) => addN(outputs, trace.scope, trace.graph)).map((g) =>
      g ? Tensor.symbolic(g) : null,
    );
    // d target / d target: ones, when the target is itself watched or computed from a watched value.
    const targetOnTape = () => watched().has(outputKey(targetOutput)) || dependsOnWatched(targetOutput, watched(), readWatched);
    return sources.map((s, i) => (s === target && !(s instanceof Variable) ? (targetOnTape() ? onesLike(target) : null) : summed[i]));
  }

  /**
   * The recorded ops and reads that are on the tape as Python's would be: reads of watched variables
   * and ops with an input that is watched or computed on the tape, each from the time it was watched.
   */
  private keptEntries(): { kept: KeptEntry[]; onTape: Set<Tensor> } {
    const onTape = new Set<Tensor>();
    const watchedHandles = new Set<string>();
    const kept: KeptEntry[] = [];
    for (const entry of this.entries) {
      if (entry.kind === 'watch') onTape.add(entry.tensor);
      else if (entry.kind === 'watchVariable') watchedHandles.add(entry.variableHandle);
      else if (entry.kind === 'read') {
        const watched = watchedHandles.has(entry.read.variableHandle);
        if (!this.watchAccessedVariables && !watched) continue;
        onTape.add(entry.read.value);
        kept.push({ kind: 'read', read: entry.read, watched });
      } else if (entry.op.inputs.some((x) => (Array.isArray(x) ? x.some((t) => onTape.has(t)) : onTape.has(x)))) {
        for (const group of entry.op.outputs) for (const t of group) onTape.add(t);
        kept.push(entry);
      }
    }
    return { kept, onTape };
  }

  private eagerGradients(target: Tensor, sources: readonly Source[]): (Tensor | null)[] {
    const { kept, onTape } = this.keptEntries();
    // d target / d target: ones, when the target is on the tape.
    const own = (s: Source) => s === target && !(s instanceof Variable);
    const result = (grads: (Tensor | null)[]) =>
      sources.map((s, i) => (own(s) ? (onTape.has(target) ? onesLike(target) : null) : grads[i]));
    // Number every tensor the tape saw; anything else feeding a recorded op is an external input.
    const produced = new Map<Tensor, string>();
    const externals: Tensor[] = [];
    const externalIds = new Map<Tensor, string>();
    const ref = (t: Tensor): string => {
      const known = produced.get(t) ?? externalIds.get(t);
      if (known) return known;
      const id = `x${externals.length}`;
      externals.push(t);
      externalIds.set(t, id);
      return id;
    };
    const keyParts: string[] = [];
    kept.forEach((entry, i) => {
      if (entry.kind === 'read') {
        produced.set(entry.read.value, `r${i}`);
        keyParts.push(`read(${entry.read.variableHandle})`);
        return;
      }
      const { op } = entry;
      const inputs = op.inputs.map((x) => (Array.isArray(x) ? `[${x.map(ref).join(',')}]` : ref(x)));
      op.outputs.forEach((group, g) => group.forEach((t, j) => produced.set(t, `o${i}.${g}.${j}`)));
      keyParts.push(`${op.type}(${inputs.join(',')})${attrKey(op.attrs)}@${op.device ?? ''}`);
    });
    const targetRef = produced.get(target);
    const sourceRefs = sources.map((s) => {
      if (s instanceof Variable) {
        // Its reads count when it is trainable and reads are watched, or from its watch() on.
        const auto = this.watchAccessedVariables && s.trainable;
        return kept.flatMap((e, i) =>
          e.kind === 'read' && e.read.variableHandle === s.handleOp.name && (auto || e.watched) ? [`r${i}`] : [],
        );
      }
      if (own(s) || !onTape.has(s)) return [];
      return [produced.get(s) ?? externalIds.get(s)].filter((r): r is string => r !== undefined);
    });
    if (targetRef === undefined || sourceRefs.every((r) => r.length === 0)) return result(sources.map(() => null));
    const signature = externals.map((t) => `${t.dtype}[${t.shape}]`).join(';');
    const key = `${keyParts.join(';')}|${signature}|${targetRef}|${sourceRefs.map((r) => r.join(',')).join(';')}`;
    const plan = cachedReplay(key, () => buildReplay(kept, externals, targetRef, sourceRefs));
    if (!plan.connected.includes(true)) return result(sources.map(() => null));
    const feeds: NativeTensor[] = [
      ...externals.map((t) => t.toNative()),
      ...kept.flatMap((e) => (e.kind === 'read' ? [e.read.value.toNative()] : e.op.outputs.flat().map((t) => t.toNative()))),
    ];
    try {
      const outputs = plan.callable.run(feeds);
      let next = 0;
      return result(plan.connected.map((c) => (c ? Tensor.fromNative(outputs[next++]) : null)));
    } finally {
      for (const f of feeds) f.dispose();
    }
  }
}

/** Rebuilds the recorded computation in a graph of its own, with gradients, as one callable. */
function buildReplay(kept: readonly KeptEntry[], externals: Tensor[], targetRef: string, sourceRefs: string[][]): ReplayPlan {
  const scope = `gradient_tape_${++gradientCount}`;
  const graph = new binding.Graph();
  const outputs = new Map<string, NativeOutput>();
  const feeds: NativeOutput[] = [];
  externals.forEach((t, i) => {
    const placeholder = runtime.placeholder(`${scope}/x${i}`, t.dtype, t.shape, graph);
    outputs.set(`x${i}`, placeholder);
    feeds.push(placeholder);
  });
  const inputOf = (t: Tensor, produced: Map<Tensor, string>): NativeOutput => outputs.get(produced.get(t) as string) as NativeOutput;
  const produced = new Map<Tensor, string>();
  externals.forEach((t, i) => produced.set(t, `x${i}`));
  kept.forEach((entry, i) => {
    if (entry.kind === 'read') {
      // The value the tape saw, fed: the variable may have changed since, and lives in another graph.
      const read = runtime.placeholder(`${scope}/read${i}`, entry.read.value.dtype, entry.read.value.shape, graph);
      outputs.set(`r${i}`, read);
      produced.set(entry.read.value, `r${i}`);
      feeds.push(read);
      return;
    }
    const { op } = entry;
    const attrs = nativeAttrs(op.attrs);
    let added: NativeOperation;
    try {
      added = graph.addOperation({
        type: op.type,
        name: `${scope}/op${i}`,
        inputs: op.inputs.map((x) => (Array.isArray(x) ? x.map((t) => inputOf(t, produced)) : inputOf(x, produced))),
        attrs,
        device: op.device,
      });
    } finally {
      disposeAttrTensors(attrs);
    }
    let index = 0;
    op.outputs.forEach((group, g) =>
      group.forEach((t, j) => {
        const output = { op: added, index: index++ };
        outputs.set(`o${i}.${g}.${j}`, output);
        produced.set(t, `o${i}.${g}.${j}`);
        feeds.push(output);
      }),
    );
  });
  const groups = sourceRefs.map((refs) => refs.map((r) => outputs.get(r) as NativeOutput));
  const grads = addGradients(graph, [outputs.get(targetRef) as NativeOutput], groups.flat(), null, `${scope}/gradients`);
  const summed = sumGroups(groups, grads, (outs) => addN(outs, scope, graph));
  const fetches = summed.filter((g): g is NativeOutput => g !== null);
  const session = runtime.newSession(graph);
  return { session, callable: session.makeCallable(feeds, fetches), connected: summed.map((g) => g !== null) };
}

/** One gradient per source: the sum over its (possibly several) graph outputs, null if none. */
export function sumGroups(
  groups: NativeOutput[][],
  grads: (NativeOutput | null)[],
  sum: (outputs: NativeOutput[]) => NativeOutput,
): (NativeOutput | null)[] {
  let next = 0;
  return groups.map((group) => {
    const mine = grads.slice(next, next + group.length).filter((g): g is NativeOutput => g !== null);
    next += group.length;
    if (mine.length === 0) return null;
    return mine.length === 1 ? mine[0] : sum(mine);
  });
}

function outputKey(output: NativeOutput): string {
  return `${output.op.name}:${output.index}`;
}

/**
 * Whether `output` is computed from a watched graph output or from a watched variable's read
 * (every ReadVariableOp when reads are watched): the graph-mode test for a tensor source.
 */
function dependsOnWatched(output: NativeOutput, watched: ReadonlySet<string>, readWatched: (handle: string) => boolean): boolean {
  const seen = new Set<string>();
  const stack: NativeOperation[] = [output.op];
  while (stack.length > 0) {
    const op = stack.pop() as NativeOperation;
    if (seen.has(op.name)) continue;
    seen.add(op.name);
    if (op.type === 'ReadVariableOp' && readWatched(op.input(0).op.name)) return true;
    for (let i = 0; i < op.numInputs; ++i) {
      const input = op.input(i);
      if (watched.has(outputKey(input))) return true;
      stack.push(input.op);
    }
  }
  return false;
}

export function addN(outputs: NativeOutput[], scope: string, graph: NativeGraph): NativeOutput {
  const op = graph.addOperation({ type: 'AddN', name: runtime.uniqueName(`${scope}/AddN`, graph), inputs: [outputs] });
  return { op, index: 0 };
}
