// A table of bad inputs across the public API. Each row names the error class it must raise and what
// its message must say; rows that touch training state also check that the rejected call changed
// nothing (variables, slots, optimizer.iterations, optimizer.learningRate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../lib';
import { binding } from '../lib/native';

type ErrorClass = new (...args: never[]) => Error;
type Optimizer = tf.keras.optimizers.Optimizer;

/** Training state a row may not change: the variables, and the optimizer's own variables. */
interface Training {
  vars: tf.Variable[];
  opt?: Optimizer;
}

interface Case {
  area: string;
  name: string;
  error: ErrorClass;
  message: RegExp;
  run: (t: Training) => unknown;
  /** Makes the state the row runs against; the state is compared before and after. */
  training?: () => Training;
  /** A known bug: the row runs and is reported, without failing the suite. */
  todo?: string;
  skip?: string;
}

const F = (values: tf.TensorLike, shape?: number[]) => tf.constant(values as never, 'float32', shape);
const S = tf.keras.optimizers.schedules;
const { Graph, OperationBuilder, Session, hostTensor } = tf.raw;

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

function learningRateOf(opt: Optimizer): unknown {
  try {
    return opt.learningRate.numpy();
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

function snapshot({ vars, opt }: Training): string {
  return json({
    vars: vars.map((v) => v.numpy()),
    iterations: opt?.iterations.numpy(),
    learningRate: opt && learningRateOf(opt),
    slots: opt?.variables.slice(2).map((v) => v.numpy()),
  });
}

function adamOn(shape: number[], options: tf.keras.optimizers.AdamOptions = { learningRate: 0.1 }): Training {
  const v = new tf.Variable(tf.ones(shape, 'float32'));
  const opt = new tf.keras.optimizers.Adam(options);
  // One good step first, so slots exist and the step function is traced.
  opt.applyGradients([[tf.ones(shape, 'float32'), v]]);
  return { vars: [v], opt };
}

function placeholder(g: tf.raw.Graph, name: string, dtype: tf.DType = 'float32'): tf.raw.Output {
  return { op: new OperationBuilder(g, 'Placeholder', name).setAttrType('dtype', dtype).finish(), index: 0 };
}

/** A graph x -> Square(x) with a session and a callable over it. */
function squareGraph() {
  const g = new Graph();
  const x = placeholder(g, 'x');
  const y = { op: new OperationBuilder(g, 'Square', 'y').addInput(x).finish(), index: 0 };
  const session = new Session(g);
  return { g, x, y, session, callable: session.makeCallable([x], [y]) };
}

function disposed<T extends { dispose(): void }>(value: T): T {
  value.dispose();
  return value;
}

// ---- Checkpoint files: a good one, then damaged copies ----

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-corpus-'));
const saved = new tf.Variable(F([1, 2]), { name: 'saved' });
const good = path.join(dir, 'good');
tf.train.saveVariables(good, { v: saved });

function damaged(name: string, index: (b: Buffer) => Buffer | string, data: (b: Buffer) => Buffer | string = (b) => b): string {
  const prefix = path.join(dir, name);
  fs.writeFileSync(`${prefix}.index`, index(fs.readFileSync(`${good}.index`)));
  fs.writeFileSync(`${prefix}.data-00000-of-00001`, data(fs.readFileSync(`${good}.data-00000-of-00001`)));
  return prefix;
}

const flipped = (b: Buffer) => {
  const out = Buffer.from(b);
  out[0] ^= 0xff;
  return out;
};

function withCheckpointTarget(): Training {
  return { vars: [new tf.Variable(F([7, 8]))] };
}

/** A Checkpoint over a variable and a trained optimizer, as `restore` sees it. */
function checkpointed(): Training & { checkpoint: tf.train.Checkpoint } {
  const t = adamOn([2]);
  return { ...t, checkpoint: new tf.train.Checkpoint({ v: t.vars[0], optimizer: t.opt as Optimizer }) };
}

// ---- The corpus ----

const cases: Case[] = [
  // tf.tensor / tf.constant
  {
    area: 'tensor',
    name: 'unknown dtype',
    error: TypeError,
    message: /Unknown dtype 'float33'/,
    run: () => tf.tensor([1, 2], undefined, 'float33' as tf.DType),
  },
  {
    area: 'tensor',
    name: 'values do not fill the shape',
    error: RangeError,
    message: /\[2, 2\] needs 4 values, got 3/,
    run: () => tf.tensor([1, 2, 3], [2, 2]),
  },
  {
    area: 'tensor',
    name: 'negative dim',
    error: RangeError,
    message: /Invalid shape \[-2\].*non-negative integers/,
    run: () => tf.tensor([1, 2], [-2]),
  },
  { area: 'tensor', name: 'fractional dim', error: RangeError, message: /Invalid shape \[1\.5\]/, run: () => tf.tensor([1, 2], [1.5]) },
  { area: 'tensor', name: 'NaN dim', error: RangeError, message: /Invalid shape \[NaN\]/, run: () => tf.tensor([1], [NaN]) },
  { area: 'tensor', name: 'ragged nested array', error: RangeError, message: /Ragged nested array/, run: () => tf.tensor([[1, 2], [3]]) },
  {
    area: 'tensor',
    name: 'string where float32 belongs',
    error: TypeError,
    message: /Cannot convert "a" to a tensor of dtype float32/,
    run: () => tf.tensor(['a', 'b'], undefined, 'float32'),
  },
  {
    area: 'tensor',
    name: 'undefined value',
    error: TypeError,
    message: /Cannot convert undefined/,
    run: () => tf.tensor(undefined as never),
  },
  {
    area: 'tensor',
    name: 'plain object value',
    error: TypeError,
    message: /Cannot convert \{"a":1\}/,
    run: () => tf.tensor({ a: 1 } as never),
  },
  {
    area: 'tensor',
    name: 'int32 overflow',
    error: TypeError,
    message: /Cannot convert 1099511627776 to a tensor of dtype int32/,
    run: () => tf.tensor([2 ** 40], undefined, 'int32'),
  },
  {
    area: 'tensor',
    name: 'fraction into int32',
    error: TypeError,
    message: /Cannot convert 1\.5 to a tensor of dtype int32/,
    run: () => tf.tensor([1.5], undefined, 'int32'),
  },
  {
    area: 'tensor',
    name: 'boolean into int32',
    error: TypeError,
    message: /Cannot convert true to a tensor of dtype int32/,
    run: () => tf.tensor([true], undefined, 'int32'),
  },
  {
    area: 'tensor',
    name: 'Infinity into int32 names the value',
    error: TypeError,
    message: /Cannot convert Infinity/,
    run: () => tf.tensor([Infinity], undefined, 'int32'),
  },
  {
    area: 'tensor',
    name: 'disposed tensor read',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    run: () => disposed(F([1])).numpy(),
  },

  // tf.raw.Tensor (the native constructor)
  {
    area: 'raw tensor',
    name: 'wrong TypedArray for dtype',
    error: TypeError,
    message: /must be a Float32Array, got a Int32Array/,
    run: () => new tf.raw.Tensor(1, [2], new Int32Array(2)),
  },
  {
    area: 'raw tensor',
    name: 'data shorter than shape',
    error: RangeError,
    message: /has 2 values but its shape needs 3/,
    run: () => new tf.raw.Tensor(1, [3], new Float32Array(2)),
  },
  {
    area: 'raw tensor',
    name: 'dtype enum 0',
    error: RangeError,
    message: /dtype is out of range/,
    run: () => new tf.raw.Tensor(0, [1], new Float32Array(1)),
  },
  {
    area: 'raw tensor',
    name: 'dtype with no host layout (variant)',
    error: tf.errors.InvalidArgumentError,
    message: /dtype 21 from host data/,
    run: () => new tf.raw.Tensor(21, [1], new Float32Array(1)),
  },
  {
    area: 'raw tensor',
    name: 'shape with 2^80 elements',
    error: RangeError,
    message: /too many elements/,
    run: () => new tf.raw.Tensor(1, [2 ** 40, 2 ** 40], new Float32Array(1)),
  },
  {
    area: 'raw tensor',
    name: 'shape given as a string',
    error: TypeError,
    message: /shape must be an array/,
    run: () => new tf.raw.Tensor(1, 'ab' as never, new Float32Array(1)),
  },
  {
    area: 'raw tensor',
    name: 'two arguments',
    error: TypeError,
    message: /takes 3 arguments/,
    run: () => new (tf.raw.Tensor as unknown as new (a: number, b: number[]) => unknown)(1, [1]),
  },
  {
    area: 'raw tensor',
    name: 'numbers in a string tensor',
    error: TypeError,
    message: /string tensor value 0 is not a string/,
    run: () => new tf.raw.Tensor(7, [1], [5] as never),
  },
  {
    area: 'raw tensor',
    name: 'string tensor count mismatch',
    error: RangeError,
    message: /has 1 values but its shape has 2 elements/,
    run: () => new tf.raw.Tensor(7, [2], ['a']),
  },
  {
    area: 'raw tensor',
    name: 'data() after dispose',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    run: () => disposed(hostTensor([1])).data(),
  },

  // Eager ops: tf.* and tf.rawOps
  {
    area: 'op',
    name: 'float32 + int32',
    error: TypeError,
    message: /AddV2 input 'y' must be float32, got a int32 tensor/,
    run: () => tf.add(F([1, 2]), tf.constant([1, 2], 'int32')),
  },
  {
    area: 'op',
    name: 'incompatible shapes',
    error: tf.errors.InvalidArgumentError,
    message: /Incompatible shapes: \[3\] vs\. \[2\]/,
    run: () => tf.add(F([1, 2, 3]), F([1, 2])),
  },
  {
    area: 'op',
    name: 'matmul inner dims',
    error: tf.errors.InvalidArgumentError,
    message: /Matrix size-incompatible/,
    run: () => tf.matmul(F([[1, 2]]), F([[1, 2]])),
  },
  {
    area: 'op',
    name: 'reshape to the wrong size',
    error: tf.errors.InvalidArgumentError,
    message: /3 values, but the requested shape has 4/,
    run: () => tf.reshape(F([1, 2, 3]), [2, 2]),
  },
  {
    area: 'op',
    name: 'string where a number belongs',
    error: TypeError,
    message: /Cannot convert "abc" to a tensor of dtype float32/,
    run: () => tf.add(F([1]), 'abc'),
  },
  {
    area: 'op',
    name: 'oneHot depth as string',
    error: TypeError,
    message: /Cannot convert "x" to a tensor of dtype int32/,
    run: () => tf.oneHot(tf.constant([1], 'int32'), 'x' as never),
  },
  {
    area: 'op',
    name: 'reduction axis out of range',
    error: tf.errors.InvalidArgumentError,
    message: /Invalid reduction dimension \(5/,
    run: () => tf.reduceSum(F([1, 2]), 5),
  },
  {
    area: 'op',
    name: 'gather index out of range',
    error: tf.errors.InvalidArgumentError,
    message: /indices\[0\] = 7 is not in \[0, 2\)/,
    run: () => tf.gather(F([1, 2]), tf.constant([7], 'int32')),
  },
  {
    area: 'op',
    name: 'concat of mismatched dims',
    error: tf.errors.InvalidArgumentError,
    message: /Dimension 1 in both shapes must be equal/,
    run: () => tf.concat([F([[1, 2]]), F([[1, 2, 3]])], 0),
  },
  {
    area: 'op',
    name: 'disposed input',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    run: () => {
      const t = disposed(F([1]));
      return tf.add(t, t);
    },
  },
  {
    area: 'rawOps',
    name: 'missing input',
    error: TypeError,
    message: /AddV2 is missing its input 'y'/,
    run: () => tf.rawOps.AddV2({ x: F([1]) } as never),
  },
  {
    area: 'rawOps',
    name: 'unknown dtype attr',
    error: TypeError,
    message: /Unknown dtype 'float99'/,
    run: () => tf.rawOps.Cast({ x: F([1]), DstT: 'float99' as tf.DType }),
  },
  {
    area: 'rawOps',
    name: 'negative Fill dims',
    error: tf.errors.InvalidArgumentError,
    message: /Dimension -1 must be >= 0/,
    run: () => tf.rawOps.Fill({ dims: tf.constant([-1], 'int32'), value: 1 }),
  },
  {
    area: 'rawOps',
    name: 'unsatisfiable device',
    error: tf.errors.InvalidArgumentError,
    message: /device specification '\/device:GPU:7'/,
    run: () => tf.device('/device:GPU:7', () => tf.add(F([1]), F([1]))),
  },
  {
    area: 'rawOps',
    name: 'malformed device name',
    error: tf.errors.InvalidArgumentError,
    message: /Malformed device specification 'garbage!!'/,
    run: () => tf.device('garbage!!', () => tf.add(F([1]), F([1]))),
  },

  // The native eager entry point
  {
    area: 'eager',
    name: 'unknown op name',
    error: tf.errors.NotFoundError,
    message: /'NoSuchOp' is neither a type of a primitive operation/,
    run: () => binding.eagerExecute({ type: 'NoSuchOp', inputs: [], attrs: [], outputs: ['y'] }),
  },
  {
    area: 'eager',
    name: 'unknown attribute kind',
    error: TypeError,
    message: /unknown attribute kind 'weird'/,
    run: () => binding.eagerExecute({ type: 'NoOp', inputs: [], attrs: [['x', 'weird', 1]], outputs: [] }),
  },
  {
    area: 'eager',
    name: 'list(tensor) attribute',
    error: tf.errors.InvalidArgumentError,
    message: /eager ops take no list\(tensor\)/,
    run: () => binding.eagerExecute({ type: 'NoOp', inputs: [], attrs: [['x', 'list(tensor)', []]], outputs: [] }),
  },
  {
    area: 'eager',
    name: 'unknown output arg',
    error: tf.errors.InvalidArgumentError,
    message: /Output 'nope' not found/,
    run: () => {
      const a = F([1]);
      return binding.eagerExecute({ type: 'AddV2', inputs: [a.handle, a.handle], attrs: [], outputs: ['nope'] });
    },
  },
  {
    area: 'eager',
    name: 'numbers as inputs',
    error: TypeError,
    message: /input must be a native TensorHandle/,
    run: () => binding.eagerExecute({ type: 'AddV2', inputs: [1, 2] as never, attrs: [], outputs: ['z'] }),
  },
  {
    area: 'eager',
    name: 'too few inputs',
    error: tf.errors.InvalidArgumentError,
    message: /expected 2 inputs, got 1|do not match 1 inputs specified/,
    run: () => binding.eagerExecute({ type: 'AddV2', inputs: [F([1]).handle], attrs: [], outputs: ['z'] }),
  },
  {
    area: 'eager',
    name: 'op type not a string',
    error: TypeError,
    message: /op type must be a string/,
    run: () => binding.eagerExecute({ type: 5 as never, inputs: [], attrs: [], outputs: [] }),
  },

  // Graph building (tf.raw)
  {
    area: 'graph',
    name: 'unknown op name',
    error: tf.errors.InvalidArgumentError,
    message: /Op type not registered 'NoSuchOp'/,
    run: () => new OperationBuilder(new Graph(), 'NoSuchOp', 'x').finish(),
  },
  {
    area: 'graph',
    name: 'unknown attribute kind',
    error: TypeError,
    message: /unknown attribute kind 'weird' for attribute 'dtype'/,
    run: () => new Graph().addOperation({ type: 'Placeholder', name: 'p', attrs: [['dtype', 'weird', 1]] }),
  },
  {
    area: 'graph',
    name: 'attribute of the wrong kind',
    error: tf.errors.InvalidArgumentError,
    message: /value with type 'int' when 'type' expected/,
    run: () => new Graph().addOperation({ type: 'Placeholder', name: 'p', attrs: [['dtype', 'int', 1]] }),
  },
  {
    area: 'graph',
    name: 'dtype attr given as a string',
    error: TypeError,
    message: /attribute 'dtype' must be a number/,
    run: () => new Graph().addOperation({ type: 'Placeholder', name: 'p', attrs: [['dtype', 'type', 'float32']] }),
  },
  {
    area: 'graph',
    name: 'func attr naming a function the graph lacks',
    error: tf.errors.InvalidArgumentError,
    message: /attr 'f' names function 'nope', which is not in the graph's function library/,
    run: () =>
      new Graph().addOperation({
        type: 'StatefulPartitionedCall',
        name: 'call',
        inputs: [[]],
        attrs: [
          ['Tin', 'list(type)', []],
          ['Tout', 'list(type)', []],
          ['f', 'func', 'nope'],
        ],
      }),
  },
  {
    area: 'graph',
    name: 'missing required attr',
    error: tf.errors.InvalidArgumentError,
    message: /missing attr 'dtype'/,
    run: () => new Graph().addOperation({ type: 'Placeholder', name: 'p' }),
  },
  {
    area: 'graph',
    name: 'unparseable AttrValue proto',
    error: tf.errors.InvalidArgumentError,
    message: /Unparseable AttrValue proto/,
    run: () =>
      new OperationBuilder(new Graph(), 'Placeholder', 'p').setAttrValueProto('dtype', new Uint8Array([0xff, 0xff, 0xff])).finish(),
  },
  {
    area: 'graph',
    name: 'duplicate op name',
    error: tf.errors.InvalidArgumentError,
    message: /Duplicate node name in graph: 'p'/,
    run: () => {
      const g = new Graph();
      g.addOperation({ type: 'NoOp', name: 'p' });
      return g.addOperation({ type: 'NoOp', name: 'p' });
    },
  },
  {
    area: 'graph',
    name: 'input from another graph',
    error: tf.errors.InvalidArgumentError,
    message: /operation 'p' belongs to a different graph/,
    run: () => new OperationBuilder(new Graph(), 'Identity', 'i').addInput(placeholder(new Graph(), 'p')).finish(),
  },
  {
    area: 'graph',
    name: 'output index out of range',
    error: tf.errors.OutOfRangeError,
    message: /'p' has 1 outputs, not an output 5/,
    run: () => {
      const g = new Graph();
      return new OperationBuilder(g, 'Identity', 'i').addInput({ op: placeholder(g, 'p').op, index: 5 }).finish();
    },
  },
  {
    area: 'graph',
    name: 'input dtypes disagree',
    error: tf.errors.InvalidArgumentError,
    message: /Inconsistent values for attr 'T' DT_FLOAT vs\. DT_INT32/,
    run: () => {
      const g = new Graph();
      return new OperationBuilder(g, 'AddV2', 'a')
        .addInput(placeholder(g, 'x'))
        .addInput(placeholder(g, 'i', 'int32'))
        .finish();
    },
  },
  {
    area: 'graph',
    name: 'builder finished twice',
    error: Error,
    message: /already finished/,
    run: () => {
      const b = new OperationBuilder(new Graph(), 'NoOp', 'n');
      b.finish();
      return b.finish();
    },
  },
  {
    area: 'graph',
    name: 'GraphDef that is not one',
    error: tf.errors.InvalidArgumentError,
    message: /Invalid GraphDef/,
    run: () => new Graph().importGraphDef(new Uint8Array([1, 2, 3, 4, 5])),
  },
  {
    area: 'graph',
    name: 'gradients of nothing',
    error: RangeError,
    message: /needs at least one y/,
    run: () => {
      const g = new Graph();
      return tf.raw.addGradients(g, [], [placeholder(g, 'x')]);
    },
  },

  // Sessions and callables
  {
    area: 'session',
    name: 'run on a closed session',
    error: tf.errors.FailedPreconditionError,
    message: /closed Session/,
    run: () => {
      const s = squareGraph();
      s.session.close();
      return s.session.run({ fetches: [s.y], feeds: [[s.x, hostTensor([1], undefined, 'float32')]] });
    },
  },
  {
    area: 'session',
    name: 'runAsync on a closed session',
    error: tf.errors.FailedPreconditionError,
    message: /closed Session/,
    run: () => {
      const s = squareGraph();
      s.session.close();
      return s.session.runAsync({ fetches: [s.y] });
    },
  },
  {
    area: 'session',
    name: 'callable of a closed session',
    error: tf.errors.FailedPreconditionError,
    message: /closed Session/,
    run: () => {
      const s = squareGraph();
      s.session.close();
      return s.callable.run([hostTensor([1], undefined, 'float32')]);
    },
  },
  {
    area: 'session',
    name: 'makeCallable on a closed session',
    error: tf.errors.FailedPreconditionError,
    message: /closed Session/,
    run: () => {
      const s = squareGraph();
      s.session.close();
      return s.session.makeCallable([s.x], [s.y]);
    },
  },
  {
    area: 'session',
    name: 'too few feeds',
    error: RangeError,
    message: /run expects 1 feed tensors, got 0/,
    run: () => squareGraph().callable.run([]),
  },
  {
    area: 'session',
    name: 'feed of the wrong dtype',
    error: tf.errors.InvalidArgumentError,
    message: /expected float|float.*int32|int32.*float/i,
    run: () => squareGraph().callable.run([hostTensor([1], undefined, 'int32')]),
  },
  {
    area: 'session',
    name: 'unfed placeholder',
    error: tf.errors.InvalidArgumentError,
    message: /must feed a value for placeholder tensor 'x'/,
    run: () => {
      const s = squareGraph();
      return s.session.run({ fetches: [s.y] });
    },
  },
  {
    area: 'session',
    name: 'feed that is not a tensor',
    error: TypeError,
    message: /feed must be a native Tensor/,
    run: () => {
      const s = squareGraph();
      return s.session.native.run([s.x], [5 as never], [s.y], []);
    },
  },
  {
    area: 'session',
    name: 'disposed feed',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    run: () => squareGraph().callable.run([disposed(hostTensor([1], undefined, 'float32'))]),
  },
  {
    area: 'session',
    name: 'disposed feed, async',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    run: () => squareGraph().callable.runAsync([disposed(hostTensor([1], undefined, 'float32'))]),
  },
  {
    area: 'session',
    name: 'fetch from another graph',
    error: tf.errors.InvalidArgumentError,
    message: /belongs to a different graph/,
    run: () => squareGraph().session.run({ fetches: [squareGraph().y] }),
  },
  {
    area: 'session',
    name: 'negative thread count',
    error: RangeError,
    message: /intraOpParallelismThreads must be a non-negative integer/,
    run: () => new Session(new Graph(), { intraOpParallelismThreads: -5 }),
  },
  {
    area: 'session',
    name: 'negative run timeout',
    error: RangeError,
    message: /timeoutInMs must be a non-negative integer/,
    run: () => {
      const s = squareGraph();
      return s.session.run({ fetches: [s.y], timeoutInMs: -5 });
    },
  },

  // tf.function
  ...((): Case[] => {
    const f = tf.function((x: tf.Tensor) => tf.add(x, 1), { inputSignature: [new tf.TensorSpec([null, 2], 'float32')] });
    const signature = /does not match its inputSignature \(dtype float32, shape \[null, 2\]\)/;
    return [
      {
        area: 'function',
        name: 'dtype outside the signature',
        error: TypeError,
        message: /argument 0 \(dtype int32, shape \[1, 2\]\) does not match/,
        run: () => f(tf.constant([[1, 2]], 'int32')),
      },
      { area: 'function', name: 'dim outside the signature', error: TypeError, message: signature, run: () => f(F([[1, 2, 3]])) },
      { area: 'function', name: 'rank outside the signature', error: TypeError, message: signature, run: () => f(F([1, 2])) },
      {
        area: 'function',
        name: 'too many arguments',
        error: TypeError,
        message: /takes 1 arguments \(its inputSignature\), got 2/,
        run: () => (f as unknown as (...a: tf.Tensor[]) => unknown)(F([[1, 2]]), F([[1, 2]])),
      },
      {
        area: 'function',
        name: 'string argument',
        error: TypeError,
        message: /\(dtype string, shape \[\]\) does not match/,
        run: () => (f as unknown as (a: string) => unknown)('abc'),
      },
      {
        area: 'function',
        name: 'callAsync outside the signature',
        error: TypeError,
        message: signature,
        run: () => f.callAsync(F([1, 2, 3])),
      },
      {
        area: 'function',
        name: 'TensorSpec of an unknown dtype',
        error: TypeError,
        message: /Unknown dtype 'float99'/,
        run: () => new tf.TensorSpec([1], 'float99' as tf.DType),
      },
      {
        area: 'function',
        name: 'shape error found while tracing',
        error: tf.errors.InvalidArgumentError,
        message: /Cannot reshape a tensor with 2 elements to shape \[5\]/,
        run: () => tf.function((x: tf.Tensor) => tf.reshape(x, [5]))(F([1, 2])),
      },
      {
        area: 'function',
        name: 'shape error found while running',
        error: tf.errors.InvalidArgumentError,
        message: /Matrix size-incompatible|Dimensions must be equal/,
        run: () => tf.function((x: tf.Tensor) => tf.matmul(x, x), { inputSignature: [new tf.TensorSpec([null, null])] })(F([[1, 2, 3]])),
      },
    ];
  })(),

  // Optimizer arguments
  {
    area: 'optimizer',
    name: 'NaN learning rate',
    error: RangeError,
    message: /learningRate=NaN/,
    run: () => new tf.keras.optimizers.Adam({ learningRate: NaN }),
  },
  {
    area: 'optimizer',
    name: 'Infinity learning rate',
    error: RangeError,
    message: /learningRate=Infinity/,
    run: () => new tf.keras.optimizers.SGD({ learningRate: Infinity }),
  },
  {
    area: 'optimizer',
    name: 'negative learning rate',
    error: RangeError,
    message: /learningRate=-1/,
    run: () => new tf.keras.optimizers.AdamW({ learningRate: -1 }),
  },
  {
    area: 'optimizer',
    name: 'learning rate as a string',
    error: TypeError,
    message: /must be a number, a LearningRateSchedule or a function\. Received: 0\.1/,
    run: () => new tf.keras.optimizers.Adam({ learningRate: '0.1' as never }),
  },
  {
    area: 'optimizer',
    name: 'beta1 of 1',
    error: RangeError,
    message: /`beta1` must be in \[0, 1\)/,
    run: () => new tf.keras.optimizers.Adam({ beta1: 1 }),
  },
  {
    area: 'optimizer',
    name: 'negative momentum',
    error: RangeError,
    message: /`momentum` must be a float between \[0, 1\]/,
    run: () => new tf.keras.optimizers.SGD({ momentum: -1 }),
  },
  {
    area: 'optimizer',
    name: 'clipnorm and clipvalue together',
    error: RangeError,
    message: /Only one of `clipnorm`, `clipvalue` and `globalClipnorm`/,
    run: () => new tf.keras.optimizers.Adam({ clipnorm: 1, clipvalue: 1 }),
  },
  {
    area: 'optimizer',
    name: 'NaN weight decay',
    error: RangeError,
    message: /weightDecay=NaN/,
    run: () => new tf.keras.optimizers.AdamW({ weightDecay: NaN }),
  },

  // applyGradients and the learning-rate variable, state unchanged
  {
    area: 'applyGradients',
    name: 'gradient of the wrong shape',
    error: tf.errors.InvalidArgumentError,
    message: /has dtype float32 and shape \[3\], but the variable has dtype float32 and shape \[2\]/,
    training: () => adamOn([2]),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 2, 3]), vars[0]]]),
  },
  {
    area: 'applyGradients',
    name: 'gradient of the wrong rank',
    error: tf.errors.InvalidArgumentError,
    message: /shape \[1, 2\], but the variable has dtype float32 and shape \[2\]/,
    training: () => adamOn([2]),
    run: ({ vars, opt }) => opt?.applyGradients([[F([[1, 2]]), vars[0]]]),
  },
  {
    area: 'applyGradients',
    name: 'int32 gradient',
    error: TypeError,
    message: /has dtype int32 and shape \[2\], but the variable has dtype float32/,
    training: () => adamOn([2]),
    run: ({ vars, opt }) => opt?.applyGradients([[tf.constant([1, 2], 'int32'), vars[0]]]),
  },
  {
    area: 'applyGradients',
    name: 'number as gradient',
    error: TypeError,
    message: /gradient of variable '.*' must be a Tensor or null/,
    training: () => adamOn([2]),
    run: ({ vars, opt }) => opt?.applyGradients([[5 as never, vars[0]]]),
  },
  {
    area: 'applyGradients',
    name: 'a tensor instead of pairs',
    error: TypeError,
    message: /applyGradients takes \[gradient, variable\] pairs/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.applyGradients([F([1, 2]) as never]),
  },
  {
    area: 'applyGradients',
    name: 'variable it was not built for',
    error: RangeError,
    message: /Unknown variable: <tf\.Variable/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.applyGradients([[F([1, 2]), new tf.Variable(F([1, 2]))]]),
  },
  {
    area: 'applyGradients',
    name: 'disposed gradient',
    error: tf.errors.FailedPreconditionError,
    message: /Tensor is disposed/,
    training: () => adamOn([2]),
    run: ({ vars, opt }) => opt?.applyGradients([[disposed(F([1, 2])), vars[0]]]),
  },
  {
    area: 'applyGradients',
    name: 'second of two gradients has the wrong shape',
    error: tf.errors.InvalidArgumentError,
    message: /shape \[3\], but the variable has dtype float32 and shape \[2\]/,
    training: () => {
      const t = adamOn([2]);
      const w = new tf.Variable(F([1, 2]));
      const opt = new tf.keras.optimizers.Adam({ learningRate: 0.1 });
      opt.build([t.vars[0], w]);
      return { vars: [t.vars[0], w], opt };
    },
    run: ({ vars, opt }) =>
      opt?.applyGradients([
        [F([1, 1]), vars[0]],
        [F([1, 1, 1]), vars[1]],
      ]),
  },
  {
    area: 'learningRate',
    name: 'assign NaN',
    error: RangeError,
    message: /finite, non-negative number\. Received: NaN/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign(NaN),
  },
  {
    area: 'learningRate',
    name: 'assign Infinity',
    error: RangeError,
    message: /Received: Infinity/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign(Infinity),
  },
  {
    area: 'learningRate',
    name: 'assign a negative number',
    error: RangeError,
    message: /Received: -1/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign(-1),
  },
  {
    area: 'learningRate',
    name: 'assign a string',
    error: TypeError,
    message: /Cannot convert "abc" to a tensor of dtype float32/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign('abc'),
  },
  {
    area: 'learningRate',
    name: 'assign a vector',
    error: tf.errors.InvalidArgumentError,
    message: /wrong shape\. Expected \[\] got \[2\]/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign([1, 2]),
  },
  {
    area: 'learningRate',
    name: 'assign a NaN tensor',
    error: RangeError,
    message: /NaN/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign(F(NaN)),
  },
  // In float32 terms, through every write path (issue: learning-rate guard holes)
  {
    area: 'learningRate',
    name: 'assignAdd below zero',
    error: RangeError,
    message: /finite, non-negative number\. Received: -0\.89999/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assignAdd(-1),
  },
  {
    area: 'learningRate',
    name: 'assignSub of NaN',
    error: RangeError,
    message: /Received: NaN/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assignSub(NaN),
  },
  {
    area: 'learningRate',
    name: 'assign past float32',
    error: RangeError,
    message: /Received: 1e\+39 \(it overflows float32\)/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.learningRate.assign(1e39),
  },
  {
    area: 'learningRate',
    name: 'assign NaN inside tf.function',
    error: tf.errors.InvalidArgumentError,
    message: /The learning rate must be a finite, non-negative number/,
    training: () => adamOn([2]),
    run: ({ opt }) =>
      tf.function(() => {
        opt?.learningRate.assign(F(NaN));
        return null;
      })(),
  },
  {
    area: 'learningRate',
    name: 'assignSub below zero inside tf.function',
    error: tf.errors.InvalidArgumentError,
    message: /The learning rate must be a finite, non-negative number/,
    training: () => adamOn([2]),
    run: ({ opt }) =>
      tf.function(() => {
        opt?.learningRate.assignSub(F(1));
        return null;
      })(),
  },
  {
    area: 'learningRate',
    name: 'iterations.assign(-1)',
    error: RangeError,
    message: /optimizer\.iterations must stay a non-negative integer\. Received: -1/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.iterations.assign(-1),
  },
  {
    area: 'learningRate',
    name: 'iterations.assignSub past zero',
    error: RangeError,
    message: /non-negative integer\. Received: -\d+ \(after assignSub\)/,
    training: () => adamOn([2]),
    run: ({ opt }) => opt?.iterations.assignSub(BigInt(1000)),
  },
  {
    area: 'learningRate',
    name: 'iterations set negative inside tf.function',
    error: tf.errors.InvalidArgumentError,
    message: /optimizer\.iterations must stay a non-negative integer/,
    training: () => adamOn([2]),
    run: ({ opt }) =>
      tf.function(() => {
        opt?.iterations.assign(BigInt(-5));
        return null;
      })(),
  },
  {
    area: 'optimizer',
    name: 'learning rate past float32',
    error: RangeError,
    message: /overflows float32/,
    run: () => new tf.keras.optimizers.Adam({ learningRate: 1e39 }),
  },
  {
    area: 'optimizer',
    name: 'beta1 that rounds to 1 in float32',
    error: RangeError,
    message: /`beta1` must be in \[0, 1\)/,
    run: () => new tf.keras.optimizers.Adam({ beta1: 0.99999999999 }),
  },
  {
    area: 'schedule',
    name: 'schedule returns a value past float32',
    error: RangeError,
    message: /learning rate at step 1 is 1e\+39 \(it overflows float32\)/,
    training: () => adamOn([2], { learningRate: (step: number) => (step === 0 ? 0.1 : 1e39) }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  {
    area: 'learningRate',
    name: 'assign under a schedule',
    error: TypeError,
    message: /hence its learning rate is not settable/,
    training: () => adamOn([2], { learningRate: new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }),
    run: ({ opt }) => opt?.learningRate.assign(0.5),
  },
  {
    area: 'variable',
    name: 'assign of the wrong shape',
    error: tf.errors.InvalidArgumentError,
    message: /Expected \[2\] got \[3\]/,
    training: () => adamOn([2]),
    run: ({ vars }) => vars[0].assign(F([1, 2, 3])),
  },
  {
    area: 'variable',
    name: 'assignAdd of the wrong shape',
    error: tf.errors.InvalidArgumentError,
    message: /Cannot update variable with shape \[2\] using a Tensor with shape \[1\]/,
    training: () => adamOn([2]),
    run: ({ vars }) => vars[0].assignAdd(F([1])),
  },
  {
    area: 'variable',
    name: 'assign of the wrong dtype',
    error: TypeError,
    message: /Cannot use a int32 tensor as a float32 variable value/,
    training: () => adamOn([2]),
    run: ({ vars }) => vars[0].assign(tf.constant([1, 2], 'int32')),
  },
  {
    area: 'variable',
    name: 'assign strings',
    error: TypeError,
    message: /Cannot convert "a" to a tensor of dtype float32/,
    training: () => adamOn([2]),
    run: ({ vars }) => vars[0].assign(['a', 'b']),
  },

  // Schedules: bad arguments, and bad values at step time (state unchanged)
  {
    area: 'schedule',
    name: 'NaN initial rate',
    error: RangeError,
    message: /`initialLearningRate` must be finite\. Received: initialLearningRate=NaN/,
    run: () => new S.CosineDecay({ initialLearningRate: NaN, decaySteps: 10 }),
  },
  {
    area: 'schedule',
    name: 'zero decay steps',
    error: RangeError,
    message: /`decaySteps` must be > 0\. Received: decaySteps=0/,
    run: () => new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }),
  },
  {
    area: 'schedule',
    name: 'negative decay steps',
    error: RangeError,
    message: /decaySteps=-5/,
    run: () => new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: -5, decayRate: 0.5 }),
  },
  {
    area: 'schedule',
    name: 'Infinity decay rate',
    error: RangeError,
    message: /`decayRate` must be finite/,
    run: () => new S.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: Infinity }),
  },
  {
    area: 'schedule',
    name: 'initial rate as a string',
    error: TypeError,
    message: /`initialLearningRate` must be a number\. Received: initialLearningRate='0\.1'/,
    run: () => new S.CosineDecay({ initialLearningRate: '0.1' as never, decaySteps: 5 }),
  },
  {
    area: 'schedule',
    name: 'snake_case option',
    error: TypeError,
    message: /unexpected option 'decay_steps' \(did you mean 'decaySteps'\?\)/,
    run: () => new S.CosineDecay({ initialLearningRate: 0.1, decay_steps: 10 } as never),
  },
  {
    area: 'schedule',
    name: 'piecewise lengths disagree',
    error: RangeError,
    message: /length of boundaries should be 1 less than the length of values/,
    run: () => new S.PiecewiseConstantDecay({ boundaries: [1, 2], values: [1] }),
  },
  {
    area: 'schedule',
    name: 'deserialize an unknown class',
    error: TypeError,
    message: /Cannot deserialize object of type `Nope`/,
    run: () => S.deserialize({ class_name: 'Nope', config: {} } as never),
  },
  {
    area: 'schedule',
    name: 'negative step',
    error: RangeError,
    message: /step must be a non-negative integer\. Received: step=-1/,
    run: () => S.resolveLearningRate(0.1, -1),
  },
  {
    area: 'schedule',
    name: 'schedule that throws',
    error: Error,
    message: /schedule boom/,
    training: () =>
      adamOn([2], {
        learningRate: (step: number) => {
          if (step >= 1) throw new Error('schedule boom');
          return 0.1;
        },
      }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  {
    area: 'schedule',
    name: 'schedule returns a string',
    error: RangeError,
    message: /learning rate at step 1 is x \(string\)/,
    training: () => adamOn([2], { learningRate: (step: number) => (step === 0 ? 0.1 : ('x' as never)) }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  {
    area: 'schedule',
    name: 'schedule returns NaN',
    error: RangeError,
    message: /learning rate at step 1 is NaN/,
    training: () => adamOn([2], { learningRate: (step: number) => (step === 0 ? 0.1 : NaN) }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  {
    area: 'schedule',
    name: 'schedule returns a bigint',
    error: RangeError,
    message: /step 1 is 1 \(bigint\)/,
    training: () => adamOn([2], { learningRate: (step: number) => (step === 0 ? 0.1 : (1n as never)) }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  // alpha = -1 takes the cosine from 0.1 at step 0 to -0.1 at step 1.
  {
    area: 'schedule',
    name: 'schedule goes negative',
    error: RangeError,
    message: /learning rate at step 1 is -0\.1/,
    training: () => adamOn([2], { learningRate: new S.CosineDecay({ initialLearningRate: 0.1, decaySteps: 1, alpha: -1 }) }),
    run: ({ vars, opt }) => opt?.applyGradients([[F([1, 1]), vars[0]]]),
  },
  ...((): Case[] => {
    // A training step traced once, whose host-fed schedule turns bad after the first step.
    let bad = false;
    const v = new tf.Variable(F([1, 2]));
    const opt = new tf.keras.optimizers.SGD({ learningRate: () => (bad ? Infinity : 0.5) });
    const step = tf.function((g: tf.Tensor) => {
      opt.applyGradients([[g, v]]);
      return null;
    });
    step(F([1, 1]));
    return [
      {
        area: 'schedule',
        name: 'schedule returns Infinity inside tf.function',
        error: RangeError,
        message: /learning rate at step 1 is Infinity/,
        training: () => ({ vars: [v], opt }),
        run: () => {
          bad = true;
          try {
            return step(F([1, 1]));
          } finally {
            bad = false;
          }
        },
      },
    ];
  })(),

  // Checkpoints: damaged files, mismatched variables (nothing restored)
  {
    area: 'checkpoint',
    name: 'truncated index',
    error: tf.errors.DataLossError,
    message: /trunc\.index is not a valid TensorFlow checkpoint index: bad magic number/,
    training: withCheckpointTarget,
    run: ({ vars }) =>
      tf.train.loadVariables(
        damaged('trunc', (b) => b.subarray(0, b.length - 10)),
        { v: vars[0] },
      ),
  },
  {
    area: 'checkpoint',
    name: 'not a checkpoint',
    error: tf.errors.DataLossError,
    message: /bad magic number \(truncated, or not a checkpoint\)/,
    training: withCheckpointTarget,
    run: ({ vars }) =>
      tf.train.loadVariables(
        damaged('text', () => 'hello, this is not a checkpoint index; it is long enough to have a footer'),
        { v: vars[0] },
      ),
  },
  {
    area: 'checkpoint',
    name: 'empty index',
    error: tf.errors.DataLossError,
    message: /the file is too short \(0 bytes\)/,
    training: withCheckpointTarget,
    run: ({ vars }) =>
      tf.train.loadVariables(
        damaged('empty', () => ''),
        { v: vars[0] },
      ),
  },
  {
    area: 'checkpoint',
    name: 'no such checkpoint',
    error: tf.errors.NotFoundError,
    message: /Checkpoint '.*nothere' not found: there is no .*nothere\.index/,
    training: withCheckpointTarget,
    run: ({ vars }) => tf.train.loadVariables(path.join(dir, 'nothere'), { v: vars[0] }),
  },
  {
    area: 'checkpoint',
    name: 'truncated data file',
    error: tf.errors.OutOfRangeError,
    message: /Restoring checkpoint '.*truncdata': Read less bytes than requested/,
    training: withCheckpointTarget,
    run: ({ vars }) =>
      tf.train.loadVariables(
        damaged(
          'truncdata',
          (b) => b,
          (b) => b.subarray(0, 3),
        ),
        { v: vars[0] },
      ),
  },
  {
    area: 'checkpoint',
    name: 'flipped byte in the data file',
    error: tf.errors.DataLossError,
    message: /Checksum does not match/,
    training: withCheckpointTarget,
    run: ({ vars }) =>
      tf.train.loadVariables(
        damaged('flipped', (b) => b, flipped),
        { v: vars[0] },
      ),
  },
  {
    area: 'checkpoint',
    name: 'key not in the checkpoint',
    error: tf.errors.NotFoundError,
    message: /Key 'w' \(variable '.*'\) not found in checkpoint/,
    training: withCheckpointTarget,
    run: ({ vars }) => tf.train.loadVariables(good, { w: vars[0] }),
  },
  {
    area: 'checkpoint',
    name: 'variable of another dtype',
    error: tf.errors.InvalidArgumentError,
    message: /the checkpoint holds float32, the variable is int32/,
    training: () => ({ vars: [new tf.Variable(tf.constant([1, 2], 'int32'))] }),
    run: ({ vars }) => tf.train.loadVariables(good, { v: vars[0] }),
  },
  {
    area: 'checkpoint',
    name: 'variable of another shape',
    error: tf.errors.InvalidArgumentError,
    message: /holds shape \[2\], the variable has shape \[3\]/,
    training: () => ({ vars: [new tf.Variable(F([1, 2, 3]))] }),
    run: ({ vars }) => tf.train.loadVariables(good, { v: vars[0] }),
  },
  {
    area: 'checkpoint',
    name: 'Checkpoint.restore of a truncated file',
    error: tf.errors.DataLossError,
    message: /trunc2\.index is not a valid TensorFlow checkpoint index/,
    training: checkpointed,
    run: (t) => (t as ReturnType<typeof checkpointed>).checkpoint.restore(damaged('trunc2', (b) => b.subarray(0, 30))),
  },
  {
    area: 'checkpoint',
    name: 'save with no variables',
    error: TypeError,
    message: /needs at least one variable/,
    run: () => tf.train.saveVariables(path.join(dir, 'none'), {}),
  },
  {
    area: 'checkpoint',
    name: 'save a number',
    error: TypeError,
    message: /Checkpoint key 'a' must map to a tf\.Variable, got 5/,
    run: () => tf.train.saveVariables(path.join(dir, 'num'), { a: 5 as never }),
  },
  {
    area: 'checkpoint',
    name: 'track a number',
    error: TypeError,
    message: /'a' is 5/,
    run: () => new tf.train.Checkpoint({ a: 5 as never }),
  },

  // tf.data
  {
    area: 'data',
    name: 'slices of different lengths',
    error: RangeError,
    message: /component \[0\] has 2, component \[1\] has 3/,
    run: () => tf.data.Dataset.fromTensorSlices([F([1, 2]), F([1, 2, 3])]),
  },
  {
    area: 'data',
    name: 'batch of 0',
    error: RangeError,
    message: /batchSize must be an integer >= 1, got 0/,
    run: () => tf.data.Dataset.range(5).batch(0),
  },
  { area: 'data', name: 'range step 0', error: RangeError, message: /step must not be 0/, run: () => tf.data.Dataset.range(0, 5, 0) },
];

// ---- Keras models: only where the model API is there ----

interface LooseModel {
  compile(options: object): void;
  fit(x: unknown, y?: unknown, options?: object): Promise<unknown>;
  getWeights(): tf.Tensor[];
  setWeights(values: unknown): void;
  trainableVariables?: tf.Variable[];
  weights?: tf.Variable[];
  optimizer: Optimizer;
}
type LooseKeras = {
  Sequential?: new (layers: unknown[]) => LooseModel;
  layers?: { Dense?: new (options: object) => unknown };
};

/** A compiled 3 -> 4 -> 2 model trained one step, or why the Keras rows cannot run. */
async function kerasModel(): Promise<{ model: LooseModel; x: tf.Tensor; y: tf.Tensor } | string> {
  const keras = tf.keras as unknown as LooseKeras;
  if (typeof keras.Sequential !== 'function' || typeof keras.layers?.Dense !== 'function')
    return 'tf.keras.Sequential / layers.Dense are not there yet';
  try {
    const model = new keras.Sequential([
      new keras.layers.Dense({ units: 4, inputShape: [3], activation: 'relu' }),
      new keras.layers.Dense({ units: 2 }),
    ]);
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
    const x = F(Array.from({ length: 8 }, (_, i) => [i, i + 1, i + 2]));
    const y = F(Array.from({ length: 8 }, (_, i) => [i, -i]));
    await model.fit(x, y, { epochs: 1, verbose: 0, batchSize: 4 });
    return { model, x, y };
  } catch (e) {
    return `the Keras fit path does not work yet: ${(e as Error).message}`;
  }
}

let kerasReady: ReturnType<typeof kerasModel> | undefined;

function kerasState(model: LooseModel): Training {
  const vars = model.weights ?? model.trainableVariables ?? [];
  return { vars, opt: model.optimizer };
}

type KerasCase = Omit<Case, 'run' | 'training'> & { run: (m: LooseModel, x: tf.Tensor, y: tf.Tensor) => unknown };

const kerasCases: KerasCase[] = [
  {
    area: 'keras',
    name: 'fit with x and y of different lengths',
    error: RangeError,
    message: /Data cardinality is ambiguous.*'x' sizes: 8\s+'y' sizes: 5/s,
    run: (m, x, y) => m.fit(x, tf.slice(y, [0, 0], [5, 2]), { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit with x of the wrong width',
    error: RangeError,
    message: /expected axis -1 of input shape to have value 3, but received input with shape \(8, 4\)/,
    run: (m, x, y) => m.fit(tf.concat([x, tf.ones([8, 1], 'float32')], 1), y, { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit with y of the wrong width',
    error: tf.errors.InvalidArgumentError,
    message: /Dimensions must be equal, but are 3 and 2/,
    run: (m, x) => m.fit(x, tf.ones([8, 3], 'float32'), { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit with a string as x',
    error: TypeError,
    message: /x must be a tensor, an array, or a TypedArray; got string/,
    run: (m, _x, y) => m.fit('abc', y, { epochs: 1, verbose: 0 }),
  },
  // Non-numeric data never becomes NaN weights (issue: silently wrong)
  {
    area: 'keras',
    name: 'fit with strings in nested arrays',
    error: TypeError,
    message: /^x: Cannot convert "a" to a tensor of dtype float32$/,
    run: (m, _x, y) =>
      m.fit(
        [
          ['a', 'b', 'c'],
          ['d', 'e', 'f'],
          ['g', 'h', 'i'],
          ['j', 'k', 'l'],
          ['m', 'n', 'o'],
          ['p', 'q', 'r'],
          ['s', 't', 'u'],
          ['v', 'w', 'x'],
        ],
        y,
        { epochs: 1, verbose: 0 },
      ),
  },
  {
    area: 'keras',
    name: 'fit with undefined in x',
    error: TypeError,
    message: /^x: Cannot convert undefined to a tensor of dtype float32$/,
    run: (m, _x, y) => m.fit(Array.from({ length: 8 }, () => [1, undefined, 2]) as never, y, { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit with objects in y',
    error: TypeError,
    message: /^y: Cannot convert \{\} to a tensor/,
    run: (m, x) => m.fit(x, Array.from({ length: 8 }, () => [{}, 1]) as never, { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit with a string tensor as x',
    error: TypeError,
    message: /^x must hold numbers or booleans; got a string tensor$/,
    run: (m, _x, y) => m.fit(tf.tensor(Array.from({ length: 8 }, () => ['a', 'b', 'c'])), y, { epochs: 1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'evaluate with a string tensor as y',
    error: TypeError,
    message: /^y must hold numbers or booleans; got a string tensor$/,
    run: (m, x) => (m as unknown as tf.keras.Model).evaluate(x, tf.tensor(Array.from({ length: 8 }, () => ['a', 'b'])), { verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'predict with a string tensor',
    error: TypeError,
    message: /^x must hold numbers or booleans; got a string tensor$/,
    run: (m) => (m as unknown as tf.keras.Model).predict(tf.tensor(Array.from({ length: 8 }, () => ['a', 'b', 'c'])), { verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'fit on a dataset of string batches',
    error: TypeError,
    message: /^x must hold numbers or booleans; got a string tensor$/,
    run: (m, _x, y) =>
      m.fit(
        {
          *[Symbol.iterator]() {
            yield [tf.tensor(Array.from({ length: 8 }, () => ['a', 'b', 'c'])), y];
          },
        },
        { epochs: 1, verbose: 0 },
      ),
  },
  {
    area: 'keras',
    name: 'fit with a NaN batch size',
    error: RangeError,
    message: /`batchSize` must be a positive integer\. Received: batchSize=NaN/,
    run: (m, x, y) => m.fit(x, y, { epochs: 1, verbose: 0, batchSize: NaN }),
  },
  {
    area: 'keras',
    name: 'fit with negative epochs',
    error: RangeError,
    message: /`epochs` must be a non-negative integer/,
    run: (m, x, y) => m.fit(x, y, { epochs: -1, verbose: 0 }),
  },
  {
    area: 'keras',
    name: 'setWeights with too few arrays',
    error: RangeError,
    message: /weight list of length 1, but the layer was expecting 4 weights/,
    run: (m) => m.setWeights([m.getWeights()[0]]),
  },
  {
    area: 'keras',
    name: 'setWeights with shapes swapped',
    error: RangeError,
    message: /weight 'dense.*\/kernel' has shape \(3, 4\), which is not compatible with the provided weight shape \(4,\)/,
    run: (m) => {
      const w = m.getWeights();
      m.setWeights([w[1], w[0], w[2], w[3]]);
    },
  },
  {
    area: 'keras',
    name: 'setWeights with strings',
    error: RangeError,
    message: /not compatible with the provided weight shape \(\)/,
    run: (m) => m.setWeights(['a', 'b', 'c', 'd']),
  },
];

// ---- Running the table ----

async function expectRejected(c: Pick<Case, 'error' | 'message'>, run: () => unknown): Promise<void> {
  let outcome: unknown;
  try {
    // A promise result is awaited: async rejections count as the row's error.
    outcome = await run();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
    assert.equal(e.constructor, c.error, `expected ${c.error.name}, got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, c.message);
    return;
  }
  assert.fail(`expected ${c.error.name} matching ${c.message}, but the call succeeded (${String(outcome)})`);
}

for (const c of cases) {
  test(`[${c.area}] ${c.name}`, { todo: c.todo, skip: c.skip }, async () => {
    const training = c.training?.();
    const before = training && snapshot(training);
    await expectRejected(c, () => c.run(training ?? { vars: [] }));
    if (training) assert.equal(snapshot(training), before, 'the rejected call changed the training state');
  });
}

for (const c of kerasCases) {
  test(`[${c.area}] ${c.name}`, async (t) => {
    kerasReady ??= kerasModel();
    const ready = await kerasReady;
    if (typeof ready === 'string') {
      t.skip(ready);
      return;
    }
    const state = kerasState(ready.model);
    const before = snapshot(state);
    await expectRejected(c, () => c.run(ready.model, ready.x, ready.y));
    assert.equal(snapshot(state), before, 'the rejected call changed the model or its optimizer');
  });
}

// A bad op in a traced function must not break the process-wide graph that every variable and
// function shares; each runs in its own process, since today it does.
// An empty list for a list-of-N input: TF's eager attr inference reads the list's first tensor.
const CRASHERS: [string, string][] = [
  ['tf.stack of no tensors', 'tf.stack([])'],
  ['tf.concat of no tensors', 'tf.concat([], 0)'],
  ['tf.rawOps.AddN of no tensors', 'tf.rawOps.AddN({ inputs: [] })'],
];

for (const [name, call] of CRASHERS) {
  test(`[eager] ${name} is an InvalidArgumentError, not a crash`, {}, () => {
    const script = `
      const tf = require(${JSON.stringify(path.resolve(__dirname, '..', 'lib'))});
      try { ${call}; console.log('no error'); } catch (e) { console.log(e.constructor.name); }`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, `the process died of ${r.signal}`);
    assert.equal(r.stdout.trim(), 'InvalidArgumentError');
  });
}

// Issue 12, items 3 and 4: shapes TF's TensorShape cannot hold, and eager attrs the OpDef refuses,
// each of which aborted the process. They run in a child process (a regression kills the child,
// not the test runner): one child runs the rows in turn, and a row that kills it is reported and
// the rest go on in a new child.
interface AbortRow {
  area: string;
  name: string;
  /** Code run in the child, with `tf` and `F` (a float32 constant) in scope. */
  call: string;
  error: string;
  message: RegExp;
}

const HUGE = '2 ** 40';
const ABORTERS: AbortRow[] = [
  {
    area: 'shape',
    name: 'tf.tensor of rank 300',
    call: 'tf.tensor([1], Array(300).fill(1))',
    error: 'RangeError',
    message: /shape \[1, 1, 1, 1, 1, 1, 1, 1, \.\.\. \(300 dims\)\] has 300 dims; TensorFlow allows at most 254/,
  },
  {
    area: 'shape',
    name: 'tf.raw.Tensor of rank 255',
    call: 'new tf.raw.Tensor(1, Array(255).fill(1), new Float32Array(1))',
    error: 'RangeError',
    message: /has 255 dims; TensorFlow allows at most 254/,
  },
  {
    area: 'shape',
    name: 'a rank-254 tensor is still accepted',
    call: 'if (tf.tensor([1], Array(254).fill(1)).rank !== 254) throw new Error("wrong rank"); throw new RangeError("accepted")',
    error: 'RangeError',
    message: /^accepted$/,
  },
  {
    area: 'shape',
    name: 'setAttrShape whose dims multiply past int64',
    call: `new tf.raw.OperationBuilder(new tf.raw.Graph(), 'Placeholder', 'p').setAttrType('dtype', 'float32').setAttrShape('shape', [${HUGE}, ${HUGE}, ${HUGE}]).finish()`,
    error: 'RangeError',
    message: /attribute 'shape' \[1099511627776, 1099511627776, 1099511627776\] has too many elements/,
  },
  {
    area: 'shape',
    name: 'setAttrShape of rank 300',
    call: "new tf.raw.OperationBuilder(new tf.raw.Graph(), 'Placeholder', 'p').setAttrType('dtype', 'float32').setAttrShape('shape', Array(300).fill(1)).finish()",
    error: 'RangeError',
    message: /attribute 'shape' \[1, 1, 1, 1, 1, 1, 1, 1, \.\.\. \(300 dims\)\] has 300 dims/,
  },
  {
    area: 'shape',
    name: 'setAttrShapeList with one shape past int64',
    call: `new tf.raw.OperationBuilder(new tf.raw.Graph(), 'FIFOQueueV2', 'q').setAttrTypeList('component_types', ['float32', 'float32']).setAttrShapeList('shapes', [[2], [-1, ${HUGE}, ${HUGE}]]).finish()`,
    error: 'RangeError',
    message: /attribute 'shapes' item \[-1, 1099511627776, 1099511627776\] has too many elements/,
  },
  {
    area: 'shape',
    name: 'a rawOp with a huge shape attr inside tf.function',
    call: `tf.function(() => tf.rawOps.Placeholder({ dtype: 'float32', shape: [${HUGE}, ${HUGE}] }))()`,
    error: 'RangeError',
    message: /attribute 'shape' \[1099511627776, 1099511627776\] has too many elements/,
  },
  {
    area: 'shape',
    name: 'an eager rawOp with a huge shape attr',
    call: `tf.rawOps.PlaceholderWithDefault({ input: F([1]), shape: [${HUGE}, ${HUGE}] })`,
    error: 'RangeError',
    message: /attribute 'shape' \[1099511627776, 1099511627776\] has too many elements/,
  },
  {
    area: 'shape',
    name: 'matmul of zero-element tensors whose product has 2^80 elements',
    call: `tf.matmul(tf.tensor([], [${HUGE}, 0], 'float32'), tf.tensor([], [0, ${HUGE}], 'float32'))`,
    error: 'InvalidArgumentError',
    message: /MatMul: output 0 would have shape \[1099511627776, 1099511627776\], which has too many elements/,
  },
  {
    area: 'shape',
    name: 'batch matmul of zero-element tensors past int64',
    call: "tf.rawOps.BatchMatMulV2({ x: tf.tensor([], [2 ** 20, 2 ** 20, 0], 'float32'), y: tf.tensor([], [2 ** 20, 0, 2 ** 40], 'float32') })",
    error: 'InvalidArgumentError',
    message: /BatchMatMulV2: output 0 would have shape \[1048576, 1048576, 1099511627776\]/,
  },
  {
    area: 'shape',
    name: 'broadcasting zero-element tensors past int64',
    call: `tf.add(tf.tensor([], [${HUGE}, 1, 0], 'float32'), tf.tensor([], [1, ${HUGE}, 0], 'float32'))`,
    error: 'InvalidArgumentError',
    message: /AddV2: output 0 would have shape \[1099511627776, 1099511627776, 0\], which has too many elements/,
  },
  {
    area: 'shape',
    name: 'a zero-element matmul TF can hold still runs',
    call: "const y = tf.matmul(tf.tensor([], [3, 0], 'float32'), tf.tensor([], [0, 2], 'float32')); throw new RangeError(JSON.stringify(y.numpy()))",
    error: 'RangeError',
    message: /^\[\[0,0\],\[0,0\],\[0,0\]\]$/,
  },
  {
    area: 'eager attrs',
    name: 'Conv2DBackpropInput without its required padding',
    call: "tf.rawOps.Conv2DBackpropInput({ inputSizes: tf.constant([1, 4, 4, 1], 'int32'), filter: F(0, [2, 2, 1, 1]), outBackprop: F(0, [1, 3, 3, 1]), strides: [1, 1, 1, 1] })",
    error: 'InvalidArgumentError',
    message: /NodeDef missing attr 'padding' from Op<name=Conv2DBackpropInput>/,
  },
  {
    area: 'eager attrs',
    name: 'Split with numSplit -1',
    call: 'tf.rawOps.Split({ splitDim: 0, value: F([1, 2]), numSplit: -1 })',
    error: 'InvalidArgumentError',
    message: /Value for attr 'num_split' of -1 must be at least minimum 1/,
  },
  {
    area: 'eager attrs',
    name: 'DynamicPartition with numPartitions -1',
    call: "tf.rawOps.DynamicPartition({ data: F([1, 2]), partitions: tf.constant([0, 0], 'int32'), numPartitions: -1 })",
    error: 'InvalidArgumentError',
    message: /Value for attr 'num_partitions' of -1 must be at least minimum 1/,
  },
  {
    area: 'eager attrs',
    name: 'Split into 10^9 outputs (a std::bad_alloc abort)',
    call: 'tf.rawOps.Split({ splitDim: 0, value: F([1, 2]), numSplit: 1e9 })',
    error: 'InvalidArgumentError',
    message: /Attr 'num_split' of 1000000000 asks for 1000000000 'output' outputs; an eager op returns at most 1048576/,
  },
  {
    area: 'eager attrs',
    name: 'a string attr outside its allowed values',
    call: "tf.rawOps.Conv2D({ input: F(0, [1, 4, 4, 1]), filter: F(0, [2, 2, 1, 1]), strides: [1, 1, 1, 1], padding: 'BOGUS' })",
    error: 'InvalidArgumentError',
    message: /Value for attr 'padding' of "BOGUS" is not in the list of allowed values: "SAME", "VALID", "EXPLICIT"/,
  },
  {
    area: 'eager attrs',
    name: 'a type attr outside its allowed values',
    call: "tf.rawOps.ArgMax({ input: F([1, 2]), dimension: 0, outputType: 'float32' })",
    error: 'InvalidArgumentError',
    message: /Value for attr 'output_type' of float32 is not in the list of allowed values: int16, uint16, int32, int64/,
  },
  {
    area: 'eager attrs',
    name: 'a list attr shorter than its minimum',
    call: "tf.rawOps.ExtractImagePatches({ images: F(0, [1, 4, 4, 1]), ksizes: [1, 2], strides: [1, 1, 1, 1], rates: [1, 1, 1, 1], padding: 'VALID' })",
    error: 'InvalidArgumentError',
    message: /Length for attr 'ksizes' of 2 must be at least minimum 4/,
  },
  {
    area: 'eager attrs',
    name: 'a list input shorter than its number attr minimum',
    call: 'tf.rawOps.ConcatV2({ values: [F([1])], axis: 0 })',
    error: 'InvalidArgumentError',
    message: /Value for attr 'N' of 1 must be at least minimum 2/,
  },
];

/** Runs the rows in child processes: { row index: 'ErrorClass: message' or 'died: <signal/code> <stderr tail>' }. */
function runAborters(rows: readonly AbortRow[]): string[] {
  const results: string[] = [];
  const lib = JSON.stringify(path.resolve(__dirname, '..', 'lib'));
  while (results.length < rows.length) {
    const from = results.length;
    const script = `
      const fs = require('node:fs');
      const tf = require(${lib});
      const F = (v, s) => tf.constant(v, 'float32', s);
      const rows = ${JSON.stringify(rows.slice(from).map((r) => r.call))};
      for (const call of rows) {
        let outcome = 'no error';
        try { eval(call); } catch (e) { outcome = e.constructor.name + ': ' + e.message; }
        fs.writeSync(1, JSON.stringify(outcome) + '\\n');
      }`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    const done = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('"'))
      .map((l) => JSON.parse(l) as string);
    results.push(...done);
    if (results.length < rows.length && r.status !== 0) {
      const why = r.signal ?? `exit ${r.status}`;
      results.push(
        `died: ${why} ${(r.stderr ?? '')
          .split('\n')
          .filter((l) => /Check failed|terminate|what\(\)/.test(l))
          .join(' ')}`,
      );
    } else if (results.length < rows.length) {
      throw new Error(`the child stopped after ${results.length} of ${rows.length} rows: ${r.stderr}`);
    }
  }
  return results;
}

let aborterResults: string[] | undefined;

for (const [i, row] of ABORTERS.entries()) {
  test(`[${row.area}] ${row.name}: ${row.error}, not an abort`, () => {
    aborterResults ??= runAborters(ABORTERS);
    const outcome = aborterResults[i];
    assert.ok(!outcome.startsWith('died'), `the process ${outcome}`);
    const colon = outcome.indexOf(': ');
    assert.equal(outcome.slice(0, colon), row.error, outcome);
    assert.match(outcome.slice(colon + 2), row.message);
  });
}

const POISONERS: [string, string][] = [
  [
    'a tf.function placed on a device that does not exist',
    "tf.function((x) => tf.device('/device:GPU:7', () => tf.add(x, 1)))(tf.constant([1], 'float32'))",
  ],
  [
    'a tf.function calling a function that does not exist',
    "tf.function((x) => tf.rawOps.StatefulPartitionedCall({ args: [x], Tout: ['float32'], f: 'no_such_function' }))(tf.constant([1], 'float32'))",
  ],
];

for (const [name, call] of POISONERS) {
  test(`[runtime] ${name} fails alone; later variables and functions still work`, () => {
    const script = `
      const tf = require(${JSON.stringify(path.resolve(__dirname, '..', 'lib'))});
      const v = new tf.Variable(tf.constant([1, 2], 'float32'));
      try { ${call}; } catch (e) { if (!(e instanceof tf.errors.InvalidArgumentError)) throw e; }
      console.log(JSON.stringify(v.numpy()));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(
      r.status,
      0,
      r.stderr
        .split('\n')
        .filter((l) => !/^[IWE]0000/.test(l))
        .join('\n')
        .slice(-600),
    );
    assert.equal(r.stdout.trim(), '[1,2]');
  });
}

test('boundary values that are valid are accepted: a zero learning rate trains nothing but counts the step', () => {
  const v = new tf.Variable(F([1, 2]));
  const opt = new tf.keras.optimizers.Adam({ learningRate: 0 });
  opt.applyGradients([[F([1, 1]), v]]);
  assert.deepEqual(v.numpy(), [1, 2]);
  assert.equal(opt.iterations.numpy(), 1);
  assert.equal(opt.learningRate.numpy(), 0);
});

test('the corpus is large enough and the process is still healthy after it', async () => {
  assert.ok(cases.length + kerasCases.length + ABORTERS.length >= 50, `${cases.length + kerasCases.length} cases`);
  assert.deepEqual(tf.add(F([1, 2]), F([3, 4])).numpy(), [4, 6]);
  const { callable } = squareGraph();
  const [out] = await callable.runAsync([hostTensor([3], undefined, 'float32')]);
  assert.deepEqual(tf.raw.readNested(out), [9]);
  out.dispose();
  const v = new tf.Variable(F([1]));
  const opt = new tf.keras.optimizers.SGD({ learningRate: 1 });
  opt.applyGradients([[F([1]), v]]);
  assert.deepEqual(v.numpy(), [0]);
  fs.rmSync(dir, { recursive: true, force: true });
});
