// Python's tf.linalg (the parts implemented so far).
export { matmul } from './math';
export { globalNorm } from './clip_ops';
