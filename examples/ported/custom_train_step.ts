// keras.io "Customizing what happens in fit() with TensorFlow", its first two models, ported line by
// line from custom_train_step.py (beside this file). `with tf.GradientTape() as tape:` is
// `tape.record(() => ...)`, `self(x, training=True)` is `this.apply(x, {training: true})`, and
// keyword arguments are one options object.
import * as tf from '../../lib';

class CustomModel extends tf.keras.Model {
  override trainStep(data: tf.keras.StepData): Record<string, tf.Tensor> {
    // Unpack the data. Its structure depends on your model and
    // on what you pass to `fit()`.
    const [x, y] = data;

    const tape = new tf.GradientTape();
    const { yPred, loss } = tape.record(() => {
      const yPred = this.apply(x, { training: true }); // Forward pass
      // Compute the loss value
      // (the loss function is configured in `compile()`)
      const loss = this.computeLoss({ y, yPred });
      return { yPred, loss };
    });

    // Compute gradients
    const trainableVars = this.trainableVariables;
    const gradients = tape.gradient(loss, trainableVars);

    // Update weights
    this.optimizer.apply(gradients, trainableVars);

    // Update metrics (includes the metric that tracks the loss)
    for (const metric of this.metrics) {
      if (metric.name === 'loss') metric.updateState(loss);
      else metric.updateState(y, yPred);
    }

    // Return a dict mapping metric names to current value
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

class LowLevelModel extends tf.keras.Model {
  lossTracker = new tf.keras.metrics.Mean({ name: 'loss' });
  maeMetric = new tf.keras.metrics.MeanAbsoluteError({ name: 'mae' });
  lossFn = new tf.keras.losses.MeanSquaredError();

  override trainStep(data: tf.keras.StepData): Record<string, tf.Tensor> {
    const [x, y] = data;

    const tape = new tf.GradientTape();
    const { yPred, loss } = tape.record(() => {
      const yPred = this.apply(x, { training: true }); // Forward pass
      // Compute our own loss
      const loss = this.lossFn.apply(y, yPred);
      return { yPred, loss };
    });

    // Compute gradients
    const trainableVars = this.trainableVariables;
    const gradients = tape.gradient(loss, trainableVars);

    // Update weights
    this.optimizer.apply(gradients, trainableVars);

    // Compute our own metrics
    this.lossTracker.updateState(loss);
    this.maeMetric.updateState(y, yPred);
    return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
  }

  override get metrics(): tf.keras.metrics.Metric[] {
    // We list our `Metric` objects here so that `resetStates()` can be
    // called automatically at the start of each epoch
    // or at the start of `evaluate()`.
    return [this.lossTracker, this.maeMetric];
  }
}

function fixedWeights(model: tf.keras.Model): void {
  // The guide starts from random weights; fixed ones make both ports print the same numbers.
  (model.layers.at(-1) as tf.keras.layers.Layer).setWeights([
    tf.constant(Array.from({ length: 32 }, (_, j) => [((j * 7) % 11) / 11 - 0.5])),
    tf.constant([0.1]),
  ]);
}

class PrintEpoch extends tf.keras.callbacks.Callback {
  override onEpochEnd(epoch: number, logs: Record<string, number> = {}): void {
    // tf-napi's fit also logs `learning_rate` each epoch (docs/PORTING.md); Keras does not here.
    const keys = Object.keys(logs)
      .filter((k) => k !== 'learning_rate')
      .sort();
    console.log(`epoch ${epoch + 1}: ${keys.map((k) => `${k}=${logs[k].toFixed(6)}`).join(' ')}`);
  }
}

// The guide's data is np.random.random((1000, 32)) and np.random.random((1000, 1)).
const x = tf.constant(Array.from({ length: 1000 }, (_, i) => Array.from({ length: 32 }, (_, j) => ((i * 31 + j * 17) % 97) / 97)));
const y = tf.constant(Array.from({ length: 1000 }, (_, i) => [((i * 13) % 89) / 89]));

async function main(): Promise<void> {
  // Construct and compile an instance of CustomModel
  let inputs = tf.keras.Input([32]);
  let outputs = new tf.keras.layers.Dense(1).apply(inputs);
  let model: tf.keras.Model = new CustomModel({ inputs, outputs });
  fixedWeights(model);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });

  // Just use `fit` as usual
  await model.fit(x, y, { epochs: 3, shuffle: false, verbose: 0, callbacks: [new PrintEpoch()] });

  // Construct an instance of LowLevelModel
  inputs = tf.keras.Input([32]);
  outputs = new tf.keras.layers.Dense(1).apply(inputs);
  model = new LowLevelModel({ inputs, outputs });
  fixedWeights(model);

  // We don't pass a loss or metrics here.
  model.compile({ optimizer: 'adam' });

  // Just use `fit` as usual -- you can use callbacks, etc.
  await model.fit(x, y, { epochs: 5, shuffle: false, verbose: 0, callbacks: [new PrintEpoch()] });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
