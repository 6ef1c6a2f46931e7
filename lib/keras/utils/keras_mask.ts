// Keras' `_keras_mask`: the mask a tensor carries (which timesteps are real), set by the layer that
// made it and read by the next layer, by losses and by metrics (backend.get_keras_mask).
import { Tensor } from '../../tensor';

/** Per tensor object (eager or graph). */
const tensorMasks = new WeakMap<Tensor, Tensor>();

/** The mask `tensor` carries (Python's `tensor._keras_mask`), or null. */
export function getKerasMask(tensor: Tensor): Tensor | null {
  return tensorMasks.get(tensor) ?? null;
}

/** Attaches `mask` to `tensor` (null removes it). */
export function setKerasMask(tensor: Tensor, mask: Tensor | null): void {
  if (mask === null) tensorMasks.delete(tensor);
  else tensorMasks.set(tensor, mask);
}

/** Whether `tensor` carries a mask. */
export function hasKerasMask(tensor: Tensor): boolean {
  return tensorMasks.has(tensor);
}
