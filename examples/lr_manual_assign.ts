// Approach 2: assign the learning-rate variable by hand, here halving it every 3 steps.
// Ported line by line from examples/python/lr_manual_assign.py (a plain loop, no tf.function).
import * as tf from '../lib';

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
const optimizer = new tf.keras.optimizers.Adam({ learningRate: 0.1 });

for (let step = 0; step < 9; step++) {
  if (step > 0 && step % 3 === 0) {
    optimizer.learningRate.assign(optimizer.learningRate.numpy() * 0.5);
  }
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.matmul(x, w.value()), y))));
  const grads = tape.gradient(loss, [w]);
  optimizer.applyGradients(tf.zip(grads, [w]));
  console.log(`step ${step}: learning_rate=${optimizer.learningRate.numpy().toFixed(6)} loss=${(loss.numpy() as number).toFixed(4)}`);
}
