// Symbolic gradients (TF_AddGradientsWithPrefix) with null for xs that the ys do not depend on;
// TF itself rejects such xs instead.
import { InvalidArgumentError } from '../errors';
import { NativeGraph, NativeOperation, NativeOutput } from '../native';

/** Names of every op that `ys` depend on through data edges. */
function ancestors(ys: readonly NativeOutput[]): Set<string> {
  const seen = new Set<string>();
  const stack: NativeOperation[] = ys.map((y) => y.op);
  while (stack.length > 0) {
    const op = stack.pop() as NativeOperation;
    if (seen.has(op.name)) continue;
    seen.add(op.name);
    for (let i = 0; i < op.numInputs; ++i) stack.push(op.input(i).op);
  }
  return seen;
}

/** d(sum of ys)/d(each x), seeded with `dxs` (ones if null); null where an x cannot reach the ys. */
export function addGradients(
  graph: NativeGraph,
  ys: readonly NativeOutput[],
  xs: readonly NativeOutput[],
  dxs: readonly NativeOutput[] | null = null,
  prefix: string | null = null,
): (NativeOutput | null)[] {
  if (ys.length === 0) throw new RangeError('addGradients needs at least one y');
  // TF would answer null (or worse) for an output of another graph.
  for (const [what, outputs] of [
    ['y', ys],
    ['x', xs],
    ['dx', dxs ?? []],
  ] as const) {
    for (const output of outputs) {
      if (output.op.graph !== graph)
        throw new InvalidArgumentError(`addGradients: ${what} '${output.op.name}:${output.index}' belongs to another graph`);
    }
  }
  const reachable = ancestors(ys);
  const connected = xs.filter((x) => reachable.has(x.op.name));
  const grads = connected.length > 0 ? graph.addGradients(ys, connected, dxs, prefix) : [];
  let next = 0;
  return xs.map((x) => (reachable.has(x.op.name) ? grads[next++] : null));
}
