// tf.raw: the C API's concepts, 1:1 (graph, operation, session, tensor), for code below tf.function.
import { NativeGraph, NativeTensor, binding } from '../native';

export { OperationBuilder, ShapeAttr } from './operation_builder';
export { Session, SessionOptions, RunOptions } from './session';
export { hostTensor, readFlat, readNested } from './host_tensor';
export { addGradients } from './gradients';
export type { NativeOperation as Operation, NativeOutput as Output, NativeCallable as Callable, NativeDevice as Device } from '../native';

export const Graph = binding.Graph;
export type Graph = NativeGraph;
export const Tensor = binding.Tensor;
export type Tensor = NativeTensor;

/** The serialized OpList of every op registered in the linked libtensorflow. */
export function opList(): Buffer {
  return binding.opList();
}

/** Session runs made by this process so far (to check that a training step is one run). */
export function sessionRunCount(): number {
  return binding.sessionRunCount();
}

/** Native tensors currently alive (created and not yet freed): a leak check. */
export function liveTensorCount(): number {
  return binding.liveTensorCount();
}
