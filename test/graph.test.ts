import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';
import { decodeAttrValue, decodeOpList } from '../lib/proto';

const { Graph, OperationBuilder, hostTensor, Session, readNested } = tf.raw;
type Graph = tf.raw.Graph;

function placeholder(g: Graph, name: string, dtype: tf.DType = 'float32', shape: number[] | null = null) {
  return new OperationBuilder(g, 'Placeholder', name).setAttrType('dtype', dtype).setAttrShape('shape', shape).finish();
}

function constant(g: Graph, name: string, values: Parameters<typeof hostTensor>[0], dtype: tf.DType = 'float32') {
  const t = hostTensor(values, undefined, dtype);
  const op = new OperationBuilder(g, 'Const', name).setAttrTensor('value', t).setAttrType('dtype', dtype).finish();
  t.dispose();
  return op;
}

test('every attribute kind reaches the NodeDef', () => {
  const g = new Graph();
  const x = placeholder(g, 'x', 'float32', [-1, 4, 4, 1]);
  assert.deepEqual(x.outputShape(0), [-1, 4, 4, 1]);
  assert.equal(decodeAttrValue(x.attrProto('dtype')).type, 'DT_FLOAT');

  const pool = new OperationBuilder(g, 'MaxPool', 'pool')
    .addInput({ op: x, index: 0 })
    .setAttrIntList('ksize', [1, 2, 2, 1])
    .setAttrIntList('strides', [1, 2, 2, 1])
    .setAttrString('padding', 'VALID')
    .finish();
  assert.deepEqual(decodeAttrValue(pool.attrProto('ksize')).list!.i, [1, 2, 2, 1]);
  assert.equal(Buffer.from(decodeAttrValue(pool.attrProto('padding')).s!).toString(), 'VALID');
  assert.deepEqual(pool.outputShape(0), [-1, 2, 2, 1]);

  const leaky = new OperationBuilder(g, 'LeakyRelu', 'leaky').addInput({ op: x, index: 0 }).setAttrFloat('alpha', 0.25).finish();
  assert.equal(decodeAttrValue(leaky.attrProto('alpha')).f, 0.25);

  const bucket = new OperationBuilder(g, 'Bucketize', 'bucket')
    .addInput({ op: x, index: 0 })
    .setAttrFloatList('boundaries', [0, 0.5, 1])
    .finish();
  assert.deepEqual(decodeAttrValue(bucket.attrProto('boundaries')).list!.f, [0, 0.5, 1]);

  const queue = new OperationBuilder(g, 'FIFOQueueV2', 'queue')
    .setAttrTypeList('component_types', ['float32', 'int64'])
    .setAttrShapeList('shapes', [[2], null])
    .setAttrInt('capacity', 7)
    .setAttrString('shared_name', 'q')
    .finish();
  const shapes = decodeAttrValue(queue.attrProto('shapes')).list!.shape;
  assert.deepEqual(
    shapes[0].dim.map((d: { size: number }) => d.size),
    [2],
  );
  assert.equal(shapes[1].unknownRank, true);
  assert.deepEqual(decodeAttrValue(queue.attrProto('component_types')).list!.type, ['DT_FLOAT', 'DT_INT64']);
  assert.equal(decodeAttrValue(queue.attrProto('capacity')).i, 7);

  const sizes = constant(g, 'sizes', [[1]], 'int32');
  const encode = new OperationBuilder(g, 'EncodeProto', 'encode')
    .addInput({ op: sizes, index: 0 })
    .addInputList([{ op: constant(g, 'field', [[1.5]]), index: 0 }])
    .setAttrStringList('field_names', ['value'])
    .setAttrString('message_type', 'tensorflow.AttrValue')
    .finish();
  assert.deepEqual(
    decodeAttrValue(encode.attrProto('field_names')).list!.s.map((b: Uint8Array) => Buffer.from(b).toString()),
    ['value'],
  );
  assert.equal(encode.inputListLength('values'), 1);

  const matmul = new OperationBuilder(g, 'MatMul', 'mm')
    .addInput({ op: constant(g, 'a', [[1, 2]]), index: 0 })
    .addInput({ op: constant(g, 'b', [[3], [4]]), index: 0 })
    .setAttrBool('transpose_a', false)
    .setAttrValueProto('transpose_b', new Uint8Array([0x28, 0x00])) // AttrValue{b: false}
    .finish();
  assert.equal(decodeAttrValue(matmul.attrProto('transpose_a')).b, false);
  assert.equal(decodeAttrValue(matmul.attrProto('transpose_b')).b, false);

  // A func attr must name a function of the graph's library: import one, empty, named 'some_function'
  // (GraphDef.library = field 2, FunctionDefLibrary.function = 1, FunctionDef.signature = 1, OpDef.name = 1).
  const field = (tag: number, bytes: Uint8Array) => Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
  g.importGraphDef(field(0x12, field(0x0a, field(0x0a, field(0x0a, Buffer.from('some_function'))))));
  const call = new OperationBuilder(g, 'StatefulPartitionedCall', 'call')
    .addInputList([])
    .setAttrTypeList('Tin', [])
    .setAttrTypeList('Tout', [])
    .setAttrFuncName('f', 'some_function')
    .finish();
  assert.equal(decodeAttrValue(call.attrProto('f')).func!.name, 'some_function');

  // No registered op takes list(bool) or list(tensor): TF still sees them, typed, and says so.
  assert.throws(
    () =>
      new OperationBuilder(g, 'MatMul', 'bad_list')
        .addInput({ op: x, index: 0 })
        .addInput({ op: x, index: 0 })
        .setAttrBoolList('transpose_a', [true])
        .finish(),
    { name: 'InvalidArgumentError', message: /list\(bool\)/ },
  );
  const t = hostTensor([1]);
  assert.throws(
    () => new OperationBuilder(g, 'Const', 'bad_tlist').setAttrTensorList('value', [t]).setAttrType('dtype', 'int32').finish(),
    { name: 'InvalidArgumentError', message: /list\(tensor\)/ },
  );
});

test('control inputs, device and colocation', () => {
  const g = new Graph();
  const a = constant(g, 'a', 1);
  const b = new OperationBuilder(g, 'Const', 'b')
    .setAttrTensor('value', hostTensor(2, undefined, 'int32'))
    .setAttrType('dtype', 'int32')
    .addControlInput(a)
    .setDevice('/device:CPU:0')
    .colocateWithOp(a)
    .finish();
  assert.deepEqual(
    b.controlInputs().map((op) => op.name),
    ['a'],
  );
  assert.equal(b.device, '/device:CPU:0');
  assert.deepEqual(
    decodeAttrValue(b.attrProto('_class')).list!.s.map((s: Uint8Array) => Buffer.from(s).toString()),
    ['loc:@a'],
  );
});

test('find, iterate, inputs, output dtype and static shape', () => {
  const g = new Graph();
  const a = constant(g, 'a', [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = placeholder(g, 'b', 'float32', [3, -1]);
  const mm = new OperationBuilder(g, 'MatMul', 'mm').addInput({ op: a, index: 0 }).addInput({ op: b, index: 0 }).finish();
  assert.equal(g.operation('mm')?.type, 'MatMul');
  assert.equal(g.operation('missing'), null);
  assert.deepEqual(
    g
      .operations()
      .map((op) => op.name)
      .sort(),
    ['a', 'b', 'mm'],
  );
  assert.equal(mm.numInputs, 2);
  assert.equal(mm.numOutputs, 1);
  assert.equal(mm.input(1).op.name, 'b');
  assert.equal(mm.outputType(0), 1);
  assert.deepEqual(mm.outputShape(0), [2, -1]);
  assert.equal(placeholder(g, 'c').outputShape(0), null);
  assert.throws(() => mm.outputType(1), { name: 'OutOfRangeError', message: "operation 'mm' has 1 outputs, not an output 1" });
  assert.throws(() => mm.input(2), tf.errors.OutOfRangeError);
  const unique = new OperationBuilder(g, 'Unique', 'u').addInput({ op: constant(g, 'v', [1, 1, 2]), index: 0 }).finish();
  assert.equal(unique.numOutputs, 2);
  assert.equal(unique.outputListLength('y'), 1);
});

test('GraphDef export and import under a prefix', () => {
  const g = new Graph();
  const a = constant(g, 'a', [1, 2]);
  new OperationBuilder(g, 'Neg', 'neg').addInput({ op: a, index: 0 }).finish();
  const def = g.toGraphDef();
  assert.ok(def.length > 20);
  const h = new Graph();
  h.importGraphDef(def, 'imported');
  const neg = h.operation('imported/neg');
  assert.ok(neg);
  const s = new Session(h);
  assert.deepEqual(readNested(s.run({ fetches: [{ op: neg, index: 0 }] })[0]), [-1, -2]);
  assert.throws(() => h.importGraphDef(new Uint8Array([1, 2, 3])), tf.errors.InvalidArgumentError);
});

test('the op registry is available as a serialized OpList', () => {
  const ops = decodeOpList(tf.raw.opList()).op as { name: string }[];
  assert.ok(ops.length > 1000, `${ops.length} ops`);
  assert.ok(ops.some((op) => op.name === 'ResourceApplyAdam'));
});

test('bad operations are typed errors', () => {
  const g = new Graph();
  const x = placeholder(g, 'x');
  const i = placeholder(g, 'i', 'int32');
  assert.throws(() => new OperationBuilder(g, 'NoSuchOp', 'n').finish(), {
    name: 'InvalidArgumentError',
    message: /Op type not registered 'NoSuchOp'/,
  });
  assert.throws(
    () =>
      new OperationBuilder(g, 'MatMul', 'm')
        .addInput({ op: x, index: 0 })
        .addInput({ op: x, index: 0 })
        .setAttrInt('transpose_a', 1)
        .finish(),
    {
      name: 'InvalidArgumentError',
      message: /transpose_a.*'int' when 'bool' expected|AttrValue had value with type 'int' when 'bool' expected/,
    },
  );
  assert.throws(() => new OperationBuilder(g, 'AddV2', 'add').addInput({ op: x, index: 0 }).addInput({ op: i, index: 0 }).finish(), {
    name: 'InvalidArgumentError',
    message: /Inconsistent values for attr 'T' DT_FLOAT vs. DT_INT32/,
  });
  assert.throws(() => placeholder(g, 'x'), { name: 'InvalidArgumentError', message: /Duplicate node name in graph: 'x'/ });
  const other = new Graph();
  assert.throws(() => new OperationBuilder(other, 'Neg', 'n').addInput({ op: x, index: 0 }).finish(), {
    name: 'InvalidArgumentError',
    message: "operation 'x' belongs to a different graph",
  });
  assert.throws(() => new OperationBuilder(g, 'Neg', 'n2').addInput({ op: x, index: 3 }).finish(), tf.errors.OutOfRangeError);
  assert.throws(() => g.addOperation({ type: 'Neg', name: 'n3', attrs: [['T', 'mystery', 1]] }), {
    name: 'TypeError',
    message: /unknown attribute kind 'mystery'/,
  });
  assert.throws(() => g.addOperation({ type: 'Neg', name: 'n4', inputs: [{ op: {} as tf.raw.Operation, index: 0 }] }), {
    name: 'TypeError',
    message: 'expected a native Operation',
  });
  const builder = new OperationBuilder(g, 'NoOp', 'noop');
  builder.finish();
  assert.throws(() => builder.finish(), /already finished/);
  // The graph is still usable after every rejected operation.
  assert.equal(g.operations().length, 3);
});
