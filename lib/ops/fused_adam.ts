// TfNapiFusedApplyAdam (native/ops/fused_adam_op.cc), the op of tf-napi's own op library: Adam,
// AdamW or AMSGrad on N variables in one op. Graph-only, like the variables' handles it takes.
import { context } from '../context';
import { dtypeToEnum } from '../dtypes';
import { hasKernel, opLibraryStatus } from '../op_library';
import { runtime } from '../runtime';
import { Tensor } from '../tensor';
import { addTraceOperation, symbolicOutput } from './run_op';

export const FUSED_ADAM_OP = 'TfNapiFusedApplyAdam';

export interface FusedApplyAdamArgs {
  /** Resource handles of the variables (`variable.handle`). */
  var: readonly Tensor[];
  grad: readonly Tensor[];
  m: readonly Tensor[];
  v: readonly Tensor[];
  /** One per variable with `amsgrad`, none without. */
  vhat?: readonly Tensor[];
  /** Handle of the float32 scalar learning-rate variable. */
  lr: Tensor;
  /** Handle of the int64 scalar iterations variable (steps done; t = iterations + 1). */
  iterations: Tensor;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** AdamW's decoupled decay (var -= var * weightDecay * lr, before the update); 0 for none. */
  weightDecay?: number;
  amsgrad?: boolean;
  /** The gradients' dtype (default: the first gradient's). */
  T?: 'float32';
}

/**
 * Why the op cannot be used here (no library, no kernel for this device type and dtype), or
 * undefined when it can.
 */
export function fusedAdamUnavailable(deviceType: string, dtype: string): string | undefined {
  const library = opLibraryStatus();
  if (!library.loaded) return `tf-napi's op library is not loaded (${library.reason})`;
  if (!library.ops.includes(FUSED_ADAM_OP)) return `the op library at ${library.path} has no ${FUSED_ADAM_OP}`;
  if (dtype !== 'float32' || !hasKernel(FUSED_ADAM_OP, deviceType, 'T', dtype)) {
    return `${FUSED_ADAM_OP} has no ${deviceType} kernel for ${dtype} variables`;
  }
  return undefined;
}

/** The device type variables land on by default: GPU when the session has one, else CPU. */
export function defaultVariableDeviceType(): string {
  return runtime.session.listDevices().some((d) => d.type === 'GPU') ? 'GPU' : 'CPU';
}

/** Adds the op to the tf.function being traced. */
export function fusedApplyAdam(args: FusedApplyAdamArgs): void {
  const trace = context.trace;
  if (!trace) throw new TypeError(`${FUSED_ADAM_OP} takes variable handles, which exist only inside tf.function`);
  const lists = { var: args.var, grad: args.grad, m: args.m, v: args.v, vhat: args.vhat ?? [] };
  for (const [name, list] of Object.entries(lists)) {
    if (!Array.isArray(list) || !list.every((t) => t instanceof Tensor)) {
      throw new TypeError(`${FUSED_ADAM_OP} input '${name}' takes an array of tensors`);
    }
  }
  if (!(args.lr instanceof Tensor) || !(args.iterations instanceof Tensor)) {
    throw new TypeError(`${FUSED_ADAM_OP} inputs 'lr' and 'iterations' take variable handles`);
  }
  const dtype = args.T ?? (args.grad.length > 0 ? args.grad[0].dtype : 'float32');
  const out = (t: Tensor) => symbolicOutput(trace, t);
  addTraceOperation(trace, {
    type: FUSED_ADAM_OP,
    inputs: [
      lists.var.map(out),
      lists.grad.map(out),
      lists.m.map(out),
      lists.v.map(out),
      lists.vhat.map(out),
      out(args.lr),
      out(args.iterations),
    ],
    attrs: [
      ['T', 'type', dtypeToEnum(dtype)],
      ['beta1', 'float', args.beta1 ?? 0.9],
      ['beta2', 'float', args.beta2 ?? 0.999],
      ['epsilon', 'float', args.epsilon ?? 1e-7],
      ['weight_decay', 'float', args.weightDecay ?? 0],
      ['amsgrad', 'bool', args.amsgrad ?? false],
    ],
    stateful: true,
  });
}
