// tf.GradientTape. Inside tf.function it adds TF's symbolic gradients to the traced graph. Eagerly,
// it records the ops it sees and, on gradient(), replays them as a graph (cached by structure) in
// which the recorded values are fed, so the forward pass is not recomputed and TF_AddGradients
// gives the gradients in one session run.
import { context, RecordedOp, TapeRecorder, Trace } from './context';
import { dtypeToEnum } from './dtypes';
import { NativeCallable, NativeOperation, NativeOutput, NativeTensor } from './native';
import { disposeAttrTensors, nativeAttrs, OpAttr, symbolicOutput } from './ops/run_op';
import { addGradients } from './gradients';
import { runtime } from './runtime';
import { Tensor } from './tensor';
import { Variable } from './variable';

export type Source = Variable | Tensor;

export interface GradientTapeOptions {
  /** Allow gradient() more than once. */
  persistent?: boolean;
}

interface ReadRecord {
  variableHandle: string;
  value: Tensor;
}

type Entry = { kind: 'op'; op: RecordedOp } | { kind: 'read'; read: ReadRecord };

interface ReplayPlan {
  callable: NativeCallable;
  /** Per source: how many gradient outputs it got (0 = unconnected). */
  connected: boolean[];
}

const replayCache = new Map<string, ReplayPlan>();
let gradientCount = 0;

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
  private used = false;
  private trace?: Trace;

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
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
  gradient(target: Tensor, sources: Variable): Tensor | null;
  gradient(target: Tensor, sources: readonly Source[]): (Tensor | null)[];
  gradient(target: Tensor, sources: Source | readonly Source[]): Tensor | null | (Tensor | null)[] {
    if (this.used && !this.persistent) {
      throw new Error('A non-persistent GradientTape can only be used to compute one set of gradients');
    }
    this.used = true;
    const list = Array.isArray(sources) ? (sources as readonly Source[]) : [sources as Source];
    const grads = this.trace ? this.symbolicGradients(this.trace, target, list) : this.eagerGradients(target, list);
    return Array.isArray(sources) ? grads : grads[0];
  }

  private symbolicGradients(trace: Trace, target: Tensor, sources: readonly Source[]): (Tensor | null)[] {
    const groups = sources.map((s) =>
      s instanceof Variable ? (trace.variableReads.get(s.handleOp.name) ?? []) : [symbolicOutput(trace, s)],
    );
    const grads = addGradients(
      runtime.graph,
      [symbolicOutput(trace, target)],
      groups.flat(),
      null,
      runtime.uniqueName(`${trace.scope}/gradients`),
    );
    return sumGroups(groups, grads, (outputs) => addN(outputs, trace.scope)).map((g) => (g ? Tensor.symbolic(g) : null));
  }

  private eagerGradients(target: Tensor, sources: readonly Source[]): (Tensor | null)[] {
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
    this.entries.forEach((entry, i) => {
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
    const sourceRefs = sources.map((s) =>
      s instanceof Variable
        ? this.entries.flatMap((e, i) => (e.kind === 'read' && e.read.variableHandle === s.handleOp.name ? [`r${i}`] : []))
        : [produced.get(s) ?? externalIds.get(s)].filter((r): r is string => r !== undefined),
    );
    if (targetRef === undefined) return sources.map(() => null);
    const signature = externals.map((t) => `${t.dtype}[${t.shape}]`).join(';');
    const key = `${keyParts.join(';')}|${signature}|${targetRef}|${sourceRefs.map((r) => r.join(',')).join(';')}`;
    let plan = replayCache.get(key);
    if (!plan) {
      plan = this.buildReplay(externals, targetRef, sourceRefs);
      replayCache.set(key, plan);
    }
    if (!plan.connected.includes(true)) return sources.map(() => null);
    const feeds: NativeTensor[] = [
      ...externals.map((t) => t.toNative()),
      ...this.entries.flatMap((e) => (e.kind === 'read' ? [e.read.value.toNative()] : e.op.outputs.flat().map((t) => t.toNative()))),
    ];
    try {
      const outputs = plan.callable.run(feeds);
      let next = 0;
      return plan.connected.map((c) => (c ? Tensor.fromNative(outputs[next++]) : null));
    } finally {
      for (const f of feeds) f.dispose();
    }
  }

  /** Rebuilds the recorded computation in the global graph, with gradients, as one callable. */
  private buildReplay(externals: Tensor[], targetRef: string, sourceRefs: string[][]): ReplayPlan {
    const scope = `gradient_tape_${++gradientCount}`;
    const graph = runtime.graph;
    const outputs = new Map<string, NativeOutput>();
    const feeds: NativeOutput[] = [];
    externals.forEach((t, i) => {
      const placeholder = runtime.placeholder(`${scope}/x${i}`, t.dtype, t.shape);
      outputs.set(`x${i}`, placeholder);
      feeds.push(placeholder);
    });
    const inputOf = (t: Tensor, produced: Map<Tensor, string>): NativeOutput => outputs.get(produced.get(t) as string) as NativeOutput;
    const produced = new Map<Tensor, string>();
    externals.forEach((t, i) => produced.set(t, `x${i}`));
    this.entries.forEach((entry, i) => {
      if (entry.kind === 'read') {
        const handle = graph.operation(entry.read.variableHandle);
        const read = graph.addOperation({
          type: 'ReadVariableOp',
          name: `${scope}/read${i}`,
          inputs: [{ op: handle as NonNullable<typeof handle>, index: 0 }],
          attrs: [['dtype', 'type', dtypeToEnum(entry.read.value.dtype)]],
        });
        outputs.set(`r${i}`, { op: read, index: 0 });
        produced.set(entry.read.value, `r${i}`);
        feeds.push({ op: read, index: 0 });
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
    const summed = sumGroups(groups, grads, (outs) => addN(outs, scope));
    const fetches = summed.filter((g): g is NativeOutput => g !== null);
    return { callable: runtime.session.makeCallable(feeds, fetches), connected: summed.map((g) => g !== null) };
  }
}

/** One gradient per source: the sum over its (possibly several) graph outputs, null if none. */
function sumGroups(
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

function addN(outputs: NativeOutput[], scope: string): NativeOutput {
  const op = runtime.graph.addOperation({ type: 'AddN', name: runtime.uniqueName(`${scope}/AddN`), inputs: [outputs] });
  return { op, index: 0 };
}
