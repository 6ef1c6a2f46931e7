import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { decodeAttrValue, decodeOpList, encodeAttrValue, encodeConfigProto } from '../lib/proto';

const repoRoot = path.join(__dirname, '..', '..');
const addon = require(path.join(repoRoot, 'build/Release/tf_napi.node')) as { opList(): Uint8Array };

/** An independent reader of the vendored protos, to check what lib/proto.ts writes. */
function protoType(name: string): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(repoRoot, 'proto', target);
  root.loadSync('tensorflow/core/protobuf/config.proto');
  return root.resolveAll().lookupType(name);
}

test('decodeOpList reads the registry of the linked libtensorflow', () => {
  const { op } = decodeOpList(addon.opList());
  assert.ok(op.length > 1000, `only ${op.length} ops`);
  const matMul = op.find((o) => o.name === 'MatMul');
  assert.ok(matMul);
  assert.deepEqual(
    matMul.inputArg.map((a) => [a.name, a.typeAttr]),
    [
      ['a', 'T'],
      ['b', 'T'],
    ],
  );
  assert.deepEqual(
    matMul.outputArg.map((a) => a.name),
    ['product'],
  );
  const transposeA = matMul.attr.find((a) => a.name === 'transpose_a');
  assert.equal(transposeA?.type, 'bool');
  assert.deepEqual(transposeA?.defaultValue, { b: false, value: 'b' });
  const t = matMul.attr.find((a) => a.name === 'T');
  assert.equal(t?.defaultValue, null);
  assert.ok(t?.allowedValues?.list?.type.includes('DT_FLOAT'));
  assert.equal(matMul.isStateful, false);

  const assign = op.find((o) => o.name === 'Assign');
  assert.equal(assign?.inputArg[0].isRef, true);
  const split = op.find((o) => o.name === 'Split');
  assert.equal(split?.outputArg[0].numberAttr, 'num_split');
  assert.equal(split?.inputArg[0].type, 'DT_INT32');
});

test('encodeConfigProto writes only the options given', () => {
  assert.equal(encodeConfigProto({}).length, 0);
  // Field 2 (intra_op_parallelism_threads), varint 2.
  assert.deepEqual([...encodeConfigProto({ intraOpParallelismThreads: 2 })], [0x10, 0x02]);

  const bytes = encodeConfigProto({
    intraOpParallelismThreads: 4,
    interOpParallelismThreads: 2,
    allowSoftPlacement: true,
    logDevicePlacement: false,
    gpuAllowGrowth: true,
    gpuMemoryFraction: 0.5,
    deviceCount: { CPU: 1, GPU: 0 },
    placePrunedGraph: true,
  });
  const ConfigProto = protoType('tensorflow.ConfigProto');
  const decoded = ConfigProto.toObject(ConfigProto.decode(bytes), { longs: Number });
  assert.deepEqual(decoded, {
    intraOpParallelismThreads: 4,
    interOpParallelismThreads: 2,
    allowSoftPlacement: true,
    logDevicePlacement: false,
    gpuOptions: { allowGrowth: true, perProcessGpuMemoryFraction: 0.5 },
    deviceCount: { CPU: 1, GPU: 0 },
    graphOptions: { placePrunedGraph: true },
  });
});

test('encodeConfigProto rejects values TF would misread', () => {
  assert.throws(() => encodeConfigProto({ intraOpParallelismThreads: 1.5 }), {
    name: 'RangeError',
    message: 'intraOpParallelismThreads must be a non-negative integer, got 1.5',
  });
  assert.throws(() => encodeConfigProto({ deviceCount: { GPU: 0.5 } }), TypeError);
  assert.throws(() => encodeConfigProto({ gpuMemoryFraction: 0 }), RangeError);
  assert.throws(() => encodeConfigProto({ gpuMemoryFraction: Number.NaN }), RangeError);
});

test('AttrValue round trip, scalars and a list of funcs', () => {
  assert.deepEqual(decodeAttrValue(encodeAttrValue({ i: -3 })), { i: -3, value: 'i' });
  assert.deepEqual(decodeAttrValue(encodeAttrValue({ type: 'DT_HALF' })), { type: 'DT_HALF', value: 'type' });
  assert.deepEqual(decodeAttrValue(encodeAttrValue({ shape: { unknownRank: true } })).shape, { dim: [], unknownRank: true });
  assert.equal(Buffer.from(decodeAttrValue(encodeAttrValue({ s: Buffer.from('SAME') })).s ?? []).toString(), 'SAME');

  const funcs = encodeAttrValue({
    list: {
      func: [
        { name: 'then_branch', attr: { T: { type: 'DT_FLOAT' }, N: { i: 2 } } },
        { name: 'else_branch', attr: {} },
      ],
    },
  });
  const decoded = decodeAttrValue(funcs);
  assert.equal(decoded.value, 'list');
  assert.deepEqual(
    decoded.list?.func.map((f) => f.name),
    ['then_branch', 'else_branch'],
  );
  assert.deepEqual(decoded.list?.func[0].attr, { T: { type: 'DT_FLOAT', value: 'type' }, N: { i: 2, value: 'i' } });
  assert.deepEqual(decoded.list?.func[1].attr, {});
  // Re-encoding the decoded object gives the same bytes.
  assert.deepEqual(encodeAttrValue(decoded), funcs);
});
