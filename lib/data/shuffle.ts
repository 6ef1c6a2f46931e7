// The one seeded shuffler, behind tf.data's Dataset.shuffle and fit's per-epoch shuffle. As in TF,
// an explicit seed fixes the order, and without one the seed comes from the global generator
// (random.opSeed), so after tf.random.setSeed(n) a program shuffles the same way on every run.
import { opSeed } from '../random';

/** xoshiro128** seeded from (seed, stream): a reproducible stream per seed and epoch. */
class RandomStream {
  private readonly state = new Uint32Array(4);

  constructor(seed: number, stream: number) {
    let h = 0x9e3779b9;
    const absorb = (x: number): void => {
      h = Math.imul(h ^ x, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    };
    absorb(seed >>> 0);
    absorb(Math.floor(seed / 2 ** 32) >>> 0);
    absorb(stream >>> 0);
    for (let i = 0; i < 4; ++i) {
      h = (h + 0x9e3779b9) | 0;
      let z = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = z ^ (z >>> 16);
    }
    if (this.state.every((x) => x === 0)) this.state[0] = 1;
  }

  private nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in [0, n), from 53 random bits. */
  below(n: number): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return Math.floor(((high * 2 ** 26 + low) / 2 ** 53) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Removes a random one of buffer[0..length) and returns it; the last one moves into its place. */
function takeRandom<T>(buffer: { [i: number]: T }, length: number, random: RandomStream): T {
  const i = random.below(length);
  const chosen = buffer[i];
  buffer[i] = buffer[length - 1];
  return chosen;
}

/** Shuffles pass after pass (epochs) from one seed: each pass a new order, or the first order again. */
export class Shuffler {
  readonly seed: number;
  private epoch = 0;

  constructor(
    seed?: number,
    private readonly reshuffleEachIteration = true,
  ) {
    if (seed !== undefined && !Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
    this.seed = seed ?? opSeed();
  }

  /**
   * One pass of TF's buffered shuffle: fills a buffer of `bufferSize` elements and hands out a
   * random one, replacing it with the next input. A buffer at least as large as the input is a full
   * shuffle. The pass takes its stream when it starts, not when it is created.
   */
  *shuffle<T>(source: Iterable<T>, bufferSize: number): Generator<T> {
    const random = this.nextStream();
    const buffer: T[] = [];
    const take = (): T => {
      const chosen = takeRandom(buffer, buffer.length, random);
      buffer.pop();
      return chosen;
    };
    for (const element of source) {
      buffer.push(element);
      if (buffer.length === bufferSize) yield take();
    }
    while (buffer.length > 0) yield take();
  }

  /** The next pass's order of 0..n-1: what `shuffle` hands out with a full buffer, in place (a generator is ~4x slower). */
  permutation(n: number): Uint32Array {
    const random = this.nextStream();
    const pool = Uint32Array.from({ length: n }, (_, i) => i);
    const order = new Uint32Array(n);
    for (let k = 0; k < n; ++k) order[k] = takeRandom(pool, n - k, random);
    return order;
  }

  private nextStream(): RandomStream {
    return new RandomStream(this.seed, this.reshuffleEachIteration ? this.epoch++ : 0);
  }
}
