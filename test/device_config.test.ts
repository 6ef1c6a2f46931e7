import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '../lib';

const LIB = path.resolve(__dirname, '..', 'lib');

test('listPhysicalDevices names devices as Python does', () => {
  const cpus = tf.config.listPhysicalDevices('CPU');
  assert.deepEqual(cpus[0], { name: '/physical_device:CPU:0', deviceType: 'CPU' });
  assert.equal(tf.config.listPhysicalDevices('GPU').length, 0);
});

test('tf.device places eager ops and traced ops', () => {
  const x = tf.device('/CPU:0', () => tf.rawOps.Neg({ x: tf.tensor([1]) }));
  assert.match(x.device, /device:CPU:0$/);
  const f = tf.function((y: tf.Tensor) => tf.device('/device:CPU:0', () => tf.rawOps.Neg({ x: y })));
  assert.deepEqual(f(tf.tensor([2])).numpy(), [-2]);
  assert.throws(() => tf.device('/GPU:7', () => tf.rawOps.Neg({ x: tf.tensor([1]) })), tf.errors.OpError);
  assert.throws(() => tf.device(3 as unknown as string, () => 0), { name: 'TypeError', message: 'A device name is a string, got number' });
});

test('threading is set before the first op, and refused after', () => {
  const script = `
    const tf = require(${JSON.stringify(LIB)});
    tf.config.threading.setIntraOpParallelismThreads(1);
    tf.config.threading.setInterOpParallelismThreads(2);
    const v = new tf.Variable([1, 2]);
    let late = '';
    try { tf.config.threading.setIntraOpParallelismThreads(3); } catch (e) { late = e.message; }
    console.log(JSON.stringify([tf.config.threading.getIntraOpParallelismThreads(), tf.config.threading.getInterOpParallelismThreads(), v.numpy(), late]));
  `;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [1, 2, [1, 2], 'Intra op parallelism cannot be modified after initialization.']);
  assert.throws(() => tf.config.threading.setIntraOpParallelismThreads(-1), { name: 'RangeError' });
});
