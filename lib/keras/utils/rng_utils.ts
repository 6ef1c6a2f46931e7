// keras.utils.set_random_seed / get_random_seed.
import { setSeed } from '../../random';

let globalSeed: number | undefined;

/**
 * Keras' `set_random_seed(seed)`: makes a program's random draws repeatable. Python seeds its
 * `random`, NumPy and TensorFlow; here every unseeded draw comes from one process-wide generator,
 * which this restarts (it is `tf.random.setSeed(seed)`): tf.random's unseeded ops, Keras'
 * initializers, Dropout and seed generators, and the shuffles of `Dataset.shuffle` and `fit`.
 * JavaScript's own `Math.random` cannot be seeded and is not touched (nothing here draws from it).
 * The numbers differ from Python's for the same seed: only explicitly seeded ops match Python.
 * A seed that is not an integer is Keras' ValueError text, as a TypeError.
 */
export function setRandomSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new TypeError(`Expected \`seed\` argument to be an integer. Received: seed=${String(seed)} (of type ${typeof seed})`);
  }
  globalSeed = seed;
  setSeed(seed);
}

/** Keras' `get_random_seed()`: the seed given to setRandomSeed, or undefined. */
export function getRandomSeed(): number | undefined {
  return globalSeed;
}
