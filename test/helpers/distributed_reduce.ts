// One task of a test cluster: strategy.reduce (eager, and inside strategy.run in a tf.function) across
// the workers; prints one JSON line.
import * as tf from '../../lib';

const strategy = new tf.distribute.MultiWorkerMirroredStrategy({ communicationOptions: { timeoutSeconds: 20 } });
const task = strategy.taskId;
const value = tf.constant([task + 1, 10 * (task + 1)]);
const sum = strategy.reduce('SUM', value);
const mean = strategy.reduce('MEAN', value);
// Over the batch axis too: worker t holds t + 1 rows of (t + 1).
const rows = tf.fill([task + 1, 2], task + 1);
const meanAxis = strategy.reduce('MEAN', rows, { axis: 0 });
const step = tf.function((x: tf.Tensor) => strategy.run((v: tf.Tensor) => strategy.reduce('SUM', tf.multiply(v, 2)), { args: [x] }));
const traced = step(value);
const result = {
  replicas: strategy.numReplicasInSync,
  chief: strategy.isChief,
  sum: Array.from(sum.dataSync()),
  mean: Array.from(mean.dataSync()),
  meanAxis: Array.from(meanAxis.dataSync()),
  traced: Array.from(traced.dataSync()),
};
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
