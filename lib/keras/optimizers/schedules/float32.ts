// Keras evaluates the built-in schedules as float32 TensorFlow ops. Rounding every intermediate the
// same way reproduces its values (nearly always bit for bit), which matters most where float64 would
// disagree: floor()/ceil() at period boundaries, cancellation near the end of a cosine decay, and
// float32 step fractions at large steps.

const FLOAT32_MIN_NORMAL = 2 ** -126;

/** Rounds to float32 and flushes subnormals to zero, as TensorFlow's CPU kernels do. */
export function f32(x: number): number {
  const rounded = Math.fround(x);
  return Math.abs(rounded) < FLOAT32_MIN_NORMAL ? 0 : rounded;
}

/** Keras' `ops.array(math.pi, dtype='float32')`. */
export const PI_F32 = Math.fround(Math.PI);
