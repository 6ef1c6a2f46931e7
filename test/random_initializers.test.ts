import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../lib';

const init = tf.keras.initializers;

// Compiled tests run from dist/test/; fixtures stay in the source tree.
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'random.json'), 'utf8')) as {
  stateless: { fn: string; shape: number[]; seed: [number, number]; options: Record<string, unknown>; values: number[] }[];
  keras_random: { fn: string; shape: number[]; seed: number; options: Record<string, unknown>; values: number[] }[];
  initializers: {
    class_name: string;
    config: Record<string, unknown>;
    shape: number[];
    dtype: tf.DType;
    get_config: Record<string, unknown>;
    values: number[];
  }[];
};

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

function stats(xs: readonly number[]): { mean: number; stddev: number; min: number; max: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, stddev: Math.sqrt(variance), min: xs.reduce((a, b) => Math.min(a, b)), max: xs.reduce((a, b) => Math.max(a, b)) };
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
}

const STATELESS = {
  normal: tf.random.statelessNormal,
  uniform: tf.random.statelessUniform,
  truncated_normal: tf.random.statelessTruncatedNormal,
} as const;

const SEEDED = {
  normal: tf.random.normal,
  uniform: tf.random.uniform,
  truncated_normal: tf.random.truncatedNormal,
} as const;

test('stateless draws equal Python tf.random.stateless_* for the same seed pair, bit for bit', () => {
  for (const c of FIXTURE.stateless) {
    const draw = STATELESS[c.fn as keyof typeof STATELESS] as (s: number[], seed: [number, number], o: object) => tf.Tensor;
    const t = draw(c.shape, c.seed, c.options);
    assert.deepEqual(t.shape, c.shape);
    assert.equal(t.dtype, c.options.dtype ?? 'float32');
    assert.deepEqual(values(t), c.values, `${c.fn} seed [${c.seed}] ${JSON.stringify(c.options)}`);
  }
});

test('integer seeds follow Keras 3: tf.random.normal(shape, {seed}) equals keras.random.normal(shape, seed=...)', () => {
  for (const c of FIXTURE.keras_random) {
    const draw = SEEDED[c.fn as keyof typeof SEEDED] as (s: number[], o: object) => tf.Tensor;
    assert.deepEqual(values(draw(c.shape, { ...c.options, seed: c.seed })), c.values, `${c.fn} seed ${c.seed}`);
  }
  // Keras folds int seeds into [seed mod 2147483646, 0].
  assert.deepEqual(values(tf.random.normal([4], { seed: -7 })), values(tf.random.statelessNormal([4], [2147483639, 0])));
});

test('Keras initializers: the same values and configs as Keras 3 for the same seeds', () => {
  for (const c of FIXTURE.initializers) {
    const fromConfig = init.get({ class_name: c.class_name, config: c.config });
    assert.equal(fromConfig.constructor.name, c.class_name);
    assert.deepEqual(fromConfig.getConfig(), c.get_config, `${c.class_name} config`);
    const t = fromConfig.call(c.shape, c.dtype);
    assert.deepEqual(t.shape, c.shape);
    assert.equal(t.dtype, c.dtype);
    assert.deepEqual(values(t), c.values, `${c.class_name}(${JSON.stringify(c.config)}) on [${c.shape}]`);
  }
});

test('a seed fixes the values; different seeds differ; stateless pairs likewise', () => {
  const a = values(tf.random.normal([50], { seed: 1 }));
  assert.deepEqual(values(tf.random.normal([50], { seed: 1 })), a);
  assert.notDeepEqual(values(tf.random.normal([50], { seed: 2 })), a);
  const u = values(tf.random.uniform([50], { seed: 1 }));
  assert.notDeepEqual(u, a);
  assert.deepEqual(values(tf.random.uniform([50], { seed: 1 })), u);
  const pair = values(tf.random.statelessTruncatedNormal([50], [5, 6]));
  assert.deepEqual(values(tf.random.statelessTruncatedNormal([50], [5, 6])), pair);
  assert.notDeepEqual(values(tf.random.statelessTruncatedNormal([50], [6, 5])), pair);
});

test('inside tf.function a seed gives the eager values; unseeded draws differ per call', () => {
  const seeded = tf.function(() => [
    tf.random.normal([20], { seed: 42, mean: 1, stddev: 3 }),
    tf.random.statelessUniform([20], [7, 8], { minval: -1, maxval: 2 }),
    tf.random.truncatedNormal([20], { seed: 9, dtype: 'float64' }),
    new init.GlorotUniform({ seed: 3 }).call([4, 5]),
  ]);
  const eager = [
    tf.random.normal([20], { seed: 42, mean: 1, stddev: 3 }),
    tf.random.statelessUniform([20], [7, 8], { minval: -1, maxval: 2 }),
    tf.random.truncatedNormal([20], { seed: 9, dtype: 'float64' }),
    new init.GlorotUniform({ seed: 3 }).call([4, 5]),
  ];
  for (const run of [seeded(), seeded()]) {
    (run as tf.Tensor[]).forEach((t, i) => assert.deepEqual(values(t), values(eager[i]), `output ${i}`));
  }
  const unseeded = tf.function(() => tf.random.normal([20]));
  assert.notDeepEqual(values(unseeded() as tf.Tensor), values(unseeded() as tf.Tensor));
  assert.equal(unseeded.tracingCount, 1);
});

test('unseeded draws differ per call; tf.random.setSeed makes the sequence repeatable', () => {
  assert.notDeepEqual(values(tf.random.normal([20])), values(tf.random.normal([20])));
  tf.random.setSeed(1234);
  const first = [values(tf.random.normal([20])), values(tf.random.uniform([20])), new init.HeNormal().seed];
  tf.random.setSeed(1234);
  const second = [values(tf.random.normal([20])), values(tf.random.uniform([20])), new init.HeNormal().seed];
  assert.deepEqual(second, first);
});

test('normal, uniform and truncated normal have the right statistics on 100k samples', () => {
  const n = 100_000;
  // Standard errors at n = 1e5: mean ~0.003·stddev, stddev ~0.0022·stddev; tolerances are ~5 of them.
  const unit = stats(values(tf.random.normal([n], { seed: 11 })));
  assertClose(unit.mean, 0, 0.015, 'normal mean');
  assertClose(unit.stddev, 1, 0.012, 'normal stddev');
  const shifted = stats(values(tf.random.statelessNormal([n], [1, 2], { mean: -3, stddev: 0.25, dtype: 'float64' })));
  assertClose(shifted.mean, -3, 0.015 * 0.25, 'shifted normal mean');
  assertClose(shifted.stddev, 0.25, 0.012 * 0.25, 'shifted normal stddev');

  const truncated = stats(values(tf.random.truncatedNormal([n], { seed: 12, mean: 5, stddev: 2 })));
  assert.ok(truncated.min >= 5 - 2 * 2 && truncated.max <= 5 + 2 * 2, `truncated range [${truncated.min}, ${truncated.max}]`);
  assert.ok(truncated.min < 1.01 && truncated.max > 8.99, 'truncated normal reaches close to ±2 stddev');
  assertClose(truncated.mean, 5, 0.015 * 2, 'truncated mean');
  // A unit normal truncated to [-2, 2] has stddev 0.8796 (the constant Keras divides by).
  assertClose(truncated.stddev, 2 * 0.87962566103423978, 0.012 * 2, 'truncated stddev');

  const box = stats(values(tf.random.uniform([n], { seed: 13, minval: -2, maxval: 6 })));
  assert.ok(box.min >= -2 && box.max < 6, `uniform range [${box.min}, ${box.max}]`);
  assert.ok(box.min < -1.99 && box.max > 5.99, 'uniform fills its range');
  assertClose(box.mean, 2, (0.015 * 8) / Math.sqrt(12), 'uniform mean');
  assertClose(box.stddev, 8 / Math.sqrt(12), (0.012 * 8) / Math.sqrt(12), 'uniform stddev');

  const ints = tf.random.uniform([10_000], { seed: 14, minval: -3, maxval: 4, dtype: 'int32' });
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(
    [...new Set(values(ints))].sort((a, b) => a - b),
    [-3, -2, -1, 0, 1, 2, 3],
  );
  const int64 = tf.random.statelessUniform([1000], [1, 1], { minval: 2 ** 40, maxval: 2 ** 40 + 10, dtype: 'int64' });
  assert.equal(int64.dtype, 'int64');
  assert.ok(values(int64).every((v) => v >= 2 ** 40 && v < 2 ** 40 + 10));
});

test('Glorot and He follow the Keras formulas on a dense [784, 256] and a conv [3, 3, 1, 32] kernel', () => {
  const dense = [784, 256];
  const conv = [3, 3, 1, 32];
  // Keras: dense fans are (in, out); conv fans multiply in/out channels by the 3x3 receptive field.
  assert.deepEqual(init.computeFans(dense), [784, 256]);
  assert.deepEqual(init.computeFans(conv), [9, 288]);
  assert.deepEqual(init.computeFans([7]), [7, 7]);
  assert.deepEqual(init.computeFans([]), [1, 1]);
  assert.deepEqual(init.computeFans([3, 2, 4], [0, 1], [-1]), [6, 4]);
  const cases: [string, tf.keras.initializers.Initializer, number[], 'uniform' | 'truncated', number][] = [
    ['GlorotUniform dense', new init.GlorotUniform({ seed: 1 }), dense, 'uniform', Math.sqrt(6 / (784 + 256))],
    ['GlorotUniform conv', new init.GlorotUniform({ seed: 1 }), conv, 'uniform', Math.sqrt(6 / (9 + 288))],
    ['HeUniform dense', new init.HeUniform({ seed: 2 }), dense, 'uniform', Math.sqrt(6 / 784)],
    ['HeUniform conv', new init.HeUniform({ seed: 2 }), conv, 'uniform', Math.sqrt(6 / 9)],
    ['GlorotNormal dense', new init.GlorotNormal({ seed: 3 }), dense, 'truncated', Math.sqrt(2 / (784 + 256))],
    ['GlorotNormal conv', new init.GlorotNormal({ seed: 3 }), conv, 'truncated', Math.sqrt(2 / (9 + 288))],
    ['HeNormal dense', new init.HeNormal({ seed: 4 }), dense, 'truncated', Math.sqrt(2 / 784)],
    ['HeNormal conv', new init.HeNormal({ seed: 4 }), conv, 'truncated', Math.sqrt(2 / 9)],
  ];
  for (const [name, initializer, shape, kind, parameter] of cases) {
    const t = initializer.call(shape);
    assert.deepEqual(t.shape, shape);
    const xs = values(t);
    const s = stats(xs);
    // Relative standard error of a stddev estimate is 1/sqrt(2n): 0.14% for dense, 4.2% for conv.
    const relative = 5 / Math.sqrt(2 * xs.length);
    if (kind === 'uniform') {
      const limit = Math.fround(parameter);
      assert.ok(s.min >= -limit && s.max < limit, `${name}: [${s.min}, ${s.max}] outside ±${limit}`);
      assert.ok(Math.max(-s.min, s.max) > 0.97 * limit, `${name}: the samples reach near the limit ${limit}`);
      assertClose(s.stddev, parameter / Math.sqrt(3), (relative * parameter) / Math.sqrt(3), `${name} stddev`);
    } else {
      // Keras draws at stddev / 0.8796 so that the truncated samples have the target stddev.
      const bound = (2 * parameter) / 0.87962566103423978;
      assert.ok(s.min >= -bound * (1 + 1e-6) && s.max <= bound * (1 + 1e-6), `${name}: beyond 2 stddev (${bound})`);
      assertClose(s.stddev, parameter, relative * parameter, `${name} stddev`);
    }
    assertClose(s.mean, 0, (5 * s.stddev) / Math.sqrt(xs.length), `${name} mean`);
  }
});

test('a seeded or unseeded initializer repeats its values; two with one seed agree (Keras 3)', () => {
  for (const make of [
    (seed?: number) => new init.RandomNormal({ seed }),
    (seed?: number) => new init.RandomUniform({ seed }),
    (seed?: number) => new init.TruncatedNormal({ seed }),
    (seed?: number) => new init.VarianceScaling({ seed, distribution: 'untruncated_normal' }),
    (seed?: number) => new init.GlorotUniform({ seed }),
    (seed?: number) => new init.GlorotNormal({ seed }),
    (seed?: number) => new init.HeNormal({ seed }),
    (seed?: number) => new init.HeUniform({ seed }),
  ]) {
    const seeded = make(77);
    const first = values(seeded.call([6, 5]));
    assert.deepEqual(values(seeded.call([6, 5])), first);
    assert.deepEqual(values(make(77).call([6, 5])), first);
    assert.notDeepEqual(values(make(78).call([6, 5])), first);
    const unseeded = make();
    assert.equal(unseeded.getConfig().seed, null);
    assert.ok(Number.isInteger(unseeded.seed) && unseeded.seed >= 1 && unseeded.seed <= 1e9);
    assert.deepEqual(values(unseeded.call([6, 5])), values(unseeded.call([6, 5])));
    assert.notDeepEqual(values(make().call([6, 5])), values(unseeded.call([6, 5])));
  }
});

test('constant initializers: zeros, ones and a value, in any dtype', () => {
  assert.deepEqual(new init.Zeros().call([2, 2]).numpy(), [
    [0, 0],
    [0, 0],
  ]);
  assert.equal(new init.Zeros().call([3]).dtype, 'float32');
  assert.deepEqual(new init.Ones().call([2], 'float64').numpy(), [1, 1]);
  assert.deepEqual(new init.Ones().call([2], 'int32').numpy(), [1, 1]);
  assert.deepEqual(new init.Constant({ value: -1.5 }).call([3]).numpy(), [-1.5, -1.5, -1.5]);
  assert.deepEqual(new init.Constant().call([1]).numpy(), [0]);
  assert.equal(new init.Constant({ value: 7 }).call([], 'int32').numpy(), 7);
  assert.deepEqual(new init.Zeros().call([0, 3]).shape, [0, 3]);
});

test('get() takes Keras names, camelCase names, configs and instances; unknown names list the valid ones', () => {
  const expected: [string, string][] = [
    ['zeros', 'Zeros'],
    ['zero', 'Zeros'],
    ['ones', 'Ones'],
    ['one', 'Ones'],
    ['constant', 'Constant'],
    ['glorot_uniform', 'GlorotUniform'],
    ['GlorotUniform', 'GlorotUniform'],
    ['glorotUniform', 'GlorotUniform'],
    ['glorot_normal', 'GlorotNormal'],
    ['glorotNormal', 'GlorotNormal'],
    ['he_normal', 'HeNormal'],
    ['heNormal', 'HeNormal'],
    ['he_uniform', 'HeUniform'],
    ['heUniform', 'HeUniform'],
    ['random_normal', 'RandomNormal'],
    ['randomNormal', 'RandomNormal'],
    ['normal', 'RandomNormal'],
    ['random_uniform', 'RandomUniform'],
    ['randomUniform', 'RandomUniform'],
    ['uniform', 'RandomUniform'],
    ['truncated_normal', 'TruncatedNormal'],
    ['truncatedNormal', 'TruncatedNormal'],
    ['variance_scaling', 'VarianceScaling'],
    ['orthogonal', 'Orthogonal'],
    ['Orthogonal', 'Orthogonal'],
  ];
  for (const [name, className] of expected) assert.equal(init.get(name).constructor.name, className, name);
  // Names give Keras' defaults.
  assert.deepEqual(init.get('random_normal').getConfig(), { seed: null, mean: 0, stddev: 0.05 });
  assert.deepEqual(init.get('random_uniform').getConfig(), { seed: null, minval: -0.05, maxval: 0.05 });
  assert.deepEqual(init.get('constant').getConfig(), { value: 0 });

  const fromDict = init.get({ class_name: 'RandomUniform', config: { minval: 0, maxval: 2, seed: 5 } });
  assert.ok(fromDict instanceof init.RandomUniform);
  assert.deepEqual(fromDict.getConfig(), { seed: 5, minval: 0, maxval: 2 });
  assert.ok(init.get({ class_name: 'he_normal' }) instanceof init.HeNormal);
  const instance = new init.HeUniform({ seed: 1 });
  assert.equal(init.get(instance), instance);
  assert.equal(init.get(null), null);
  assert.equal(init.get(undefined), null);

  assert.throws(
    () => init.get('glorot'),
    (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /Unknown initializer: 'glorot'/);
      for (const name of [
        'constant',
        'glorot_normal',
        'glorot_uniform',
        'he_normal',
        'he_uniform',
        'ones',
        'random_normal',
        'random_uniform',
        'truncated_normal',
        'variance_scaling',
        'zeros',
      ]) {
        assert.ok(e.message.includes(name), `lists ${name}`);
      }
      return true;
    },
  );
  assert.throws(() => init.get({ class_name: 'Identity', config: {} }), {
    name: 'RangeError',
    message: /Unknown initializer: 'Identity'/,
  });
  assert.throws(() => init.get(42 as never), { name: 'TypeError', message: /Could not interpret initializer identifier: 42/ });
  assert.throws(() => init.get({ config: {} } as never), { name: 'TypeError', message: /string `class_name`/ });
  assert.throws(() => init.get({ class_name: 'HeNormal', config: { scale: 3 } }), {
    name: 'TypeError',
    message: /HeNormal got an unexpected option 'scale'/,
  });
});

test('configs round-trip through fromConfig and serialize/deserialize', () => {
  const all = [
    new init.Zeros(),
    new init.Ones(),
    new init.Constant({ value: 3.5 }),
    new init.RandomNormal({ mean: 1, stddev: 2, seed: 3 }),
    new init.RandomUniform({ minval: -1, maxval: 4, seed: 5 }),
    new init.TruncatedNormal({ mean: -2, stddev: 0.5, seed: 6 }),
    new init.VarianceScaling({ scale: 2.5, mode: 'fan_out', distribution: 'uniform', seed: 7, inputAxes: [0], outputAxes: [1] }),
    new init.GlorotUniform({ seed: 8 }),
    new init.GlorotNormal({ seed: 9 }),
    new init.HeNormal({ seed: 10 }),
    new init.HeUniform({ seed: 11 }),
  ];
  for (const initializer of all) {
    const cls = initializer.constructor as unknown as { fromConfig(c: object): tf.keras.initializers.Initializer };
    const restored = cls.fromConfig(initializer.getConfig());
    assert.equal(restored.constructor, initializer.constructor);
    assert.deepEqual(restored.getConfig(), initializer.getConfig());
    assert.deepEqual(values(restored.call([3, 4])), values(initializer.call([3, 4])), initializer.constructor.name);
    const serialized = init.serialize(initializer);
    assert.deepEqual(serialized, {
      module: 'keras.initializers',
      class_name: initializer.constructor.name,
      config: initializer.getConfig(),
      registered_name: null,
    });
    assert.deepEqual(init.deserialize(JSON.parse(JSON.stringify(serialized))).getConfig(), initializer.getConfig());
  }
  assert.deepEqual(new init.VarianceScaling({ distribution: 'Normal' as never }).getConfig().distribution, 'truncated_normal');
});

test('bad arguments are RangeErrors (values) or TypeErrors (types) that say what was wrong', () => {
  assert.throws(() => tf.random.normal([2], { stddev: -1 }), {
    name: 'RangeError',
    message: 'tf.random.normal: stddev must be >= 0, got -1',
  });
  assert.throws(() => tf.random.statelessTruncatedNormal([2], [1, 2], { stddev: -0.5 }), {
    name: 'RangeError',
    message: /stddev must be >= 0/,
  });
  assert.throws(() => tf.random.uniform([2], { minval: 1, maxval: 1 }), {
    name: 'RangeError',
    message: 'tf.random.uniform: minval must be < maxval, got minval=1, maxval=1',
  });
  assert.throws(() => tf.random.uniform([2], { minval: 2 }), {
    name: 'RangeError',
    message: /minval must be < maxval, got minval=2, maxval=1/,
  });
  assert.throws(() => tf.random.uniform([2], { dtype: 'int32' }), {
    name: 'TypeError',
    message: 'tf.random.uniform: maxval must be given for dtype int32',
  });
  assert.throws(() => tf.random.uniform([2], { dtype: 'int32', maxval: 2.5 }), {
    name: 'RangeError',
    message: /must be integers for dtype int32/,
  });
  assert.throws(() => tf.random.uniform([2], { dtype: 'int32', maxval: 2 ** 32 }), { name: 'RangeError', message: /must fit in int32/ });
  assert.throws(() => tf.random.normal([2, 1.5]), {
    name: 'RangeError',
    message: 'tf.random.normal: shape[1] must be a non-negative integer, got 1.5',
  });
  assert.throws(() => tf.random.normal([-1]), { name: 'RangeError', message: /shape\[0\] must be a non-negative integer, got -1/ });
  assert.throws(() => tf.random.normal(['2'] as never), {
    name: 'TypeError',
    message: 'tf.random.normal: shape[0] must be a number, got string',
  });
  assert.throws(() => tf.random.normal(3 as never), { name: 'TypeError', message: /shape must be an array/ });
  assert.throws(() => tf.random.normal([2], { dtype: 'int32' as never }), {
    name: 'TypeError',
    message: /dtype must be one of float16, bfloat16, float32, float64, got int32/,
  });
  assert.throws(() => tf.random.normal([2], { mean: NaN }), { name: 'RangeError', message: /mean must be finite/ });
  assert.throws(() => tf.random.normal([2], { seed: 1.5 }), {
    name: 'TypeError',
    message: 'tf.random.normal: seed must be an integer, got 1.5',
  });
  assert.throws(() => tf.random.statelessNormal([2], [1] as never), {
    name: 'TypeError',
    message: /seed must be a pair of integers \[a, b\], got \[1\]/,
  });
  assert.throws(() => tf.random.statelessUniform([2], [1, 0.5]), { name: 'TypeError', message: /seed must be a pair of integers/ });
  assert.throws(() => tf.random.setSeed(0.5), { name: 'TypeError' });

  assert.throws(() => new init.VarianceScaling({ scale: 0 }), {
    name: 'RangeError',
    message: /`scale` must be positive float. Received: scale=0/,
  });
  assert.throws(() => new init.VarianceScaling({ mode: 'fan_sum' as never }), {
    name: 'RangeError',
    message: /Invalid `mode` argument: 'fan_sum'/,
  });
  assert.throws(() => new init.VarianceScaling({ distribution: 'gamma' as never }), {
    name: 'RangeError',
    message: /Invalid `distribution` argument: 'gamma'/,
  });
  assert.throws(() => new init.VarianceScaling({ inputAxes: [0.5] }), { name: 'TypeError', message: /inputAxes/ });
  assert.throws(() => new init.RandomNormal({ stddev: -1 }), { name: 'RangeError', message: /`stddev` must be >= 0/ });
  assert.throws(() => new init.RandomUniform({ minval: 1, maxval: 0 }), { name: 'RangeError', message: /`minval` must be < `maxval`/ });
  assert.throws(() => new init.GlorotUniform({ seed: 'x' as never }), {
    name: 'TypeError',
    message: /`seed` argument should be an integer. Received: seed='x'/,
  });
  assert.throws(() => new init.RandomNormal({ std: 1 } as never), { name: 'TypeError', message: /unexpected option 'std'/ });
  assert.throws(() => new init.HeNormal({ scale: 2 } as never), {
    name: 'TypeError',
    message: /HeNormal got an unexpected option 'scale'/,
  });
  assert.throws(() => init.RandomNormal.fromConfig({ mean: 0, std_dev: 1 }), { name: 'TypeError', message: /unexpected option 'stdDev'/ });
  assert.throws(() => new init.Constant({ value: 'a' as never }), { name: 'TypeError', message: /`value` must be a number/ });
  assert.throws(() => new init.GlorotUniform().call([2, -3]), {
    name: 'RangeError',
    message: /GlorotUniform: shape must be an array of non-negative integers/,
  });
  assert.throws(() => new init.HeNormal().call([2, 2], 'int32'), { name: 'TypeError', message: /dtype must be one of/ });
});
