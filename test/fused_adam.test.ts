// TfNapiFusedApplyAdam (tf-napi's op library) against TF's ResourceApplyAdam as Adam drives it:
// random tensor lists, Adam / AdamW / AMSGrad, serial and threaded passes, ulp distances; bad raw
// inputs as typed errors; the fallback when there is no op library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import * as tf from '../lib';
import { opLibraryStatus, registeredKernels } from '../lib/op_library';
import { FUSED_ADAM_OP, fusedApplyAdam } from '../lib/ops/fused_adam';

const { Adam, AdamW } = tf.keras.optimizers;
const library = opLibraryStatus();
const skip = library.loaded ? false : `no op library: ${library.reason}`;

/** Deterministic floats (xorshift), scaled into [lo, hi). */
function randomFloats(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);
/** Float bits mapped to integers in float order, so that ulps are differences. */
function ordered(x: number): number {
  asFloat[0] = x;
  return bits[0] < 0 ? -2147483648 - bits[0] : bits[0];
}

/** The largest ulp distance between two float32 arrays (NaN equals NaN only). */
function maxUlp(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(ordered(a[i]) - ordered(b[i])));
  }
  return worst;
}

interface Case {
  name: string;
  sizes: number[];
  options: { learningRate: number; beta1?: number; beta2?: number; epsilon?: number; amsgrad?: boolean; weightDecay?: number };
  adamw?: boolean;
  /** optimizer.iterations before the first step (beta^t far from 1 at large t). */
  startIterations: number;
  steps: number;
}

// Sizes 1 .. ~1e5, odd; ~250k elements in all, above the kernel's parallel threshold.
const SIZES = [1, 3, 7, 33, 255, 1023, 4097, 16385, 65537, 99999, 5, 61441];

const CASES: Case[] = [
  { name: 'adam', sizes: SIZES, options: { learningRate: 0.001 }, startIterations: 0, steps: 3 },
  {
    name: 'adam, large lr, beta1 0, epsilon 0, late steps',
    sizes: SIZES,
    options: { learningRate: 0.5, beta1: 0, epsilon: 0 },
    startIterations: 123456,
    steps: 2,
  },
  { name: 'adamw', sizes: SIZES, options: { learningRate: 0.01, weightDecay: 0.004 }, adamw: true, startIterations: 7, steps: 3 },
  { name: 'amsgrad', sizes: SIZES, options: { learningRate: 0.003, amsgrad: true, beta2: 0.99 }, startIterations: 999, steps: 3 },
  {
    name: 'amsgrad + adamw',
    sizes: SIZES.slice(0, 8),
    options: { learningRate: 0.02, amsgrad: true, weightDecay: 0.1 },
    adamw: true,
    startIterations: 2,
    steps: 2,
  },
];

/** Runs `c` on fresh variables with the fused op on or off; returns every buffer after the steps. */
function runCase(c: Case, fused: boolean, parallelMin: string): Float32Array[] {
  process.env.TF_NAPI_FUSED_ADAM_PARALLEL_MIN = parallelMin;
  try {
    const variables = c.sizes.map((n, i) => new tf.Variable(tf.tensor(randomFloats(n, 11 + i, -2, 2), [n], 'float32'), { name: `p${i}` }));
    const Optimizer = c.adamw ? AdamW : Adam;
    const optimizer = new Optimizer({ ...c.options, fused });
    optimizer.build(variables);
    variables.forEach((variable, i) => {
      const n = c.sizes[i];
      optimizer.getSlot(variable, 'momentum').assign(tf.tensor(randomFloats(n, 101 + i, -0.5, 0.5), [n], 'float32'));
      optimizer.getSlot(variable, 'velocity').assign(tf.tensor(randomFloats(n, 201 + i, 0, 0.3), [n], 'float32'));
      if (c.options.amsgrad)
        optimizer.getSlot(variable, 'velocity_hat').assign(tf.tensor(randomFloats(n, 301 + i, 0, 0.3), [n], 'float32'));
    });
    optimizer.iterations.assign(c.startIterations);
    const step = tf.function((...grads: tf.Tensor[]) => {
      optimizer.applyGradients(tf.zip(grads, variables));
      return null;
    });
    for (let s = 0; s < c.steps; s++) {
      // Gradients across magnitudes, including tiny ones (v underflow) and exact zeros.
      const grads = c.sizes.map((n, i) => {
        const g = randomFloats(n, 1000 * s + i, -3, 3);
        for (let j = 0; j < n; j += 7) g[j] *= 1e-20;
        for (let j = 3; j < n; j += 11) g[j] = 0;
        return tf.tensor(g, [n], 'float32');
      });
      step(...grads);
    }
    const out: Float32Array[] = [];
    for (const variable of variables) {
      out.push(variable.numpy() as unknown as Float32Array);
      for (const slot of optimizer.slotsOf(variable).values()) out.push(slot.numpy() as unknown as Float32Array);
    }
    assert.equal(optimizer.iterations.numpy(), c.startIterations + c.steps);
    return out.map((x) => (x instanceof Float32Array ? x : Float32Array.from(x as ArrayLike<number>)));
  } finally {
    delete process.env.TF_NAPI_FUSED_ADAM_PARALLEL_MIN;
  }
}

test('the op library is loaded and registers TfNapiFusedApplyAdam with a float32 CPU kernel', { skip }, () => {
  assert.ok(library.ops.includes(FUSED_ADAM_OP));
  const kernels = registeredKernels(FUSED_ADAM_OP);
  assert.ok(
    kernels.some((k) => k.deviceType === 'CPU' && k.typeConstraints.T?.includes(1)),
    JSON.stringify(kernels),
  );
});

for (const c of CASES) {
  for (const [pass, parallelMin] of [
    ['one thread', '1000000000'],
    ['threaded', '0'],
  ] as const) {
    test(`fused op = ResourceApplyAdam, 0 ulp: ${c.name} (${pass})`, { skip }, () => {
      const reference = runCase(c, false, parallelMin);
      const fused = runCase(c, true, parallelMin);
      reference.forEach((expected, i) => assert.equal(maxUlp(fused[i], expected), 0, `buffer ${i}`));
    });
  }
}

test('float64 variables fall back to TF kernels (same numbers); fused: true refuses them', { skip }, () => {
  const run = (fused: boolean | undefined) => {
    const w = new tf.Variable(tf.tensor([1.5, -2, 3], [3], 'float64'));
    const optimizer = new Adam({ learningRate: 0.1, fused });
    const step = tf.function((g: tf.Tensor) => {
      optimizer.applyGradients([[g, w]]);
      return null;
    });
    for (let i = 0; i < 3; i++) step(tf.tensor([0.5, 1, -1], [3], 'float64'));
    return w.numpy();
  };
  assert.deepEqual(run(undefined), run(false));
  assert.throws(
    () => run(true),
    (e: Error) => e instanceof TypeError && /fused: true.*no CPU kernel for float64/.test(e.message),
  );
});

test('mixed float32 and float64 variables: float32 fused, float64 per variable, same numbers', { skip }, () => {
  const run = (fused: boolean | undefined) => {
    const a = new tf.Variable(tf.tensor([1, 2, 3, 4, 5], [5], 'float32'));
    const b = new tf.Variable(tf.tensor([1, 2], [2], 'float64'));
    const optimizer = new AdamW({ learningRate: 0.05, fused });
    const step = tf.function((ga: tf.Tensor, gb: tf.Tensor) => {
      optimizer.applyGradients([
        [ga, a],
        [gb, b],
      ]);
      return null;
    });
    for (let i = 0; i < 3; i++) step(tf.tensor([1, -1, 0.5, 0, 2], [5], 'float32'), tf.tensor([0.25, -4], [2], 'float64'));
    return [a.numpy(), b.numpy()];
  };
  assert.deepEqual(run(undefined), run(false));
});

test("getConfig stays Keras's: no `fused` key", () => {
  const config = new Adam({ fused: false }).getConfig();
  assert.ok(!('fused' in config));
  assert.throws(() => new Adam({ fused: 'yes' as never }), TypeError);
});

/** A step function around the raw op, for the error cases. */
function rawStep(build: (v: { vars: tf.Variable[]; lr: tf.Variable; it: tf.Variable }) => void): () => void {
  const vars = [new tf.Variable(tf.tensor([1, 2, 3], [3], 'float32')), new tf.Variable(tf.tensor([4, 5], [2], 'float32'))];
  const lr = new tf.Variable(0.1, { dtype: 'float32' });
  const it = new tf.Variable(BigInt(0), { dtype: 'int64' });
  return tf.function(() => {
    build({ vars, lr, it });
    return null;
  });
}

function slots(n: number[]): tf.Variable[] {
  return n.map((k) => new tf.Variable(tf.zeros([k], 'float32')));
}

test('the raw op: bad inputs are typed errors, never aborts', { skip }, () => {
  const g3 = () => tf.constant([1, 1, 1], 'float32');
  const g2 = () => tf.constant([1, 1], 'float32');
  const m = slots([3, 2]);
  const v = slots([3, 2]);
  const good = (over: Partial<Parameters<typeof fusedApplyAdam>[0]>) => (x: { vars: tf.Variable[]; lr: tf.Variable; it: tf.Variable }) =>
    fusedApplyAdam({
      var: x.vars.map((w) => w.handle),
      grad: [g3(), g2()],
      m: m.map((s) => s.handle),
      v: v.map((s) => s.handle),
      lr: x.lr.handle,
      iterations: x.it.handle,
      ...over,
    });
  const cases: [string, (x: { vars: tf.Variable[]; lr: tf.Variable; it: tf.Variable }) => void, RegExp][] = [
    ['mismatched N', good({ grad: [g3()] }), /N/],
    [
      'a float64 gradient',
      good({ grad: [tf.constant([1, 1, 1], 'float64'), tf.constant([1, 1], 'float64')], T: 'float64' as never }),
      /T|float|double/,
    ],
    ['a gradient of the wrong shape', good({ grad: [g2(), g3()] }), /shape/],
    ['amsgrad without vhat', good({ amsgrad: true }), /vhat/],
    ['vhat without amsgrad', (x) => good({ vhat: x.vars.map((w) => w.handle) })(x), /vhat/],
    ['beta1 = 1', good({ beta1: 1 }), /beta1/],
    ['a negative epsilon', good({ epsilon: -1 }), /epsilon/],
    ['lr of the wrong dtype', (x) => good({ lr: x.it.handle })(x), /lr/],
    ['iterations of the wrong dtype', (x) => good({ iterations: x.lr.handle })(x), /iterations/],
  ];
  for (const [what, build, message] of cases) {
    const step = rawStep(build);
    assert.throws(step, (e: Error) => e instanceof tf.errors.InvalidArgumentError && message.test(e.message), what);
  }
  // Caught when it runs: one variable twice.
  const [m2, v2] = [slots([3]), slots([3])];
  const twice = rawStep((x) =>
    good({ var: [x.vars[0].handle, x.vars[0].handle], grad: [g3(), g3()], m: [m[0].handle, m2[0].handle], v: [v[0].handle, v2[0].handle] })(
      x,
    ),
  );
  assert.throws(twice, (e: Error) => e instanceof tf.errors.InvalidArgumentError && /same variable/.test(e.message));
  // And a good call still works after all that.
  rawStep(good({}))();
  assert.throws(() => fusedApplyAdam({ var: [], grad: [], m: [], v: [], lr: tf.constant(1), iterations: tf.constant(1) }), TypeError);
});

/** Runs a script in a fresh process (the op library loads once per process). */
function inChild(script: string, env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const lib = path.join(__dirname, '..', 'lib');
  const r = spawnSync(process.execPath, ['-e', `const tf = require(${JSON.stringify(lib)});\n${script}`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ADAM_SCRIPT = `
const { opLibraryStatus } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'op_library'))});
const w = new tf.Variable(tf.tensor([1, 2, 3], [3], 'float32'));
const optimizer = new tf.keras.optimizers.Adam({ learningRate: 0.1 });
const step = tf.function((g) => { optimizer.applyGradients([[g, w]]); return null; });
for (let i = 0; i < 3; i++) step(tf.tensor([1, -1, 0.5], [3], 'float32'));
const after = Array.from(w.numpy());
let forced = 'no error';
try { new tf.keras.optimizers.Adam({ fused: true }).applyGradients([[tf.tensor([1, 1, 1], [3], 'float32'), w]]); } catch (e) { forced = e.name + ': ' + e.message; }
console.log(JSON.stringify({ status: opLibraryStatus(), w: after, forced }));
`;

test('no op library (missing file, or disabled): Adam falls back to TF kernels with no error or warning', () => {
  const results = [
    inChild(ADAM_SCRIPT, { TF_NAPI_OP_LIBRARY: path.join(__dirname, 'no-such-dir', 'tf_napi_ops.so') }),
    inChild(ADAM_SCRIPT, { TF_NAPI_OP_LIBRARY: '0' }),
  ];
  const reference = inChild(ADAM_SCRIPT, { TF_NAPI_FUSED_ADAM: '0' });
  assert.equal(reference.status, 0, reference.stderr);
  for (const r of results) {
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Warning/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status.loaded, false);
    assert.match(out.status.reason, /does not exist|disabled/);
    assert.deepEqual(out.w, JSON.parse(reference.stdout).w);
    assert.match(out.forced, /TypeError: Adam\(\{fused: true\}\) cannot update .*op library is not loaded/);
  }
});

test('a file that is not an op library: a warning, then TF kernels', { skip }, () => {
  const r = inChild(ADAM_SCRIPT, { TF_NAPI_OP_LIBRARY: __filename });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /custom-op library was not loaded/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status.loaded, false);
  assert.match(out.status.reason, /TF_LoadLibrary/);
});
