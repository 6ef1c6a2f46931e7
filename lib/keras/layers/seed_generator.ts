// Keras' SeedGenerator: an int64 [seed, counter] variable; each draw takes the current state as the
// seed of a stateless random op and advances the counter, so every training step gets a new mask
// while a fixed seed reproduces Keras' own sequence.
import { Cast, FloorMod } from '../../ops/generated';
import { makeDefaultSeed } from '../../random';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { autoName } from '../utils/naming';

/** Keras' `_cast_seed`: stateless ops get int32 seeds, folded with `floormod(seed, int32.max - 1)`. */
const INT32_SEED_MODULUS = 2147483646;

export class SeedGenerator {
  readonly name: string;
  readonly state: Variable;

  constructor(seed?: number | null, name?: string) {
    if (seed !== undefined && seed !== null && !Number.isSafeInteger(seed)) {
      throw new TypeError(`Argument \`seed\` must be an integer. Received: seed=${String(seed)}`);
    }
    this.name = name ?? autoName('seed_generator');
    const initial = BigInt(seed ?? makeDefaultSeed());
    this.state = new Variable([initial, BigInt(0)], { name: `${this.name}/seed_generator_state`, trainable: false, dtype: 'int64' });
  }

  /** The seed pair for the next draw (int32, as Keras passes it to the stateless ops). */
  next(): Tensor {
    const current = this.state.value();
    this.state.assignAdd([BigInt(0), BigInt(1)]);
    return Cast({ x: FloorMod({ x: current, y: BigInt(INT32_SEED_MODULUS) }), DstT: 'int32' });
  }
}
