// Approach 3: a LearningRateScheduler callback sets the rate at the start of every epoch of fit().
// Ported line by line from examples/python/lr_scheduler_callback.py.
import * as tf from '../lib';

async function main(): Promise<void> {
  const x = tf.constant(
    [
      [1.0, 2.0],
      [3.0, 4.0],
      [5.0, 6.0],
      [7.0, 8.0],
    ],
    'float32',
  );
  const y = tf.constant([[5.0], [11.0], [17.0], [23.0]], 'float32');

  const model = new tf.keras.Sequential([tf.keras.Input({ shape: [2] }), new tf.keras.layers.Dense({ units: 1 })]);
  model.setWeights([tf.zeros([2, 1]), tf.zeros([1])]);
  model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.1 }), loss: 'mse' });

  const schedule = (epoch: number, lr: number): number => (epoch < 2 ? lr : lr * 0.5);

  const history = await model.fit(x, y, {
    batchSize: 2,
    epochs: 5,
    shuffle: false,
    verbose: 0,
    callbacks: [new tf.keras.callbacks.LearningRateScheduler(schedule, 1)],
  });
  history.history.loss.forEach((loss, epoch) => {
    console.log(`step ${epoch}: learning_rate=${history.history.learning_rate[epoch].toFixed(6)} loss=${loss.toFixed(4)}`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
