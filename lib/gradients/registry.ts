// Gradients written in TS for ops that TF's C++ gradient registry (all TF_AddGradients knows) lacks,
// as Python's tf.RegisterGradient. Kept free of op imports: run_op asks it whether to mark an op.
import { opInfo } from '../op_registry';
import type { AttrValueObject } from '../proto';
import type { Tensor } from '../tensor';

/** The forward op a gradient function differentiates (Python's `op` argument). */
export interface GradientOp {
  readonly type: string;
  readonly name: string;
  /** Every input, flattened in OpDef order (list args expanded), as graph tensors. */
  readonly inputs: readonly Tensor[];
  /** Every output, flattened likewise. */
  readonly outputs: readonly Tensor[];
  /** An attribute's value (Python's op.get_attr), e.g. attr('axis').i. */
  attr(name: string): AttrValueObject;
}

/**
 * Given the op and the gradient of the target with respect to each output (zeros for an output
 * the target does not use), returns the gradient for each input, or null where there is none.
 * It builds graph ops with the ordinary tf functions.
 */
export type GradientFunction = (op: GradientOp, grads: readonly Tensor[]) => readonly (Tensor | null | undefined)[];

const registry = new Map<string, GradientFunction>();

/**
 * Python's tf.RegisterGradient(opType): `gradient` differentiates every `opType` op built after
 * this call, eagerly under a GradientTape and inside tf.function; it takes precedence over a C++
 * gradient. An op type can be registered once.
 */
export function registerGradient(opType: string, gradient: GradientFunction): void {
  opInfo(opType);
  // run_op marks registered ops with StopGradient.
  if (opType === 'StopGradient') throw new TypeError('StopGradient cannot have a registered gradient');
  if (typeof gradient !== 'function') throw new TypeError(`registerGradient('${opType}') needs a function`);
  if (registry.has(opType)) throw new Error(`Registering two gradients with name '${opType}'`);
  registry.set(opType, gradient);
}

/** The registered gradient of `opType`, if any. */
export function gradientFunction(opType: string): GradientFunction | undefined {
  return registry.get(opType);
}

export function hasGradientFunction(opType: string): boolean {
  return registry.has(opType);
}
