import { makeDefaultSeed } from '../../random';
import { describeValue } from '../utils/argument_validation';
import { Initializer, InitializerConfig } from './initializer';

/**
 * Base of the random initializers. As in Keras 3, an integer seed — or, when none is given, one
 * drawn once at construction from tf.random's process-wide generator — is used by every call, so an
 * initializer returns the same values each time it is called, and two with the same seed agree.
 * `getConfig()` reports the seed as given (null when drawn), so a restored unseeded initializer
 * draws a new one, as Keras does.
 */
export abstract class RandomInitializer extends Initializer {
  /** The seed every call uses. */
  readonly seed: number;
  private readonly givenSeed: number | null;

  protected constructor(seed: number | null | undefined) {
    super();
    if (seed !== undefined && seed !== null && !Number.isSafeInteger(seed)) {
      throw new TypeError(`\`seed\` argument should be an integer. Received: seed=${describeValue(seed)}`);
    }
    this.givenSeed = seed ?? null;
    this.seed = seed ?? makeDefaultSeed();
  }

  override getConfig(): InitializerConfig {
    return { seed: this.givenSeed };
  }
}
