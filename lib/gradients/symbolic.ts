// Symbolic gradients with the registered TS gradients applied. run_op hands out every output of an
// op with a registered gradient through a StopGradient ("marker"), so TF_AddGradients alone gives
// the gradient of everything but those ops. Across them the chain rule is applied here, last op
// first: TF_AddGradients gives the target's gradient at the op's markers, the registered function
// turns it into gradients at the op's inputs, and those join (as seeds of an Identity of each
// input) the targets of the TF_AddGradients calls that follow. Both GradientTape paths (tf.function, eager replay) use this.
import { context, newTrace, Trace } from '../context';
import { NativeGraph, NativeOperation, NativeOutput } from '../native';
import { AddN, Identity, OnesLike, ZerosLike } from '../ops/generated';
import { symbolicOutput } from '../ops/run_op';
import { decodeAttrValue } from '../proto';
import { addGradients as addCppGradients } from '../raw/gradients';
import { runtime } from '../runtime';
import { Tensor } from '../tensor';
import { GradientFunction, GradientOp, gradientFunction } from './registry';

interface MarkedOp {
  op: NativeOperation;
  gradient: GradientFunction;
  /** Per output: the markers that hand it out. */
  markers: NativeOutput[][];
}

/** The marked ops that the ys depend on and that depend on an x, in topological order. */
function markedOpsBetween(ys: readonly NativeOutput[], xs: readonly NativeOutput[]): MarkedOp[] {
  const xOps = new Set(xs.map((x) => x.op.name));
  const dependsOnX = new Map<string, boolean>();
  const marked = new Map<string, MarkedOp>();
  const order: MarkedOp[] = [];
  // Iterative post-order (inputs first), so deep graphs do not overflow the stack.
  const stack: { op: NativeOperation; next: number }[] = [];
  const push = (op: NativeOperation) => {
    if (!dependsOnX.has(op.name)) {
      dependsOnX.set(op.name, false);
      stack.push({ op, next: 0 });
    }
  };
  ys.forEach((y) => push(y.op));
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.op.numInputs) {
      push(top.op.input(top.next++).op);
      continue;
    }
    stack.pop();
    const { op } = top;
    let depends = xOps.has(op.name);
    for (let i = 0; i < op.numInputs && !depends; ++i) depends = dependsOnX.get(op.input(i).op.name) === true;
    dependsOnX.set(op.name, depends);
    const gradient = gradientFunction(op.type);
    if (gradient) {
      const entry: MarkedOp = { op, gradient, markers: Array.from({ length: op.numOutputs }, () => []) };
      marked.set(op.name, entry);
      if (depends) order.push(entry);
    }
    if (op.type === 'StopGradient') {
      const source = op.input(0);
      marked.get(source.op.name)?.markers[source.index].push({ op, index: 0 });
    }
  }
  return order;
}

/** Runs `body` in the trace being built, or in a throwaway one for the eager tape's replay graph. */
function inTrace<T>(graph: NativeGraph, scope: string, body: (trace: Trace) => T): T {
  const outer = context.trace;
  if (outer && outer.graph === graph) return body(outer);
  const trace = newTrace(graph, scope);
  const result = context.withTrace(trace, () => body(trace));
  // Nothing would feed a capture's placeholder in the replay.
  if (trace.captures.size > 0 || trace.hostInputs.length > 0 || trace.runHooks.length > 0) {
    throw new Error('A registered gradient function used an eager tensor; build its values with tf ops instead');
  }
  return result;
}

function gradientOp(op: NativeOperation): GradientOp {
  return {
    type: op.type,
    name: op.name,
    inputs: Array.from({ length: op.numInputs }, (_, i) => Tensor.symbolic(op.input(i))),
    outputs: Array.from({ length: op.numOutputs }, (_, i) => Tensor.symbolic({ op, index: i })),
    attr: (name) => decodeAttrValue(op.attrProto(name)),
  };
}

/**
 * d(sum of ys)/d(each x), seeded with `dxs` (ones if null), null where an x cannot reach the ys
 * (tf.raw.addGradients), with the gradients registered in lib/gradients used for the ops they cover.
 */
export function addGradients(
  graph: NativeGraph,
  ys: readonly NativeOutput[],
  xs: readonly NativeOutput[],
  dxs: readonly NativeOutput[] | null = null,
  prefix: string | null = null,
): (NativeOutput | null)[] {
  const marked = ys.length > 0 ? markedOpsBetween(ys, xs) : [];
  if (marked.length === 0) return addCppGradients(graph, ys, xs, dxs, prefix);
  const base = prefix ?? runtime.uniqueName('gradients', graph);
  return inTrace(graph, `${base}/registered`, (trace) => {
    const output = (t: Tensor) => symbolicOutput(trace, t);
    const targets = [...ys];
    const seeds = dxs ? [...dxs] : ys.map((y) => output(OnesLike({ x: Tensor.symbolic(y) })));
    let stage = 0;
    for (const { op, gradient, markers } of marked.reverse()) {
      const grads = addCppGradients(graph, targets, markers.flat(), seeds, `${base}/stage${stage++}`);
      let next = 0;
      const perOutput = markers.map((list) => {
        const mine = grads.slice(next, (next += list.length)).filter((g): g is NativeOutput => g !== null);
        if (mine.length <= 1) return mine[0] ?? null;
        return output(AddN({ inputs: mine.map((g) => Tensor.symbolic(g)) }));
      });
      if (perOutput.every((g) => g === null)) continue;
      const forward = gradientOp(op);
      const upstream = perOutput.map((g, k) => (g ? Tensor.symbolic(g) : ZerosLike({ x: forward.outputs[k] })));
      const inputGrads = gradient(forward, upstream);
      if (!Array.isArray(inputGrads) || inputGrads.length !== op.numInputs) {
        throw new TypeError(
          `The registered gradient of ${op.type} returned ${Array.isArray(inputGrads) ? inputGrads.length : 'no array of'} gradients for ${op.numInputs} inputs`,
        );
      }
      inputGrads.forEach((dx, i) => {
        if (dx === null || dx === undefined) return;
        if (!(dx instanceof Tensor)) throw new TypeError(`The registered gradient of ${op.type} returned a non-tensor for input ${i}`);
        // TF_AddGradients stops at a target: the input itself would cut paths through it.
        targets.push(output(Identity({ input: Tensor.symbolic(op.input(i)) })));
        seeds.push(output(dx));
      });
    }
    return addCppGradients(graph, targets, xs, seeds, `${base}/stage${stage}`);
  });
}
