// The small API porters reach for (issue 13 item 6), against TensorFlow 2.21 / Keras 3.15
// (test/fixtures/porting_api.json, from test/fixtures/generators/porting_api_reference.py):
// tape.watch and persistent tapes, tf.gradients, tf.print, tf.clipByGlobalNorm, tf.linspace,
// keras.utils.toCategorical / setRandomSeed, Dataset.cache, metrics called as functions,
// model.apply(x, {training}) and trainableWeights / nonTrainableWeights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';

interface EncodedTensor {
  dtype: string;
  shape: number[];
  values: number[];
}

interface PythonError {
  class: string;
  message: string;
}

interface Clipped {
  values: (EncodedTensor | null)[];
  norm: number;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'porting_api.json'), 'utf8')) as {
  tape: {
    watched_constant: number[];
    unwatched_constant: null;
    watch_after_op: number[];
    persistent: { dz_dy: number[]; dz_dx: number[]; dx_dx: number[]; dz_dz: number[]; target_outside_record: null[] };
    second_call_error: PythonError;
    non_trainable_variable: null;
    non_trainable_variable_watched: number[];
    no_auto_watch: null;
    no_auto_watch_watched: number[];
    intermediate: { dz_da: number[]; dz_db: null; dz_dv: number[] };
    traced: { unwatched: null; dz_dx: number[]; dz_dy: number[]; dz_dv: number[] };
  };
  gradients: {
    x: number[];
    v: number;
    sum_of_ys: number[][];
    grad_ys: number[][];
    unconnected: null[];
    single: number[][];
    unconnected_zero: number[][];
    eager_error: PythonError;
  };
  print: Record<string, string> & { bad_stream_error: PythonError };
  clip_by_global_norm: {
    clipped: Clipped;
    unclipped: Clipped;
    float64: Clipped;
    use_norm: Clipped;
    infinite: { values: string[][]; norm: string };
    not_a_list_error: PythonError;
    traced: Clipped;
  };
  linspace: Record<string, EncodedTensor> & { negative_num_error: PythonError };
  utils: {
    to_categorical: Record<string, EncodedTensor> & { out_of_range_error: PythonError };
    set_random_seed_error: PythonError;
  };
  metrics: { mse: number[]; sparse_categorical_accuracy: number; mean: number[]; loss_call: number; has_reset_states: boolean };
  model: {
    x: number[];
    kernel: number[];
    bias: number[];
    kernel1: number[];
    bias1: number[];
    inference: EncodedTensor;
    weights: string[];
    trainable_weights: string[];
    non_trainable_weights: string[];
    training_pre_dropout: EncodedTensor;
    frozen_dense: { trainable_weights: string[]; non_trainable_weights: string[] };
  };
  cache: { epochs: number[][]; map_calls: number };
};

const f32 = (values: number | number[] | number[][]) => tf.tensor(values, undefined, 'float32');

function flat(t: tf.Tensor | null): number[] | null {
  return t === null ? null : Array.from(t.dataSync() as Float32Array, Number);
}

/** Equal to Python's float32 values (a few ulps of float32 apart at most). */
function close(actual: tf.Tensor | null, expected: number[] | null, what: string, rtol = 1e-6): void {
  if (expected === null) {
    assert.equal(actual, null, `${what}: Python gives None`);
    return;
  }
  assert.ok(actual !== null, `${what}: Python gives a gradient, got null`);
  const got = flat(actual) as number[];
  assert.equal(got.length, expected.length, `${what}: size`);
  got.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]) <= rtol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${v} vs ${expected[i]}`),
  );
}

function matches(actual: tf.Tensor | null, expected: EncodedTensor, what: string, rtol = 1e-6): void {
  assert.ok(actual !== null, `${what}: got null`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  close(actual, expected.values, what, rtol);
}

// ---- GradientTape: watch, persistent, watchAccessedVariables ----

test('tape.watch: gradients w.r.t. a watched constant; an unwatched one gets null, as Python', () => {
  const x = f32([1, 2, 3]);
  const cube = () => tf.reduceSum(tf.multiply(tf.multiply(x, x), x));
  const watched = new tf.GradientTape();
  watched.watch(x);
  close(watched.gradient(watched.record(cube), x), fixture.tape.watched_constant, 'watched');
  const unwatched = new tf.GradientTape();
  close(unwatched.gradient(unwatched.record(cube), x), fixture.tape.unwatched_constant, 'unwatched');
  // watch() before record() or inside it; ops run before the watch are not on the tape.
  const late = new tf.GradientTape();
  const z = late.record(() => {
    const y = tf.multiply(x, x);
    late.watch(x);
    return tf.reduceSum(tf.multiply(y, x));
  });
  close(late.gradient(z, x), fixture.tape.watch_after_op, 'watch after an op');
});

test('persistent: true allows several gradient() calls; intermediate tensors, the target itself, a target computed after record()', () => {
  const x = f32([1, 2, 3]);
  const tape = new tf.GradientTape({ persistent: true });
  let y: tf.Tensor | undefined;
  const z = tape.record(() => {
    tape.watch(x);
    y = tf.multiply(x, x);
    return tf.reduceSum(tf.multiply(y, y));
  });
  const p = fixture.tape.persistent;
  close(tape.gradient(z, y as tf.Tensor), p.dz_dy, 'dz/dy');
  close(tape.gradient(z, x), p.dz_dx, 'dz/dx');
  close(tape.gradient(x, x), p.dx_dx, 'dx/dx');
  close(tape.gradient(z, z), p.dz_dz, 'dz/dz');
  assert.deepEqual(tape.gradient(tf.reduceSum(y as tf.Tensor), [x, y as tf.Tensor]), p.target_outside_record);

  const once = new tf.GradientTape();
  once.watch(x);
  const s = once.record(() => tf.reduceSum(x));
  once.gradient(s, x);
  assert.equal(fixture.tape.second_call_error.class, 'RuntimeError');
  assert.throws(() => once.gradient(s, x), { name: 'Error', message: fixture.tape.second_call_error.message });
});

test('variables: trainable ones are watched when read; non-trainable ones and watchAccessedVariables: false need watch()', () => {
  const x = f32([1, 2, 3]);
  const w = new tf.Variable(tf.scalar(2, 'float32'), { trainable: false });
  const square = new tf.GradientTape();
  const y = square.record(() => tf.multiply(w.value(), w.value()));
  close(square.gradient(y, w), fixture.tape.non_trainable_variable, 'non-trainable');
  const cubed = new tf.GradientTape();
  const y3 = cubed.record(() => {
    cubed.watch(w);
    return tf.multiply(tf.multiply(w.value(), w.value()), w.value());
  });
  close(cubed.gradient(y3, w), fixture.tape.non_trainable_variable_watched, 'non-trainable, watched');

  const v = new tf.Variable(tf.scalar(3, 'float32'));
  const manual = new tf.GradientTape({ watchAccessedVariables: false });
  const vv = manual.record(() => tf.multiply(v.value(), v.value()));
  close(manual.gradient(vv, v), fixture.tape.no_auto_watch, 'watchAccessedVariables: false');
  const manualWatched = new tf.GradientTape({ watchAccessedVariables: false });
  const vvx = manualWatched.record(() => {
    manualWatched.watch(v);
    return tf.reduceSum(tf.multiply(tf.multiply(v.value(), v.value()), x));
  });
  close(manualWatched.gradient(vvx, v), fixture.tape.no_auto_watch_watched, 'watchAccessedVariables: false, watched');

  // a = v·x is on the tape (v is watched); b = 2x is not (x is a constant nobody watched).
  const tape = new tf.GradientTape({ persistent: true });
  let a: tf.Tensor | undefined;
  let b: tf.Tensor | undefined;
  const z = tape.record(() => {
    a = tf.multiply(v.value(), x);
    b = tf.multiply(x, 2);
    return tf.reduceSum(tf.multiply(a, b));
  });
  close(tape.gradient(z, a as tf.Tensor), fixture.tape.intermediate.dz_da, 'dz/da');
  close(tape.gradient(z, b as tf.Tensor), fixture.tape.intermediate.dz_db, 'dz/db');
  close(tape.gradient(z, v), fixture.tape.intermediate.dz_dv, 'dz/dv');
});

test('inside tf.function: an unwatched input gets null, a watched one its gradient; persistent tapes there too', () => {
  const v = new tf.Variable(tf.scalar(3, 'float32'));
  let unwatched: unknown = 'not traced';
  const step = tf.function((x: tf.Tensor) => {
    const first = new tf.GradientTape();
    const y0 = first.record(() => tf.reduceSum(tf.multiply(x, x)));
    unwatched = first.gradient(y0, x);
    const tape = new tf.GradientTape({ persistent: true });
    let y: tf.Tensor | undefined;
    const z = tape.record(() => {
      tape.watch(x);
      y = tf.multiply(x, x);
      return tf.reduceSum(tf.multiply(y, v.value()));
    });
    return [tape.gradient(z, x), tape.gradient(z, y as tf.Tensor), tape.gradient(z, v)] as tf.Tensor[];
  });
  const [dx, dy, dv] = step(f32([1, 2, 3])) as tf.Tensor[];
  assert.equal(unwatched, fixture.tape.traced.unwatched);
  close(dx, fixture.tape.traced.dz_dx, 'dz/dx');
  close(dy, fixture.tape.traced.dz_dy, 'dz/dy');
  close(dv, fixture.tape.traced.dz_dv, 'dz/dv');
});

test('tape.watch errors: a non-tensor is a TypeError; an integer tensor is not watched (Python warns; gradient null)', () => {
  const tape = new tf.GradientTape();
  assert.throws(() => tape.watch(3 as unknown as tf.Tensor), {
    name: 'TypeError',
    message: "GradientTape.watch: passed in object 3 of type 'number', not a tf.Tensor or tf.Variable",
  });
  const ints = tf.tensor([1, 2], [2], 'int32');
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    tape.watch(ints);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, ['The dtype of the watched tensor must be floating (e.g. float32), got int32']);
  const y = tape.record(() => tf.multiply(ints, ints));
  assert.equal(tape.gradient(y, ints), null);
});

// ---- tf.gradients ----

test('tf.gradients inside tf.function: sum over ys, w.r.t. tensors and variables, gradYs, unconnected x', () => {
  const g = fixture.gradients;
  const v = new tf.Variable(tf.scalar(g.v, 'float32'));
  let unconnected: unknown = 'not traced';
  const f = tf.function((x: tf.Tensor) => {
    const y = tf.multiply(tf.multiply(x, x), v.value());
    const both = tf.gradients([y, tf.multiply(y, 2)], [x, v]);
    const seeded = tf.gradients(y, x, f32([1, 0, 2]));
    unconnected = tf.gradients(tf.reduceSum(y), tf.scalar(3, 'float32'));
    const single = tf.gradients(tf.reduceSum(y), [x], { unconnectedGradients: 'zero' });
    const zero = tf.gradients(tf.reduceSum(tf.stopGradient(y)), [x], { unconnectedGradients: 'zero' });
    return [...both, ...seeded, ...single, ...zero] as tf.Tensor[];
  });
  const [dx, dv, seeded, single, zero] = f(f32(g.x)) as tf.Tensor[];
  close(dx, g.sum_of_ys[0], 'd(y + 2y)/dx');
  close(dv, g.sum_of_ys[1], 'd(y + 2y)/dv');
  close(seeded, g.grad_ys[0], 'gradYs');
  assert.deepEqual(unconnected, g.unconnected);
  close(single, g.single[0], 'single');
  close(zero, g.unconnected_zero[0], "unconnectedGradients: 'zero'");
});

test("tf.gradients eagerly is Python's RuntimeError text (as an Error); option errors", () => {
  const x = f32([1, 2]);
  assert.equal(fixture.gradients.eager_error.class, 'RuntimeError');
  assert.throws(() => tf.gradients(tf.multiply(x, x), x), { name: 'Error', message: fixture.gradients.eager_error.message });
  const f = (body: (x: tf.Tensor) => unknown) =>
    tf.function((x: tf.Tensor) => {
      body(x);
      return x;
    })(x);
  assert.throws(() => f((x) => tf.gradients(x, x, { grad_ys: x } as never)), {
    name: 'TypeError',
    message: "tf.gradients got an unexpected option 'grad_ys'. Allowed options: gradYs, unconnectedGradients, name",
  });
  assert.throws(() => f((x) => tf.gradients([x, x], x, [x])), { name: 'RangeError', message: 'Passed 1 grad_ys for 2 ys' });
  assert.throws(() => f((x) => tf.gradients(x, x, { unconnectedGradients: 'zeros' as never })), {
    name: 'RangeError',
    message: "Unknown value for unconnectedGradients: 'zeros' (expected 'none' or 'zero')",
  });
});

// ---- tf.print ----

/** What tf.print writes, through a file:// stream (PrintV2 appends to it). */
function printed(print: (stream: `file://${string}`) => void): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tf-print-')), 'out.txt');
  try {
    print(`file://${file}`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

test("tf.print writes Python's text: tensors summarized, strings, numbers, arrays and dicts, sep/end/summarize", () => {
  const p = fixture.print;
  const x = tf.tensor([1, 2, 3], [3], 'int32');
  const cases: [string, unknown[], tf.PrintOptions][] = [
    ['range10', [tf.range(10)], {}],
    ['range10_all', [tf.range(10)], { summarize: -1 }],
    ['range10_summarize1', [tf.range(10)], { summarize: 1 }],
    ['strings_and_numbers', ['loss:', tf.scalar(0.25, 'float32'), 'step', 3], {}],
    [
      'matrix',
      [
        f32([
          [1.5, 2],
          [3, 4],
        ]),
      ],
      {},
    ],
    ['rank3', [tf.reshape(tf.range(0, 24, 1, 'float32'), [2, 3, 4])], {}],
    ['sep_end_braces', [x, 'a{}b'], { sep: '-', end: '!\n' }],
    ['list', [[x, 'a', 2]], {}],
    ['dict', [{ b: x, a: 1 }], {}],
    ['string_scalar', [tf.scalar('hello')], {}],
    ['string_vector', [tf.tensor(['a', 'b'])], {}],
    ['bool', [tf.tensor([true, false])], {}],
    ['floats', [f32([1, 0.1, 1e-8, 123456789, Number.NaN, Number.POSITIVE_INFINITY])], {}],
    ['float64', [tf.tensor([1, 0.1, 1e-8], [3], 'float64')], {}],
    ['int64_scalar', [tf.scalar(3, 'int64')], {}],
    ['empty', [tf.zeros([0])], {}],
    ['nothing', [], {}],
  ];
  for (const [name, inputs, options] of cases) {
    assert.equal(
      printed((outputStream) => tf.print(...inputs, { ...options, outputStream })),
      p[name],
      name,
    );
  }
});

test("tf.print inside tf.function prints every time the function runs, with that run's values", () => {
  const text = printed((outputStream) => {
    const step = tf.function((x: tf.Tensor) => {
      tf.print('step', x, { outputStream });
      return tf.multiply(x, 2);
    });
    step(f32([1, 2]));
    step(f32([3, 4]));
  });
  assert.equal(text, fixture.print.traced_two_calls);
});

test("tf.print errors: an unknown stream (Python's ValueError text, as a RangeError); bad sep and summarize", () => {
  const x = f32([1]);
  assert.equal(fixture.print.bad_stream_error.class, 'ValueError');
  assert.throws(() => tf.print(x, { outputStream: 'nowhere' as never }), {
    name: 'RangeError',
    message:
      "Unsupported output stream, logging level, or file. nowhere. Supported streams are 'stderr', 'stdout' (or process.stderr, " +
      "process.stdout), 'log(info)', 'log(warning)', 'log(error)'. File needs to be in the form of 'file://<filepath>'.",
  });
  assert.throws(() => tf.print(x, { sep: 1 as never }), { name: 'TypeError', message: 'tf.print: sep must be a string, got number' });
  assert.throws(() => tf.print(x, { summarize: 1.5 }), { name: 'TypeError', message: 'tf.print: summarize must be an integer, got 1.5' });
});

test("tf.print's default stream is the Node process's stderr (stdout on request), in order with console output", () => {
  const child = path.join(__dirname, 'helpers', 'print_child.js');
  const result = spawnSync(process.execPath, [child], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  assert.equal(result.status, 0, result.stderr);
  const from = (text: string) => text.slice(text.indexOf('BEGIN\n'));
  assert.equal(from(result.stderr), 'BEGIN\neager [1 2 3]\nconsole.error\nstep [1 2 3]\nstep [2 4 6]\nEND\n');
  assert.equal(from(result.stdout), 'BEGIN\nto stdout [1 2 3]\nconsole.log\nEND\n');
});

// ---- clipByGlobalNorm, linspace ----

test("tf.clipByGlobalNorm: Python's clipped values and norm; nulls kept; useNorm; float64; an infinite norm gives NaN", () => {
  const c = fixture.clip_by_global_norm;
  const check = ([clipped, norm]: [(tf.Tensor | null)[], tf.Tensor], expected: Clipped, what: string) => {
    assert.equal(clipped.length, expected.values.length, what);
    clipped.forEach((t, i) => {
      const e = expected.values[i];
      if (e === null) assert.equal(t, null, `${what}[${i}]`);
      else matches(t, e, `${what}[${i}]`, 1e-12);
    });
    close(norm, [expected.norm], `${what}: norm`, 1e-12);
  };
  check(
    tf.clipByGlobalNorm(
      [
        f32([
          [3, 4],
          [0, 12],
        ]),
        null,
        f32([1, 2, 2]),
      ],
      5,
    ),
    c.clipped,
    'clipped',
  );
  check(tf.clipByGlobalNorm([f32([3, 4])], 100), c.unclipped, 'unclipped');
  check(tf.clipByGlobalNorm([tf.tensor([0.5, -1.5], [2], 'float64'), tf.tensor([[2]], [1, 1], 'float64')], 1), c.float64, 'float64');
  check(tf.clipByGlobalNorm([f32([3, 4])], 1, tf.scalar(10, 'float32')), c.use_norm, 'useNorm');
  const [infinite, infNorm] = tf.clipByGlobalNorm([f32([Number.POSITIVE_INFINITY, 4])], 1);
  assert.deepEqual(
    Array.from((infinite[0] as tf.Tensor).dataSync() as Float32Array, String),
    c.infinite.values[0].map((v) => (v === 'nan' ? 'NaN' : v)),
  );
  assert.equal(String(infNorm.numpy()), c.infinite.norm === 'inf' ? 'Infinity' : c.infinite.norm);
  const traced = tf.function((a: tf.Tensor, b: tf.Tensor) => {
    const [clipped, norm] = tf.clipByGlobalNorm([a, b], 2);
    return [...(clipped as tf.Tensor[]), norm];
  });
  const [ta, tb, tn] = traced(
    f32([3, 4]),
    f32([
      [1, 2],
      [2, 4],
    ]),
  ) as tf.Tensor[];
  check([[ta, tb], tn], c.traced, 'in tf.function');
  assert.equal(c.not_a_list_error.class, 'TypeError');
  assert.throws(() => tf.clipByGlobalNorm(f32([3, 4]) as never, 1), {
    name: 'TypeError',
    message: 'tf.clipByGlobalNorm: `tList` should be an array of tensors. Received a tf.Tensor.',
  });
  close(tf.linalg.globalNorm([f32([3, 4]), null, f32([12])]), [13], 'tf.linalg.globalNorm');
});

test("tf.linspace: Python's values (float32, float64, integer inputs → float64), num 1 and 0, N-D start/stop with axis", () => {
  const l = fixture.linspace;
  const cases: [string, () => tf.Tensor][] = [
    ['unit7', () => tf.linspace(0, 1, 7)],
    ['negative_start13', () => tf.linspace(-3.3, 17.1, 13)],
    ['small_start101', () => tf.linspace(1e-3, 3.7, 101)],
    ['one', () => tf.linspace(2, 5, 1)],
    ['zero', () => tf.linspace(0, 1, 0)],
    ['descending', () => tf.linspace(5, -1, 4)],
    ['vector_start', () => tf.linspace(f32([0, 10]), f32([1, 20]), 3)],
    ['vector_start_axis_last', () => tf.linspace(f32([0, 10]), f32([1, 20]), 3, { axis: -1 })],
    ['broadcast', () => tf.linspace(f32([[0], [1]]), f32([2, 3, 4]), 3, { axis: 1 })],
    ['float64', () => tf.linspace(tf.scalar(0.1, 'float64'), tf.scalar(0.7, 'float64'), 4)],
    ['int32_inputs', () => tf.linspace(tf.scalar(0, 'int32'), tf.scalar(10, 'int32'), 5)],
  ];
  for (const [name, make] of cases) {
    // Bit for bit: the same ops as Python's linspace_nd.
    matches(make(), l[name], name, 0);
    matches(tf.function(make)() as tf.Tensor, l[name], `${name} in tf.function`, 0);
  }
  assert.equal(l.negative_num_error.class, 'InvalidArgumentError');
  assert.throws(() => tf.linspace(0, 1, -1), { name: 'InvalidArgumentError', message: /Requires start <= limit when delta > 0: 1\/-1/ });
  assert.throws(() => tf.linspace(0, 1, 2, { axis: 1 }), {
    name: 'RangeError',
    message: 'tf.linspace: axis 1 is out of range for a result of rank 1',
  });
  assert.throws(() => tf.linspace(0, 1, 2.5), { name: 'TypeError', message: 'tf.linspace: num must be an integer, got 2.5' });
});

// ---- keras.utils ----

test("keras.utils.toCategorical: Keras' one-hot rows (as a float32 tensor), (n, 1) labels squeezed, classes inferred", () => {
  const t = fixture.utils.to_categorical;
  const asFloat32 = (e: EncodedTensor): EncodedTensor => ({ ...e, dtype: 'float32' });
  const toCategorical = tf.keras.utils.toCategorical;
  matches(toCategorical([0, 2, 1, 2]), asFloat32(t.inferred), 'inferred');
  matches(toCategorical([[0], [2]], 4), asFloat32(t.column_vector_4), '(n, 1) labels');
  matches(
    toCategorical([
      [0, 1],
      [2, 0],
    ]),
    asFloat32(t.matrix_inferred),
    'a matrix of labels',
  );
  matches(toCategorical(Int32Array.of(0, 2, 1, 2)), asFloat32(t.inferred), 'a TypedArray');
  matches(toCategorical(tf.tensor([[0], [2]], [2, 1], 'int32'), 3), t.tensor_column, 'an eager tensor');
  matches(
    tf.function((y: tf.Tensor) => toCategorical(y, 3))(tf.tensor([[0], [2]], [2, 1], 'int32')) as tf.Tensor,
    t.tensor_column,
    'a symbolic tensor (OneHot)',
  );
  assert.equal(t.out_of_range_error.class, 'IndexError');
  assert.throws(() => toCategorical([0, 3], 3), { name: 'RangeError', message: t.out_of_range_error.message });
  assert.throws(() => toCategorical([0, -1], 3), { name: 'RangeError', message: 'index -1 is out of bounds for axis 1 with size 3' });
  assert.throws(() => toCategorical([0, 1.5]), {
    name: 'TypeError',
    message: 'toCategorical: class indices must be integers; element 1 is 1.5',
  });
  assert.throws(() => toCategorical([0, 1], 0), {
    name: 'RangeError',
    message: 'toCategorical: numClasses must be a positive integer, got 0',
  });
  assert.throws(() => tf.function((y: tf.Tensor) => toCategorical(y))(tf.tensor([0], [1], 'int32')), {
    name: 'TypeError',
    message: 'toCategorical: numClasses is required for a symbolic tensor',
  });
});

test("keras.utils.setRandomSeed: unseeded draws, initializers, Dropout and shuffles repeat; a non-integer is Keras' error", () => {
  const run = () => {
    const draw = tf.random.normal([3]).dataSync();
    const dense = new tf.keras.layers.Dense({ units: 2 });
    dense.apply(f32([[1, 2]]));
    const dropout = new tf.keras.layers.Dropout({ rate: 0.5 });
    const mask = dropout.apply(tf.ones([1, 8]), { training: true }).dataSync();
    const order = tf.data.Dataset.range(8).shuffle(8).asArray();
    return [Array.from(draw), Array.from(dense.weights[0].numpy() as number[][]).flat(), Array.from(mask), order];
  };
  tf.keras.utils.setRandomSeed(42);
  const first = run();
  tf.keras.utils.setRandomSeed(42);
  assert.deepEqual(run(), first);
  assert.equal(tf.keras.utils.getRandomSeed(), 42);
  tf.keras.utils.setRandomSeed(7);
  assert.notDeepEqual(run()[0], first[0]);
  assert.equal(fixture.utils.set_random_seed_error.class, 'ValueError');
  assert.throws(() => tf.keras.utils.setRandomSeed(1.5), {
    name: 'TypeError',
    message: 'Expected `seed` argument to be an integer. Received: seed=1.5 (of type number)',
  });
});

// ---- Dataset.cache ----

test('Dataset.cache(): the map runs once per element across two epochs; a pass stopped early caches nothing', () => {
  let calls = 0;
  const ds = tf.data.Dataset.range(5)
    .map((x: tf.Tensor) => {
      calls += 1;
      return tf.multiply(x, 2);
    })
    .cache();
  const epochs = [ds.asArray(), ds.asArray()].map((epoch) => epoch.map(Number));
  assert.deepEqual(epochs, fixture.cache.epochs);
  assert.equal(calls, fixture.cache.map_calls);
  assert.equal(ds.cardinality(), 5);

  let partialCalls = 0;
  const partial = tf.data.Dataset.range(4)
    .map((x: tf.Tensor) => {
      partialCalls += 1;
      return x;
    })
    .cache();
  assert.deepEqual(partial.take(2).asArray().map(Number), [0, 1]);
  assert.deepEqual(partial.asArray().map(Number), [0, 1, 2, 3]);
  assert.deepEqual(partial.asArray().map(Number), [0, 1, 2, 3]);
  assert.equal(partialCalls, 2 + 4);

  assert.throws(() => tf.data.Dataset.range(2).cache('/tmp/cache'), {
    name: 'UnimplementedError',
    message: "Dataset.cache('/tmp/cache'): caching to a file is not supported; call cache() without a filename to cache in memory",
  });
});

// ---- metrics and losses called as functions ----

test("metric.apply(yTrue, yPred) is Python's metric(y_true, y_pred): updateState then result; resetState and resetStates", () => {
  const m = fixture.metrics;
  const mse = new tf.keras.metrics.MeanSquaredError();
  close(mse.apply([1, 2], [1.5, 2]), [m.mse[0]], 'first call');
  close(mse.apply(f32([[0], [1]]), f32([[1], [1]])), [m.mse[1]], 'running mean');
  mse.resetState();
  close(mse.result(), [m.mse[2]], 'after resetState');
  close(mse.apply([3], [1]), [m.mse[3]], 'after the reset');
  mse.resetStates();
  close(mse.result(), [0], "after resetStates (Keras 2's name)");
  assert.equal(m.has_reset_states, false, 'Keras 3 has only reset_state');
  const acc = new tf.keras.metrics.SparseCategoricalAccuracy();
  close(
    acc.apply(
      [1, 0],
      [
        [0.1, 0.9],
        [0.2, 0.8],
      ],
    ),
    [m.sparse_categorical_accuracy],
    'sparse categorical accuracy',
  );
  const mean = new tf.keras.metrics.Mean();
  close(mean.apply([1, 2, 3]), [m.mean[0]], 'Mean');
  close(mean.apply(5), [m.mean[1]], 'Mean, a scalar');
  close(new tf.keras.losses.MeanSquaredError().apply([1, 2], [1.5, 2]), [m.loss_call], 'loss.apply');
});

// ---- model.apply(x, {training}) and the weights' order ----

function bnModel(): tf.keras.Model {
  const model = new tf.keras.Sequential(
    [
      tf.keras.Input({ shape: [3] }),
      new tf.keras.layers.Dense({ units: 4, name: 'dense' }),
      new tf.keras.layers.BatchNormalization({ name: 'bn' }),
      new tf.keras.layers.Dropout({ rate: 0.5, name: 'dropout' }),
      new tf.keras.layers.Dense({ units: 2, name: 'dense_1' }),
    ],
    { name: 'model' },
  );
  const m = fixture.model;
  model.getLayer('dense').setWeights([tf.tensor(m.kernel, [3, 4], 'float32'), tf.tensor(m.bias, [4], 'float32')]);
  model.getLayer('dense_1').setWeights([tf.tensor(m.kernel1, [4, 2], 'float32'), tf.tensor(m.bias1, [2], 'float32')]);
  return model;
}

test("model.apply(x, {training}) is Keras' model(x, training=...): Dropout and BatchNormalization switch modes", () => {
  const m = fixture.model;
  const model = bnModel();
  const x = tf.tensor(m.x, [2, 3], 'float32');
  matches(model.apply(x, { training: false }), m.inference, 'training: false', 1e-5);
  matches(model.apply(x), m.inference, 'default (inference)', 1e-5);
  // In training mode BatchNormalization normalizes with the batch statistics and Dropout keeps each
  // unit (scaled by 2) or drops it: every output row is dense_1 of one of the 16 masks.
  const pre = m.training_pre_dropout.values;
  const candidates = (row: number) =>
    Array.from({ length: 16 }, (_, mask) =>
      [0, 1].map(
        (j) => m.bias1[j] + [0, 1, 2, 3].reduce((s, k) => s + ((mask >> k) & 1 ? 2 * pre[row * 4 + k] : 0) * m.kernel1[k * 2 + j], 0),
      ),
    );
  const outputs = new Set<string>();
  for (let call = 0; call < 6; ++call) {
    const y = model.apply(x, { training: true }).arraySync() as number[][];
    y.forEach((row, r) =>
      assert.ok(
        candidates(r).some((c) => c.every((v, j) => Math.abs(v - row[j]) < 1e-4)),
        `training row ${r} (${row}) is dense_1 of a dropout mask of the batch-normalized features`,
      ),
    );
    outputs.add(JSON.stringify(y));
  }
  assert.ok(outputs.size > 1, 'Dropout draws a new mask per call');
  assert.notEqual([...outputs][0], JSON.stringify(model.apply(x, { training: false }).arraySync()));
});

test("trainableWeights / nonTrainableWeights with BatchNormalization: Keras' order and paths, also with a frozen layer", () => {
  const m = fixture.model;
  const model = bnModel();
  const paths = (vars: tf.Variable[]) => vars.map((v) => `${model.name}/${model.weightPath(v)}`);
  assert.deepEqual(paths(model.weights), m.weights);
  assert.deepEqual(paths(model.trainableWeights), m.trainable_weights);
  assert.deepEqual(paths(model.nonTrainableWeights), m.non_trainable_weights);
  model.getLayer('dense').trainable = false;
  assert.deepEqual(paths(model.trainableWeights), m.frozen_dense.trainable_weights);
  assert.deepEqual(paths(model.nonTrainableWeights), m.frozen_dense.non_trainable_weights);
});
