import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../lib';

const { Graph, OperationBuilder, hostTensor, Session, readNested, addGradients } = tf.raw;
type Output = tf.raw.Output;

function build(g: tf.raw.Graph, type: string, name: string, ...inputs: Output[]): Output {
  const b = new OperationBuilder(g, type, name);
  for (const input of inputs) b.addInput(input);
  return { op: b.finish(), index: 0 };
}

function placeholder(g: tf.raw.Graph, name: string): Output {
  return { op: new OperationBuilder(g, 'Placeholder', name).setAttrType('dtype', 'float32').finish(), index: 0 };
}

test('gradients of y = 3·x² + z, with null for an unconnected input', () => {
  const g = new Graph();
  const x = placeholder(g, 'x');
  const z = placeholder(g, 'z');
  const unused = placeholder(g, 'unused');
  const three = {
    op: new OperationBuilder(g, 'Const', 'three')
      .setAttrTensor('value', hostTensor(3, undefined, 'float32'))
      .setAttrType('dtype', 'float32')
      .finish(),
    index: 0,
  };
  const y = build(g, 'AddV2', 'y', build(g, 'Mul', 'mul', three, build(g, 'Square', 'sq', x)), z);
  // TF itself refuses an unreachable x; the raw helper answers null for it.
  assert.throws(() => g.addGradients([y], [x, unused]), { name: 'InvalidArgumentError', message: /unreachable from the output/ });
  const [dx, dz, dunused] = addGradients(g, [y], [x, z, unused]);
  assert.equal(dunused, null);
  assert.ok(dx && dz);
  const s = new Session(g);
  const out = s.run({
    feeds: [
      [x, hostTensor([1, -2, 0.5], undefined, 'float32')],
      [z, hostTensor([0, 0, 0], undefined, 'float32')],
    ],
    fetches: [dx, dz],
  });
  assert.deepEqual(readNested(out[0]), [6, -12, 3]);
  assert.deepEqual(readNested(out[1]), [1, 1, 1]);
});

test('initial gradients (dxs) scale the result; prefixes keep gradient graphs apart', () => {
  const g = new Graph();
  const x = placeholder(g, 'x');
  const y = build(g, 'Square', 'y', x);
  const seed = placeholder(g, 'seed');
  const [dx] = g.addGradients([y], [x], [seed], 'first');
  const [dx2] = g.addGradients([y], [x], null, 'second');
  assert.ok(dx && dx2);
  assert.ok(g.operations().some((op) => op.name.startsWith('first/')));
  assert.ok(g.operations().some((op) => op.name.startsWith('second/')));
  assert.throws(() => g.addGradients([y], [x], null, 'first'), { name: 'InvalidArgumentError', message: /prefix/ });
  const s = new Session(g);
  const [a, b] = s.run({
    feeds: [
      [x, hostTensor([2], undefined, 'float32')],
      [seed, hostTensor([10], undefined, 'float32')],
    ],
    fetches: [dx, dx2],
  });
  assert.deepEqual(readNested(a), [40]);
  assert.deepEqual(readNested(b), [4]);
});

test('an op with no registered gradient is an error naming the op type', () => {
  const g = new Graph();
  const x = placeholder(g, 'x');
  const y = build(g, 'Digamma', 'digamma', x);
  assert.throws(() => g.addGradients([y], [x]), { name: 'NotFoundError', message: /No gradient defined for op: Digamma/ });
  assert.throws(() => g.addGradients([], [x]), { name: 'RangeError', message: 'addGradients needs at least one y' });
  assert.throws(() => addGradients(g, [], [x]), { name: 'RangeError', message: 'addGradients needs at least one y' });
});

test('addGradients rejects outputs of another graph by name', () => {
  const g = new Graph();
  const other = new Graph();
  const x = placeholder(g, 'x');
  const y = build(g, 'Square', 'y', x);
  const foreign = placeholder(other, 'foreign');
  assert.throws(() => addGradients(g, [y], [foreign]), {
    name: 'InvalidArgumentError',
    message: "addGradients: x 'foreign:0' belongs to another graph",
  });
  assert.throws(() => addGradients(other, [y], [foreign]), {
    name: 'InvalidArgumentError',
    message: "addGradients: y 'y:0' belongs to another graph",
  });
});
