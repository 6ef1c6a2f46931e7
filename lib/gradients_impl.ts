// tf.gradients(ys, xs, gradYs): Python's symbolic gradients, for graph code (inside tf.function).
// They go through the same path as GradientTape's (TF_AddGradients with the gradients registered in
// lib/gradients), with respect to tensors of the trace and to variables (the sum over their reads).
import { context } from './context';
import { addN, Source, sumGroups } from './gradient_tape';
import { addGradients } from './gradients';
import { NativeOutput } from './native';
import { zeros } from './ops/creation';
import { OnesLike, ZerosLike } from './ops/generated';
import { constantTensor, symbolicOutput } from './ops/run_op';
import { HostValue } from './host_data';
import { runtime } from './runtime';
import { Tensor, TensorLike } from './tensor';
import { Variable } from './variable';

export interface GradientsOptions {
  /** Python's `grad_ys`: the gradient each y starts from (ones where null or omitted). */
  gradYs?: TensorLike | null | readonly (TensorLike | null)[];
  /** Python's `unconnected_gradients`: null ('none', the default) or zeros ('zero') for an x the ys do not depend on. */
  unconnectedGradients?: 'none' | 'zero';
  /** The name scope of the gradient ops (Python's `name`, default 'gradients'). */
  name?: string;
}

const OPTION_KEYS = ['gradYs', 'unconnectedGradients', 'name'];

function isOptions(value: unknown): value is GradientsOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof Tensor) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/**
 * Python's `tf.gradients(ys, xs, grad_ys)`: the symbolic gradient of the sum of `ys` with respect to
 * each x (a tensor of the function being traced, or a variable), null where an x does not affect the
 * ys. Like Python it always returns an array, and it exists only in graph code: eagerly it throws
 * Python's RuntimeError text as an Error (use tf.GradientTape there).
 */
export function gradients(
  ys: Tensor | readonly Tensor[],
  xs: Source | readonly Source[],
  gradYsOrOptions?: TensorLike | null | readonly (TensorLike | null)[] | GradientsOptions,
): (Tensor | null)[] {
  const trace = context.trace;
  if (!trace) throw new Error('tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.');
  const options: GradientsOptions = isOptions(gradYsOrOptions) ? gradYsOrOptions : { gradYs: gradYsOrOptions };
  if (isOptions(gradYsOrOptions)) {
    const unknown = Object.keys(gradYsOrOptions).filter((k) => !OPTION_KEYS.includes(k));
    if (unknown.length > 0) {
      throw new TypeError(`tf.gradients got an unexpected option '${unknown[0]}'. Allowed options: ${OPTION_KEYS.join(', ')}`);
    }
  }
  const { unconnectedGradients = 'none', name = 'gradients' } = options;
  if (unconnectedGradients !== 'none' && unconnectedGradients !== 'zero') {
    throw new RangeError(`Unknown value for unconnectedGradients: '${String(unconnectedGradients)}' (expected 'none' or 'zero')`);
  }
  const yList = Array.isArray(ys) ? (ys as readonly Tensor[]) : [ys as Tensor];
  const xList = Array.isArray(xs) ? (xs as readonly Source[]) : [xs as Source];
  yList.forEach((y, i) => {
    if (!(y instanceof Tensor)) throw new TypeError(`tf.gradients: ys[${i}] is not a tf.Tensor`);
  });
  xList.forEach((x, i) => {
    if (!(x instanceof Tensor) && !(x instanceof Variable)) throw new TypeError(`tf.gradients: xs[${i}] is not a tf.Tensor or tf.Variable`);
  });
  let gradYs: (TensorLike | null)[] | null = null;
  if (options.gradYs !== undefined && options.gradYs !== null) {
    const list = Array.isArray(options.gradYs) ? (options.gradYs as readonly (TensorLike | null)[]) : [options.gradYs as TensorLike];
    if (list.length !== yList.length) throw new RangeError(`Passed ${list.length} grad_ys for ${yList.length} ys`);
    gradYs = [...list];
  }
  const yOutputs = yList.map((y) => symbolicOutput(trace, y));
  const seeds =
    gradYs === null
      ? null
      : gradYs.map((g, i) => {
          const y = yList[i];
          if (g === null || g === undefined) return symbolicOutput(trace, OnesLike({ x: y }));
          const seed = g instanceof Tensor ? g : constantTensor(g as HostValue, y.dtype);
          if (seed.dtype !== y.dtype) {
            throw new TypeError(`tf.gradients: gradYs[${i}] is ${seed.dtype}, but ys[${i}] is ${y.dtype}`);
          }
          return symbolicOutput(trace, seed);
        });
  const groups = xList.map((x): NativeOutput[] =>
    x instanceof Variable ? (trace.variableReads.get(x.handleOp.name) ?? []) : [symbolicOutput(trace, x)],
  );
  const flat = groups.flat();
  const grads =
    flat.length === 0 ? [] : addGradients(trace.graph, yOutputs, flat, seeds, runtime.uniqueName(`${trace.scope}/${name}`, trace.graph));
  return sumGroups(groups, grads, (outputs) => addN(outputs, trace.scope, trace.graph)).map((g, i) => {
    if (g) return Tensor.symbolic(g);
    if (unconnectedGradients === 'none') return null;
    const x = xList[i];
    return x instanceof Variable ? zeros(x.shape, x.dtype) : ZerosLike({ x });
  });
}
