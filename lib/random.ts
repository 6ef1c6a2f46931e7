// tf.random: normal, uniform and truncated-normal draws, all on TF's stateless random ops
// (StatelessRandomGetKeyCounter + Stateless*V2, the ops Python's tf.random.stateless_* runs), so a
// seed fixes the values: eagerly, inside tf.function, and against Python for the same seed pair.
//
// Seeds:
// - `statelessNormal(shape, [a, b])` etc. take Python's seed pair: the same pair gives Python's
//   `tf.random.stateless_normal(shape, seed=[a, b])` numbers.
// - `normal(shape, { seed: n })` etc. take one integer as Keras 3 does (`keras.random.normal(shape,
//   seed=n)`): the pair is [n mod 2147483646, 0], so the same `n` gives the same values on every
//   call. (Python's stateful tf.random.normal(seed=n) would advance instead; this API does not.)
// - Without a seed, the pair comes from a process-wide JS generator, seeded from the OS at load;
//   `setSeed(n)` restarts it (Python's tf.random.set_seed), making unseeded programs repeatable.
//   Inside tf.function an unseeded draw is a stateful RandomUniformInt op seeded from that
//   generator at trace time, so each call of the function draws new values.
import { randomInt } from 'node:crypto';
import { context } from './context';
import { DType } from './dtypes';
import {
  AddV2,
  Mul,
  RandomUniformInt,
  StatelessRandomGetKeyCounter,
  StatelessRandomNormalV2,
  StatelessRandomUniformIntV2,
  StatelessRandomUniformV2,
  StatelessTruncatedNormalV2,
  Sub,
} from './ops/generated';
import { constantTensor } from './ops/run_op';
import { Tensor } from './tensor';

export type FloatDType = 'float16' | 'bfloat16' | 'float32' | 'float64';
export type UniformDType = FloatDType | 'int32' | 'int64';

/** Python's stateless seed: two integers. */
export type SeedPair = readonly [number, number];

export interface NormalOptions {
  mean?: number;
  stddev?: number;
  dtype?: FloatDType;
  /** One integer, as Keras' `seed=`; omitted: a fresh seed per call. */
  seed?: number;
}

export interface UniformOptions {
  minval?: number;
  /** Defaults to 1 for float dtypes; required for int32/int64, as in TF. */
  maxval?: number;
  dtype?: UniformDType;
  seed?: number;
}

export type StatelessNormalOptions = Omit<NormalOptions, 'seed'>;
export type StatelessUniformOptions = Omit<UniformOptions, 'seed'>;

const FLOAT_DTYPES: readonly DType[] = ['float16', 'bfloat16', 'float32', 'float64'];
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Keras' `_cast_seed` folds int64 seeds into int32 with `floormod(seed, int32.max - 1)`. */
const KERAS_SEED_MODULUS = 2 ** 31 - 2;
/** Python's `alg="auto_select"`: the key/counter op picks the device's algorithm (Philox on CPU). */
const ALG_AUTO_SELECT = 3;

// Mulberry32: small, fast, and enough to spread seeds; the draws themselves are TF's Philox.
let generatorState = randomInt(2 ** 32 - 1);

function nextUint32(): number {
  generatorState = (generatorState + 0x6d2b79f5) >>> 0;
  let t = generatorState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Restarts the generator behind unseeded draws (Python's tf.random.set_seed). */
export function setSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new TypeError(`tf.random.setSeed: seed must be an integer, got ${String(seed)}`);
  generatorState = Number(BigInt.asUintN(32, BigInt(seed)));
}

/** An integer in [min, max] from the process-wide generator. */
function drawSeed(min: number, max: number): number {
  const unit = ((nextUint32() >>> 5) * 2 ** 26 + (nextUint32() >>> 6)) / 2 ** 53;
  return min + Math.floor(unit * (max - min + 1));
}

/**
 * The seed of an unseeded op (Python's get_seed(None) op seed, from `internal_operation_seed()`):
 * nondeterministic, or repeatable after setSeed. Dataset.shuffle and fit's shuffle take theirs here.
 */
export function opSeed(): number {
  return drawSeed(0, INT32_MAX);
}

/** Keras' `make_default_seed()`: what an unseeded initializer fixes as its seed, in [1, 1e9]. */
export function makeDefaultSeed(): number {
  return drawSeed(1, 1e9);
}

function checkShape(fn: string, shape: unknown): readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: shape must be an array of integers, got ${String(shape)}`);
  shape.forEach((d: unknown, i) => {
    if (typeof d !== 'number') throw new TypeError(`${fn}: shape[${i}] must be a number, got ${typeof d}`);
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${fn}: shape[${i}] must be a non-negative integer, got ${d}`);
  });
  return shape as number[];
}

function checkNumber(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${typeof value}`);
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite, got ${value}`);
  return value;
}

function checkFloatDType(fn: string, dtype: unknown): FloatDType {
  if (!FLOAT_DTYPES.includes(dtype as DType)) {
    throw new TypeError(`${fn}: dtype must be one of ${FLOAT_DTYPES.join(', ')}, got ${String(dtype)}`);
  }
  return dtype as FloatDType;
}

function checkSeedPair(fn: string, seed: unknown): SeedPair {
  if (!Array.isArray(seed) || seed.length !== 2 || !seed.every((s) => Number.isSafeInteger(s))) {
    throw new TypeError(`${fn}: seed must be a pair of integers [a, b], got ${JSON.stringify(seed)}`);
  }
  return seed as unknown as SeedPair;
}

/** Keras' seed pair for an integer seed: `[seed mod 2147483646, 0]`. */
function kerasSeedPair(fn: string, seed: unknown): SeedPair {
  if (!Number.isSafeInteger(seed)) throw new TypeError(`${fn}: seed must be an integer, got ${String(seed)}`);
  return [(((seed as number) % KERAS_SEED_MODULUS) + KERAS_SEED_MODULUS) % KERAS_SEED_MODULUS, 0];
}

function seedTensor(pair: SeedPair): Tensor {
  return constantTensor([...pair], 'int64', [2]);
}

/** A seed tensor for an unseeded draw: a constant eagerly, a stateful op in a trace. */
function freshSeedTensor(): Tensor {
  if (!context.trace) return seedTensor([drawSeed(0, INT32_MAX), drawSeed(0, INT32_MAX)]);
  // A constant would repeat on every call of the traced function.
  return RandomUniformInt({
    shape: constantTensor([2], 'int32', [1]),
    minval: constantTensor(0, 'int64'),
    maxval: constantTensor(INT32_MAX, 'int64'),
    seed: makeDefaultSeed(),
    seed2: makeDefaultSeed(),
  });
}

function seedFor(fn: string, seed: number | undefined): Tensor {
  return seed === undefined ? freshSeedTensor() : seedTensor(kerasSeedPair(fn, seed));
}

type StatelessFloatOp = typeof StatelessRandomNormalV2;

/** Python's stateless draw: key and counter from the seed, then the V2 op. */
function draw(op: StatelessFloatOp, shape: readonly number[], seed: Tensor, dtype: FloatDType): Tensor {
  const { key, counter } = StatelessRandomGetKeyCounter({ seed });
  return op({
    shape: constantTensor([...shape], 'int32', [shape.length]),
    key,
    counter,
    alg: constantTensor(ALG_AUTO_SELECT, 'int32'),
    dtype,
  });
}

/** `rnd * stddev + mean` with the same ops and dtype rounding as Python. */
function scaleAndShift(rnd: Tensor, stddev: number, mean: number, dtype: FloatDType): Tensor {
  return AddV2({ x: Mul({ x: rnd, y: constantTensor(stddev, dtype) }), y: constantTensor(mean, dtype) });
}

function normalFrom(fn: string, op: StatelessFloatOp, shape: unknown, seed: () => Tensor, options: StatelessNormalOptions): Tensor {
  const { mean = 0, stddev = 1, dtype = 'float32' } = options;
  const dims = checkShape(fn, shape);
  checkNumber(fn, 'mean', mean);
  if (checkNumber(fn, 'stddev', stddev) < 0) throw new RangeError(`${fn}: stddev must be >= 0, got ${stddev}`);
  checkFloatDType(fn, dtype);
  return scaleAndShift(draw(op, dims, seed(), dtype), stddev, mean, dtype);
}

function uniformFrom(fn: string, shape: unknown, seed: () => Tensor, options: StatelessUniformOptions): Tensor {
  const { minval = 0, dtype = 'float32' } = options;
  const dims = checkShape(fn, shape);
  const isInt = dtype === 'int32' || dtype === 'int64';
  if (!isInt) checkFloatDType(fn, dtype);
  if (isInt && options.maxval === undefined) throw new TypeError(`${fn}: maxval must be given for dtype ${dtype}`);
  const maxval = options.maxval ?? 1;
  checkNumber(fn, 'minval', minval);
  checkNumber(fn, 'maxval', maxval);
  if (minval >= maxval) throw new RangeError(`${fn}: minval must be < maxval, got minval=${minval}, maxval=${maxval}`);
  if (isInt) {
    if (!Number.isSafeInteger(minval) || !Number.isSafeInteger(maxval)) {
      throw new RangeError(`${fn}: minval and maxval must be integers for dtype ${dtype}, got ${minval} and ${maxval}`);
    }
    if (dtype === 'int32' && (minval < INT32_MIN || maxval > INT32_MAX)) {
      throw new RangeError(`${fn}: minval and maxval must fit in int32, got ${minval} and ${maxval}`);
    }
    const { key, counter } = StatelessRandomGetKeyCounter({ seed: seed() });
    return StatelessRandomUniformIntV2({
      shape: constantTensor([...dims], 'int32', [dims.length]),
      key,
      counter,
      alg: constantTensor(ALG_AUTO_SELECT, 'int32'),
      minval: constantTensor(minval, dtype),
      maxval: constantTensor(maxval, dtype),
    });
  }
  const floatDType = dtype as FloatDType;
  const low = constantTensor(minval, floatDType);
  const range = Sub({ x: constantTensor(maxval, floatDType), y: low });
  return AddV2({ x: Mul({ x: draw(StatelessRandomUniformV2, dims, seed(), floatDType), y: range }), y: low });
}

/** Normal samples (mean 0, stddev 1, float32 by default). */
export function normal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  return normalFrom('tf.random.normal', StatelessRandomNormalV2, shape, () => seedFor('tf.random.normal', options.seed), options);
}

/** Uniform samples in [minval, maxval). */
export function uniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
  return uniformFrom('tf.random.uniform', shape, () => seedFor('tf.random.uniform', options.seed), options);
}

/** Normal samples with those beyond 2 stddev of the mean redrawn. */
export function truncatedNormal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const fn = 'tf.random.truncatedNormal';
  return normalFrom(fn, StatelessTruncatedNormalV2, shape, () => seedFor(fn, options.seed), options);
}

/** Python's tf.random.stateless_normal(shape, seed=[a, b], mean, stddev, dtype). */
export function statelessNormal(shape: readonly number[], seed: SeedPair, options: StatelessNormalOptions = {}): Tensor {
  const fn = 'tf.random.statelessNormal';
  return normalFrom(fn, StatelessRandomNormalV2, shape, () => seedTensor(checkSeedPair(fn, seed)), options);
}

/** Python's tf.random.stateless_uniform(shape, seed=[a, b], minval, maxval, dtype). */
export function statelessUniform(shape: readonly number[], seed: SeedPair, options: StatelessUniformOptions = {}): Tensor {
  const fn = 'tf.random.statelessUniform';
  return uniformFrom(fn, shape, () => seedTensor(checkSeedPair(fn, seed)), options);
}

/** Python's tf.random.stateless_truncated_normal(shape, seed=[a, b], mean, stddev, dtype). */
export function statelessTruncatedNormal(shape: readonly number[], seed: SeedPair, options: StatelessNormalOptions = {}): Tensor {
  const fn = 'tf.random.statelessTruncatedNormal';
  return normalFrom(fn, StatelessTruncatedNormalV2, shape, () => seedTensor(checkSeedPair(fn, seed)), options);
}
