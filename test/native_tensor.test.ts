import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { DTYPE_ENUM } from '../lib/dtypes';

const { Tensor, hostTensor, readFlat, readNested, liveTensorCount } = tf.raw;

test('every numeric dtype round-trips through its TypedArray', () => {
  const cases: [keyof typeof DTYPE_ENUM, ArrayBufferView][] = [
    ['float32', new Float32Array([1.5, -2, 3])],
    ['float64', new Float64Array([1e-300, 2, Math.PI])],
    ['int32', new Int32Array([-2147483648, 0, 2147483647])],
    ['uint8', new Uint8Array([0, 128, 255])],
    ['int16', new Int16Array([-32768, 1, 32767])],
    ['int8', new Int8Array([-128, 0, 127])],
    ['uint16', new Uint16Array([0, 1, 65535])],
    ['uint32', new Uint32Array([0, 1, 4294967295])],
    ['int64', new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n])],
    ['uint64', new BigUint64Array([0n, 1n, 2n ** 64n - 1n])],
    ['float16', new Uint16Array([0x3c00, 0xc000, 0x7bff])],
    ['bfloat16', new Uint16Array([0x3f80, 0xc000, 0x4049])],
    ['qint8', new Int8Array([-1, 0, 1])],
    ['quint8', new Uint8Array([1, 2, 3])],
    ['qint32', new Int32Array([-5, 0, 5])],
    ['complex64', new Float32Array([1, 2, 3, 4, 5, 6])],
    ['complex128', new Float64Array([1, -1, 0.5, 0, 2, 2])],
  ];
  for (const [dtype, data] of cases) {
    const t = new Tensor(DTYPE_ENUM[dtype], [3], data);
    assert.equal(t.dtype, DTYPE_ENUM[dtype], dtype);
    assert.deepEqual(t.shape, [3]);
    const out = t.data();
    assert.equal(out.constructor, data.constructor, dtype);
    assert.deepEqual(out, data, dtype);
    t.dispose();
  }
});

test('bool tensors normalise to 0/1 and read back as booleans', () => {
  const t = new Tensor(DTYPE_ENUM.bool, [3], new Uint8Array([0, 7, 1]));
  assert.deepEqual(t.data(), new Uint8Array([0, 1, 1]));
  assert.deepEqual(readFlat(t), [false, true, true]);
});

test('string tensors hold text and arbitrary bytes, short and long', () => {
  const long = 'x'.repeat(1000);
  const bytes = new Uint8Array([0, 255, 10, 0]);
  const t = new Tensor(DTYPE_ENUM.string, [2, 2], ['héllo', '', long, bytes]);
  const out = t.data() as Buffer[];
  assert.equal(out[0].toString('utf8'), 'héllo');
  assert.equal(out[1].length, 0);
  assert.equal(out[2].toString(), long);
  assert.deepEqual(new Uint8Array(out[3]), bytes);
  assert.deepEqual(
    readNested(
      hostTensor([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ),
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  );
});

test('data is read from where a view starts, and from a SharedArrayBuffer like any other', () => {
  const f = new Float32Array([1, 2, 3, 4]);
  assert.deepEqual(new Tensor(DTYPE_ENUM.float32, [2], f.subarray(2)).data(), new Float32Array([3, 4]));
  const shared = new Float32Array(new SharedArrayBuffer(12));
  shared.set([1.5, -2, 3]);
  assert.deepEqual(new Tensor(DTYPE_ENUM.float32, [3], shared).data(), new Float32Array([1.5, -2, 3]));
  const bytes = new Uint8Array(new SharedArrayBuffer(4));
  bytes.set([9, 8, 7, 6]);
  const s = new Tensor(DTYPE_ENUM.string, [2], [bytes.subarray(1, 3), bytes]).data() as Buffer[];
  assert.deepEqual([...s[0]], [8, 7]);
  assert.deepEqual([...s[1]], [9, 8, 7, 6]);
});

test('scalars and nested shapes', () => {
  const s = hostTensor(3.5);
  assert.deepEqual(s.shape, []);
  assert.equal(readNested(s), 3.5);
  const m = hostTensor([[[1, 2]], [[3, 4]], [[5, 6]]], undefined, 'float64');
  assert.deepEqual(m.shape, [3, 1, 2]);
  assert.deepEqual(readNested(m), [[[1, 2]], [[3, 4]], [[5, 6]]]);
  assert.deepEqual(hostTensor([]).shape, [0]);
  assert.deepEqual(hostTensor(0, [2, 2]).data(), new Float32Array(4));
  assert.deepEqual(readNested(hostTensor([1, 2, 3, 4, 5, 6], [2, 3])), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
});

test('dtype inference follows tfjs: numbers → float32 (JS cannot tell 1 from 1.0), Int32Array → int32, bigint → int64', () => {
  const name = (t: tf.raw.Tensor) => Object.entries(DTYPE_ENUM).find(([, v]) => v === t.dtype)?.[0];
  assert.equal(name(hostTensor([1, 2])), 'float32');
  assert.equal(name(hostTensor(new Int32Array(2))), 'int32');
  assert.equal(name(hostTensor([1, 2.5])), 'float32');
  assert.equal(name(hostTensor(true)), 'bool');
  assert.equal(name(hostTensor('a')), 'string');
  assert.equal(name(hostTensor(5n)), 'int64');
  assert.equal(name(hostTensor(new Float64Array(2))), 'float64');
  assert.deepEqual(readNested(hostTensor([1, -1], undefined, 'int64')), [1n, -1n]);
});

test('float16 and bfloat16 convert from numbers and back', () => {
  const values = [1, -2, 0.5, 65504, 0.0001];
  const half = readFlat(hostTensor(values, undefined, 'float16')) as number[];
  values.forEach((v, i) => assert.ok(Math.abs(half[i] - v) <= Math.abs(v) * 1e-3, `float16 ${v} → ${half[i]}`));
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: any value that bfloat16 rounds will do
  const bf = readFlat(hostTensor([1, -2, 3.14159], undefined, 'bfloat16')) as number[];
  assert.deepEqual(bf.slice(0, 2), [1, -2]);
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the same value as above
  assert.ok(Math.abs(bf[2] - 3.14159) < 0.02);
});

test('bad tensor data is a typed error, never a crash', () => {
  assert.throws(() => new Tensor(DTYPE_ENUM.float32, [2, 2], new Float32Array(3)), {
    name: 'RangeError',
    message: 'tensor data has 3 values but its shape needs 4',
  });
  assert.throws(() => new Tensor(DTYPE_ENUM.float32, [2], new Int32Array(2)), {
    name: 'TypeError',
    message: 'tensor data of dtype 1 must be a Float32Array, got a Int32Array',
  });
  assert.throws(() => new Tensor(DTYPE_ENUM.float32, [-1], new Float32Array(0)), { name: 'RangeError', message: /shape dimension/ });
  assert.throws(() => new Tensor(DTYPE_ENUM.float32, [1.5], new Float32Array(1)), { name: 'TypeError', message: /integer/ });
  assert.throws(() => new Tensor(DTYPE_ENUM.resource, [1], new Uint8Array(1)), tf.errors.InvalidArgumentError);
  assert.throws(() => new Tensor(DTYPE_ENUM.string, [2], ['a']), { name: 'RangeError', message: /1 values but its shape has 2/ });
  assert.throws(() => new Tensor(DTYPE_ENUM.string, [1], [3 as unknown as string]), { name: 'TypeError', message: /not a string/ });
  assert.throws(() => new Tensor(DTYPE_ENUM.float32, [1] as number[], 'abc' as unknown as Float32Array), { name: 'TypeError' });
  assert.throws(() => hostTensor([[1, 2], [3]]), { name: 'RangeError', message: /Ragged/ });
  assert.throws(() => hostTensor([1.5], undefined, 'int32'), {
    name: 'TypeError',
    message: 'Cannot convert 1.5 to a tensor of dtype int32',
  });
  assert.throws(() => hostTensor([300], undefined, 'uint8'), { name: 'TypeError', message: /300 to a tensor of dtype uint8/ });
  assert.throws(() => hostTensor([1, 2, 3], [2, 2]), { name: 'RangeError', message: 'Shape [2, 2] needs 4 values, got 3' });
  assert.throws(() => hostTensor([1, 'a'] as unknown as number[]), { name: 'TypeError', message: /Cannot mix/ });
});

test('dispose frees now, is idempotent, and later use is a FailedPreconditionError', () => {
  const before = liveTensorCount();
  const t = new Tensor(DTYPE_ENUM.float32, [1000], new Float32Array(1000));
  assert.equal(liveTensorCount(), before + 1);
  t.dispose();
  t.dispose();
  assert.equal(liveTensorCount(), before);
  assert.equal(t.disposed, true);
  assert.throws(() => t.data(), { name: 'FailedPreconditionError', message: 'Tensor is disposed' });
  assert.throws(() => t.shape, tf.errors.FailedPreconditionError);
});
