// tf.keras.activations: Keras 3's activation functions on TF ops, looked up by name or passed as
// functions. softmax and sigmoid remember their logits, as Keras does, so that the cross-entropy
// losses can use the fused, numerically stable logits kernels on their outputs.
import { Erfc } from '../ops/generated';
import { exp, multiply, negative, sigmoid as sigmoidOp, tanh as tanhOp } from '../ops/math';
import * as nn from '../ops/nn';
import { Tensor } from '../tensor';
import { getRegisteredName, getRegisteredObject } from './saving/object_registration';

export type ActivationFunction = (x: Tensor) => Tensor;
/** A Keras activation name ('relu'), a function, or null/undefined for linear. */
export type ActivationIdentifier = string | ActivationFunction | null | undefined;

/** The logits a softmax/sigmoid output was computed from (Keras' `_keras_logits`). */
const logitsOf = new WeakMap<Tensor, { kind: 'softmax' | 'sigmoid'; logits: Tensor }>();

/** The logits behind `output` when it is a softmax/sigmoid activation output. */
export function kerasLogits(output: Tensor, kind: 'softmax' | 'sigmoid'): Tensor | undefined {
  const entry = logitsOf.get(output);
  return entry?.kind === kind ? entry.logits : undefined;
}

export function linear(x: Tensor): Tensor {
  return x;
}

export function relu(x: Tensor): Tensor {
  return nn.relu(x);
}

export function relu6(x: Tensor): Tensor {
  return nn.relu6(x);
}

export function leakyRelu(x: Tensor): Tensor {
  return nn.leakyRelu(x, 0.2);
}

export function sigmoid(x: Tensor): Tensor {
  const output = sigmoidOp(x);
  logitsOf.set(output, { kind: 'sigmoid', logits: x });
  return output;
}

export function softmax(x: Tensor): Tensor {
  const output = nn.softmax(x, -1);
  logitsOf.set(output, { kind: 'softmax', logits: x });
  return output;
}

export function logSoftmax(x: Tensor): Tensor {
  return nn.logSoftmax(x, -1);
}

export function tanh(x: Tensor): Tensor {
  return tanhOp(x);
}

/** Keras 3's default: the exact form, 0.5 · x · erfc(-x / √2), as tf.nn.gelu computes it. */
export function gelu(x: Tensor): Tensor {
  return multiply(multiply(0.5, x), Erfc({ x: multiply(negative(x), Math.fround(Math.SQRT1_2)) }));
}

export function elu(x: Tensor): Tensor {
  return nn.elu(x);
}

export function selu(x: Tensor): Tensor {
  return nn.selu(x);
}

export function softplus(x: Tensor): Tensor {
  return nn.softplus(x);
}

export function silu(x: Tensor): Tensor {
  return multiply(x, sigmoidOp(x));
}

export function exponential(x: Tensor): Tensor {
  return exp(x);
}

const BY_NAME: ReadonlyMap<string, ActivationFunction> = new Map<string, ActivationFunction>([
  ['linear', linear],
  ['relu', relu],
  ['relu6', relu6],
  ['leaky_relu', leakyRelu],
  ['sigmoid', sigmoid],
  ['softmax', softmax],
  ['log_softmax', logSoftmax],
  ['tanh', tanh],
  ['gelu', gelu],
  ['elu', elu],
  ['selu', selu],
  ['softplus', softplus],
  ['silu', silu],
  ['swish', silu],
  ['exponential', exponential],
]);

/**
 * Keras' `activations.deserialize`: the function a name stands for, a built-in ('relu') or one
 * registered with registerKerasSerializable() ('Custom>myActivation').
 */
export function deserialize(name: string): ActivationFunction {
  const fn = typeof name === 'string' ? (BY_NAME.get(name) ?? getRegisteredObject(name)) : undefined;
  if (typeof fn !== 'function') throw new RangeError(`Could not interpret activation function identifier: ${String(name)}`);
  return fn as ActivationFunction;
}

/** Keras' `activations.get`: a function from a name or function; null/undefined is linear. */
export function get(identifier: ActivationIdentifier): ActivationFunction {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'function') return identifier;
  return deserialize(identifier);
}

/** Keras' `activations.serialize`: a built-in's name; another function's registered name (else its own name). */
export function serialize(activation: ActivationFunction): string {
  for (const [name, fn] of BY_NAME) if (fn === activation) return name;
  return getRegisteredName(activation) || 'custom_activation';
}
