import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { binding } from '../lib/native';

const { hostTensor } = tf.raw;

function handle(values: Parameters<typeof hostTensor>[0], dtype?: tf.DType) {
  const t = hostTensor(values, undefined, dtype);
  const h = new binding.TensorHandle(t);
  t.dispose();
  return h;
}

test('eager ops run through TFE and group outputs by output arg', () => {
  const x = handle([1, 2, 2, 5], 'float32');
  const [[sum]] = binding.eagerExecute({ type: 'AddV2', inputs: [x, x], attrs: [], outputs: ['z'] });
  assert.deepEqual(sum.shape, [4]);
  assert.match(sum.device, /CPU:0$/);
  assert.deepEqual(sum.resolve().data(), new Float32Array([2, 4, 4, 10]));
  const [[y], [idx]] = binding.eagerExecute({ type: 'Unique', inputs: [x], attrs: [['out_idx', 'type', 9]], outputs: ['y', 'idx'] });
  assert.deepEqual(y.resolve().data(), new Float32Array([1, 2, 5]));
  assert.deepEqual(idx.resolve().data(), new BigInt64Array([0n, 1n, 1n, 2n]));
  const axis = handle(0, 'int32');
  const [parts] = binding.eagerExecute({ type: 'Split', inputs: [axis, x], attrs: [['num_split', 'int', 2]], outputs: ['output'] });
  assert.equal(parts.length, 2);
  assert.deepEqual(parts[1].resolve().data(), new Float32Array([2, 5]));
  const list = binding.eagerExecute({ type: 'AddN', inputs: [[x, x, x]], attrs: [], outputs: ['sum'] });
  assert.deepEqual(list[0][0].resolve().data(), new Float32Array([3, 6, 6, 15]));
});

test('eager errors are typed and disposed handles are rejected', () => {
  const x = handle([1, 2], 'float32');
  assert.throws(() => binding.eagerExecute({ type: 'MatMul', inputs: [x, x], attrs: [], outputs: ['product'] }), {
    name: 'InvalidArgumentError',
    message: /must be rank 2|ndims must be >= 2/,
  });
  assert.throws(() => binding.eagerExecute({ type: 'NoSuchOp', inputs: [], attrs: [], outputs: [] }), tf.errors.NotFoundError);
  assert.throws(
    () => binding.eagerExecute({ type: 'AddV2', inputs: [x, handle([1, 2], 'int32')], attrs: [], outputs: ['z'] }),
    tf.errors.InvalidArgumentError,
  );
  assert.throws(() => binding.eagerExecute({ type: 'AddV2', inputs: [x, {} as never], attrs: [], outputs: ['z'] }), {
    name: 'TypeError',
    message: 'input must be a native TensorHandle',
  });
  const before = binding.liveHandleCount();
  x.dispose();
  assert.equal(binding.liveHandleCount(), before - 1);
  assert.throws(() => x.shape, { name: 'FailedPreconditionError', message: 'Tensor is disposed' });
  assert.throws(() => binding.eagerExecute({ type: 'Neg', inputs: [x], attrs: [], outputs: ['y'] }), tf.errors.FailedPreconditionError);
});

test('the eager context lists its devices and refuses late configuration', () => {
  assert.ok(binding.eagerListDevices().some((d) => d.type === 'CPU'));
  assert.throws(() => binding.eagerConfigure(new Uint8Array()), {
    name: 'FailedPreconditionError',
    message: /already initialized/,
  });
});

test('graph and eager ops read their shared spec fields alike (one parser: native/op_spec.h)', () => {
  const g = new binding.Graph();
  const x = handle([1], 'float32');
  const graphOp = (spec: object) => g.addOperation({ name: `n${g.operations().length}`, ...spec } as never);
  const eagerOp = (spec: object) => binding.eagerExecute({ attrs: [], outputs: [], ...spec } as never);
  for (const run of [graphOp, eagerOp]) {
    assert.throws(() => run({ type: 5 }), { name: 'TypeError', message: 'op type must be a string or Uint8Array' });
    assert.throws(() => run({ type: 'NoOp', device: 5 }), { name: 'TypeError', message: 'device must be a string or Uint8Array' });
    assert.throws(() => run({ type: 'NoOp', inputs: {} }), { name: 'TypeError', message: 'inputs must be an array' });
    assert.throws(() => run({ type: 'NoOp', attrs: {} }), { name: 'TypeError', message: 'attrs must be an array' });
    run({ type: new TextEncoder().encode('NoOp'), inputs: null, attrs: null, device: null });
  }
  assert.throws(() => eagerOp({ type: 'AddN', inputs: [[x, 1]] }), {
    name: 'TypeError',
    message: 'list input must be a native TensorHandle',
  });
  assert.throws(() => graphOp({ type: 'AddN', inputs: [[1]] }), { name: 'TypeError', message: 'list input must be an {op, index} output' });
});
