"""Python Keras 3 peer of bench/lstm.ts: Embedding(1000, 64) → LSTM(64) → Dense(1) over length-200
sequences, batch 32, Adam, model.fit. Prints one JSON line: {"steps_per_s": ..., ...}.

Usage: python bench/lstm_keras.py STEPS ROUNDS
"""

import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

steps, rounds = int(sys.argv[1]), int(sys.argv[2])
BATCH, LENGTH, VOCAB = 32, 200, 1000
rng = np.random.RandomState(0)
x = rng.randint(1, VOCAB, size=(BATCH * steps, LENGTH)).astype("int32")
y = (np.mean(x < VOCAB // 2, axis=1) > 0.5).astype("float32")[:, None]

keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((LENGTH,), dtype="int32"), keras.layers.Embedding(VOCAB, 64), keras.layers.LSTM(64), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x[: BATCH * 2], y[: BATCH * 2], batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
rates = []
for _ in range(rounds):
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
    rates.append(steps / (time.perf_counter() - start))
print(json.dumps({"impl": "python-keras", "keras": keras.__version__, "tf": tf.__version__, "steps_per_s": sorted(rates)[len(rates) // 2], "rounds": rates}))
