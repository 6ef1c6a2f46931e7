# keras.io "Customizing what happens in fit() with TensorFlow" (keras.io/guides/custom_train_step_in_tensorflow),
# its first two models, ported to tf-napi in custom_train_step.ts. Changes from the guide: the data and
# the Dense layer's initial weights come from formulas instead of np.random (so Python and Node see the
# same numbers), and fit prints one line per epoch.
import keras
import numpy as np
import tensorflow as tf
from keras import layers


class CustomModel(keras.Model):
    def train_step(self, data):
        # Unpack the data. Its structure depends on your model and
        # on what you pass to `fit()`.
        x, y = data

        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            # Compute the loss value
            # (the loss function is configured in `compile()`)
            loss = self.compute_loss(y=y, y_pred=y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply(gradients, trainable_vars)

        # Update metrics (includes the metric that tracks the loss)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)

        # Return a dict mapping metric names to current value
        return {m.name: m.result() for m in self.metrics}


class LowLevelModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data

        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            # Compute our own loss
            loss = self.loss_fn(y, y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply(gradients, trainable_vars)

        # Compute our own metrics
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        # We list our `Metric` objects here so that `reset_states()` can be
        # called automatically at the start of each epoch
        # or at the start of `evaluate()`.
        return [self.loss_tracker, self.mae_metric]


def fixed_weights(model):
    # The guide starts from random weights; fixed ones make both ports print the same numbers.
    model.layers[-1].set_weights(
        [np.array([[((j * 7) % 11) / 11 - 0.5] for j in range(32)], dtype="float32"), np.array([0.1], dtype="float32")]
    )


class PrintEpoch(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch + 1}: " + " ".join(f"{k}={logs[k]:.6f}" for k in sorted(logs)))


# The guide's data is np.random.random((1000, 32)) and np.random.random((1000, 1)).
x = np.array([[((i * 31 + j * 17) % 97) / 97 for j in range(32)] for i in range(1000)], dtype="float32")
y = np.array([[((i * 13) % 89) / 89] for i in range(1000)], dtype="float32")

# Construct and compile an instance of CustomModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
fixed_weights(model)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])

# Just use `fit` as usual
model.fit(x, y, epochs=3, shuffle=False, verbose=0, callbacks=[PrintEpoch()])

# Construct an instance of LowLevelModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = LowLevelModel(inputs, outputs)
fixed_weights(model)

# We don't pass a loss or metrics here.
model.compile(optimizer="adam")

# Just use `fit` as usual -- you can use callbacks, etc.
model.fit(x, y, epochs=5, shuffle=False, verbose=0, callbacks=[PrintEpoch()])
