'use strict';
// The addon's native surface, exercised once each, for scripts/valgrind-native.sh: host tensors of
// every layout, graph building (good and rejected ops), session runs sync and async, callables,
// eager ops, and dispose/close while runs are in flight. Small on purpose: valgrind runs it ~50x slower.
const path = require('node:path');
const assert = require('node:assert/strict');
const { binding } = require(path.join(__dirname, '..', 'dist', 'lib', 'native'));

const FLOAT = 1;
const INT32 = 3;
const STRING = 7;
const INT64 = 9;
const BOOL = 10;

function expectThrow(fn, code) {
  try {
    fn();
  } catch (e) {
    if (code !== undefined) assert.equal(e.code, code, e.message);
    return;
  }
  throw new Error('expected a throw');
}

function tensors() {
  const f = new binding.Tensor(FLOAT, [2, 2], new Float32Array([1, 2, 3, 4]));
  assert.deepEqual(Array.from(f.data()), [1, 2, 3, 4]);
  const s = new binding.Tensor(STRING, [3], ['a', 'a string longer than the inline buffer of a TF_TString', new Uint8Array([0, 255])]);
  assert.equal(s.data()[1].toString(), 'a string longer than the inline buffer of a TF_TString');
  const b = new binding.Tensor(BOOL, [3], new Uint8Array([0, 2, 1]));
  assert.deepEqual(Array.from(b.data()), [0, 1, 1]);
  const i = new binding.Tensor(INT64, [1], new BigInt64Array([2n ** 40n]));
  const empty = new binding.Tensor(FLOAT, [0, 3], new Float32Array(0));
  assert.equal(empty.byteLength, 0);
  expectThrow(() => new binding.Tensor(FLOAT, [3], new Float32Array(2)));
  expectThrow(() => new binding.Tensor(STRING, [2], ['a', 5]));
  for (const t of [f, s, b, i, empty]) t.dispose();
  expectThrow(() => f.data(), 9);
  // Left to the finalizer.
  new binding.Tensor(STRING, [1], ['x'.repeat(100)]);
}

function graph() {
  const g = new binding.Graph();
  const x = {
    op: g.addOperation({
      type: 'Placeholder',
      name: 'x',
      attrs: [
        ['dtype', 'type', FLOAT],
        ['shape', 'shape', [-1]],
      ],
    }),
    index: 0,
  };
  const value = new binding.Tensor(FLOAT, [3], new Float32Array([1, 2, 3]));
  const c = {
    op: g.addOperation({
      type: 'Const',
      name: 'c',
      attrs: [
        ['value', 'tensor', value],
        ['dtype', 'type', FLOAT],
      ],
    }),
    index: 0,
  };
  value.dispose();
  const y = { op: g.addOperation({ type: 'Mul', name: 'y', inputs: [x, c] }), index: 0 };
  const sum = { op: g.addOperation({ type: 'AddN', name: 'sum', inputs: [[x, y, c]] }), index: 0 };
  const v = {
    op: g.addOperation({
      type: 'VarHandleOp',
      name: 'v',
      attrs: [
        ['dtype', 'type', FLOAT],
        ['shape', 'shape', [3]],
        ['shared_name', 'string', 'v'],
      ],
    }),
    index: 0,
  };
  const assign = g.addOperation({ type: 'AssignVariableOp', name: 'assign', inputs: [v, sum], attrs: [['dtype', 'type', FLOAT]] });
  const read = {
    op: g.addOperation({ type: 'ReadVariableOp', name: 'read', inputs: [v], controlInputs: [assign], attrs: [['dtype', 'type', FLOAT]] }),
    index: 0,
  };
  assert.deepEqual(y.op.outputShape(0), [3]);
  assert.ok(y.op.attrProto('T').length > 0);
  expectThrow(() => g.addOperation({ type: 'NoSuchOp', name: 'bad' }), 3);
  expectThrow(() => g.addOperation({ type: 'Placeholder', name: 'bad2', attrs: [['dtype', 'int', 1]] }), 3);
  expectThrow(() => g.addOperation({ type: 'Placeholder', name: 'bad3', attrs: [['dtype', 'weird', 1]] }));
  const [dx] = g.addGradients([sum], [x]);
  const copy = new binding.Graph();
  copy.importGraphDef(g.toGraphDef(), 'copy');
  assert.ok(copy.operation('copy/sum') !== null);
  expectThrow(() => copy.importGraphDef(new Uint8Array([1, 2, 3])), 3);
  return { g, x, y, sum, read, dx };
}

async function sessions({ g, x, y, sum, read, dx }) {
  const session = new binding.Session(g);
  const feed = () => new binding.Tensor(FLOAT, [3], new Float32Array([1, 1, 1]));
  const f1 = feed();
  const outs = session.run([x], [f1], [y, sum, read, dx], []);
  assert.deepEqual(Array.from(outs[2].data()), [3, 5, 7]);
  for (const t of [f1, ...outs]) t.dispose();
  const callable = new binding.Callable(session, [x], [sum], []);
  for (let k = 0; k < 5; ++k) {
    const f = feed();
    const [out] = callable.run([f]);
    f.dispose();
    out.dispose();
  }
  // Feeds disposed while their runs are in flight stay alive until the runs end.
  const pending = [];
  for (let k = 0; k < 4; ++k) {
    const f = feed();
    pending.push(callable.runAsync([f]));
    f.dispose();
  }
  for (const [out] of await Promise.all(pending)) out.dispose();
  const bad = new binding.Tensor(INT32, [3], new Int32Array(3));
  await assert.rejects(callable.runAsync([bad]), (e) => e.code === 3);
  expectThrow(() => session.run([x], [bad], [y], []), 3);
  bad.dispose();
  // Closing with runs in flight: a computing run finishes, one not yet started is cancelled; later runs fail.
  const inFlight = session.runAsync([x], [feed()], [sum], []);
  session.close();
  const late = await inFlight.catch((e) => {
    assert.equal(e.code, 1);
    return [];
  });
  for (const t of late) t.dispose();
  expectThrow(() => callable.run([feed()]), 9);
  expectThrow(() => session.runAsync([x], [feed()], [sum], []), 9);
}

function eager() {
  const t = new binding.Tensor(FLOAT, [2], new Float32Array([3, 4]));
  const h = new binding.TensorHandle(t);
  t.dispose();
  const [[z]] = binding.eagerExecute({ type: 'AddV2', inputs: [h, h], attrs: [], outputs: ['z'] });
  const resolved = z.resolve();
  assert.deepEqual(Array.from(resolved.data()), [6, 8]);
  resolved.dispose();
  const [[sum]] = binding.eagerExecute({ type: 'AddN', inputs: [[h, z, h]], attrs: [], outputs: ['sum'] });
  const parts = binding.eagerExecute({ type: 'Unpack', inputs: [sum], attrs: [['num', 'int', 2]], outputs: ['output'] });
  assert.equal(parts[0].length, 2);
  expectThrow(() => binding.eagerExecute({ type: 'NoSuchOp', inputs: [], attrs: [], outputs: ['y'] }), 5);
  expectThrow(() => binding.eagerExecute({ type: 'MatMul', inputs: [h, h], attrs: [], outputs: ['product'] }), 3);
  // The shape function first (TFE_InferShapes): asked for, and forced by huge empty inputs.
  const [[inferred]] = binding.eagerExecute({ type: 'AddV2', inputs: [h, z], attrs: [], outputs: ['z'], inferShapes: true });
  const huge = (shape) => {
    const empty = new binding.Tensor(FLOAT, shape, new Float32Array(0));
    const handle = new binding.TensorHandle(empty);
    empty.dispose();
    return handle;
  };
  const [a, b] = [huge([2 ** 40, 0]), huge([0, 2 ** 40])];
  expectThrow(() => binding.eagerExecute({ type: 'MatMul', inputs: [a, b], attrs: [], outputs: ['product'] }), 3);
  // An empty list input adds no input (its attr is given).
  const [[text]] = binding.eagerExecute({
    type: 'StringFormat',
    inputs: [[]],
    attrs: [
      ['T', 'list(type)', []],
      ['template', 'string', 'no inputs'],
    ],
    outputs: ['output'],
  });
  const formatted = text.resolve();
  assert.equal(formatted.data()[0].toString(), 'no inputs');
  formatted.dispose();
  for (const handle of [h, z, sum, inferred, a, b, text, ...parts[0]]) handle.dispose();
  expectThrow(() => h.resolve(), 9);
}

/** A SavedModel session (TF_LoadSessionFromSavedModel) and an unstarted gRPC server (TF_NewServer, the bind redirect). */
function savedModelAndServer() {
  const g = new binding.Graph();
  const dir = path.join(__dirname, '..', 'test', 'fixtures', 'saved_model', 'keras_mlp');
  const loaded = new binding.Session(g, undefined, dir, ['serve']);
  assert.ok(loaded.metaGraphDef.length > 0);
  assert.ok(g.numOperations > 0);
  loaded.close();
  expectThrow(() => new binding.Session(new binding.Graph(), undefined, dir, ['no-such-tag']), 5);
  const { encodeServerDef } = require(path.join(__dirname, '..', 'dist', 'lib', 'proto'));
  const def = encodeServerDef({ cluster: { worker: ['127.0.0.1:0'] }, jobName: 'worker', taskIndex: 0 });
  const server = new binding.Server(def, '127.0.0.1', 0);
  assert.match(server.target, /^grpc:\/\//);
  server.stop();
}

async function main() {
  tensors();
  await sessions(graph());
  eager();
  savedModelAndServer();
  global.gc?.();
  console.log(`valgrind-native: done; live tensors ${binding.liveTensorCount()}, handles ${binding.liveHandleCount()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
