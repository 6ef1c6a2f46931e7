// Approach 1: a LearningRateSchedule subclass; the optimizer evaluates it before every update.
// Ported line by line from examples/python/lr_schedule_subclass.py.
import * as tf from '../lib';

class InverseTimeSchedule extends tf.keras.optimizers.schedules.LearningRateSchedule {
  constructor(readonly initialLearningRate: number) {
    super();
  }

  call(step: number): number {
    return this.initialLearningRate / (1.0 + step);
  }
}

const w = new tf.Variable([[0.0], [0.0]], { dtype: 'float32' });
const x = tf.constant(
  [
    [1.0, 2.0],
    [3.0, 4.0],
    [5.0, 6.0],
  ],
  'float32',
);
const y = tf.constant([[5.0], [11.0], [17.0]], 'float32');
const optimizer = new tf.keras.optimizers.Adam({ learningRate: new InverseTimeSchedule(0.1) });

const trainStep = tf.function(() => {
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.matmul(x, w.value()), y))));
  const grads = tape.gradient(loss, [w]);
  optimizer.applyGradients(tf.zip(grads, [w]));
  return loss;
});

for (let step = 0; step < 6; step++) {
  const lr = optimizer.learningRate.numpy();
  const loss = trainStep();
  console.log(`step ${step}: learning_rate=${lr.toFixed(6)} loss=${(loss.numpy() as number).toFixed(4)}`);
}
