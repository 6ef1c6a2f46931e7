"""Python TensorFlow 2.21 + Keras 3 worker of bench/run.js.

  python_tf.py WORKLOAD loop|fit WARMUP STEPS   one JSON result line on stdout (protocol: README.md)
  python_tf.py --checksum                       {workload: checksum} of the data and initial weights
  python_tf.py --matmul                         TF's float32 matmul throughput, {"gflops": ...}

The PRNG, data, weights and learning rates mirror common.js exactly (run.js compares the checksums).
"""
import hashlib
import json
import math
import os
import resource
import sys
import time

import numpy as np

SPEC = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'spec.json')))


def workload(name):
    own = dict(SPEC['workloads'][name])
    base = dict(SPEC['workloads'][own.pop('like')]) if 'like' in own else {}
    return {'name': name, **base, **own}


def uniform(seed, count):
    """mulberry32 (common.js): its state is a counter, so the whole stream is computed at once."""
    a = ((seed + np.arange(1, count + 1, dtype=np.uint64) * 0x6D2B79F5) & 0xFFFFFFFF).astype(np.uint32)
    t = (a ^ (a >> 15)) * (a | 1)
    t = (t + (t ^ (t >> 7)) * (t | 61)) ^ t
    return (t ^ (t >> 14)).astype(np.float64) / 4294967296.0


def layer_shapes(w):
    shape, layers = list(w['input']), []
    for layer in w['layers']:
        kernel = None
        if layer['type'] == 'dense':
            kernel, shape = [shape[0], layer['units']], [layer['units']]
        elif layer['type'] == 'conv2d':
            k = layer['kernel']
            kernel, shape = [k, k, shape[2], layer['filters']], [shape[0] - k + 1, shape[1] - k + 1, layer['filters']]
        elif layer['type'] == 'maxpool':
            shape = [shape[0] // layer['size'], shape[1] // layer['size'], shape[2]]
        elif layer['type'] == 'flatten':
            shape = [math.prod(shape)]
        layers.append({**layer, 'kernel': kernel})
    return layers


def make_data(w):
    rows, features = SPEC['batches'] * w['batch'], math.prod(w['input'])
    outputs = w['layers'][-1]['units']
    u = uniform(SPEC['seed'] + 2, rows * features).reshape(rows, features)
    if w['data'] == 'classify':
        labels = np.floor(uniform(SPEC['seed'] + 1, rows) * outputs).astype(np.int64)
        hot = (np.arange(features)[None, :] % outputs) == labels[:, None]
        x = (0.95 * u + 0.05 * hot).astype(np.float32)
        y = np.eye(outputs, dtype=np.float32)[labels]
    else:
        x = (2 * u - 1).astype(np.float32)
        y = ((x[:, 0] * x[:, 1] + x[:, 2]) - x[:, 3]).reshape(rows, 1)
    return x.reshape([rows] + list(w['input'])), y


def initial_weights(w):
    weights = []
    for index, layer in enumerate(l for l in layer_shapes(w) if l['kernel']):
        kernel = layer['kernel']
        receptive = kernel[0] * kernel[1] if len(kernel) == 4 else 1
        limit = math.sqrt(6 / (receptive * kernel[-2] + receptive * kernel[-1]))
        u = uniform(SPEC['seed'] + 100 + index, math.prod(kernel))
        weights.append(((2 * u - 1) * limit).astype(np.float32).reshape(kernel))
        weights.append(np.zeros(kernel[-1], np.float32))
    return weights


def learning_rate(w, step):
    """Only 'assign' needs it here: 'cosine' is Keras's own CosineDecay, 'constant' a float."""
    return SPEC['adam']['learningRate'] / (1 + step / 1000)


def checksum(w):
    x, y = make_data(w)
    h = hashlib.sha256(x.tobytes())
    h.update(y.tobytes())
    for weight in initial_weights(w):
        h.update(weight.tobytes())
    return h.hexdigest()[:16]


def fit_steps(mode, steps):
    return math.ceil(steps / SPEC['batches']) * SPEC['batches'] if mode == 'fit' and steps > SPEC['batches'] else steps


def import_tf():
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    import tensorflow as tf
    import keras
    return tf, keras


def matmul_gflops(n=2048, reps=3, rounds=5):
    tf, _ = import_tf()
    a, b = tf.random.uniform((n, n)), tf.random.uniform((n, n))

    @tf.function
    def chain(a, b):
        c = a
        for _ in range(reps):
            c = tf.matmul(c, b) * (1.0 / n)
        return c

    chain(a, b).numpy()
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        chain(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return {'gflops': 2 * n ** 3 * reps / best / 1e9, 'n': n, 'tf': f'TF {tf.__version__}'}


def build(w, keras):
    model = keras.Sequential([keras.Input(shape=w['input'])])
    for layer in w['layers']:
        if layer['type'] == 'dense':
            model.add(keras.layers.Dense(layer['units'], activation=layer.get('activation')))
        elif layer['type'] == 'conv2d':
            model.add(keras.layers.Conv2D(layer['filters'], layer['kernel'], activation=layer.get('activation')))
        elif layer['type'] == 'maxpool':
            model.add(keras.layers.MaxPooling2D(layer['size']))
        elif layer['type'] == 'flatten':
            model.add(keras.layers.Flatten())
    model.set_weights(initial_weights(w))
    adam = SPEC['adam']
    lr = keras.optimizers.schedules.CosineDecay(adam['learningRate'], w['decaySteps']) \
        if w['lr'] == 'cosine' else adam['learningRate']
    optimizer = keras.optimizers.Adam(lr, beta_1=adam['beta1'], beta_2=adam['beta2'], epsilon=adam['epsilon'])
    loss = keras.losses.CategoricalCrossentropy(from_logits=True) \
        if w['loss'] == 'softmax_cross_entropy' else keras.losses.MeanSquaredError()
    return model, optimizer, loss


def run(w, mode, warmup, steps):
    tf, keras = import_tf()
    model, optimizer, loss_fn = build(w, keras)
    x, y = make_data(w)
    batch, batches = w['batch'], SPEC['batches']
    assign = w['lr'] == 'assign'
    done = 0  # optimizer updates so far: the step of learning_rate()

    if mode == 'loop':
        xs = [tf.constant(x[i * batch:(i + 1) * batch]) for i in range(batches)]
        ys = [tf.constant(y[i * batch:(i + 1) * batch]) for i in range(batches)]

        @tf.function
        def train_step(xb, yb):
            with tf.GradientTape() as tape:
                loss = loss_fn(yb, model(xb, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        def train(count):
            nonlocal done
            loss = None
            for i in range(count):
                if assign:
                    optimizer.learning_rate.assign(learning_rate(w, done))
                loss = train_step(xs[i % batches], ys[i % batches])
                done += 1
            return float(loss)
    else:
        class AssignLearningRate(keras.callbacks.Callback):
            def on_train_batch_begin(self, batch_index, logs=None):
                nonlocal done
                optimizer.learning_rate.assign(learning_rate(w, done))
                done += 1

        model.compile(optimizer=optimizer, loss=loss_fn)
        callbacks = [AssignLearningRate()] if assign else []

        def train(count):
            per_epoch = min(count, batches)
            history = model.fit(x[:per_epoch * batch], y[:per_epoch * batch], batch_size=batch,
                                epochs=count // per_epoch, shuffle=False, verbose=0, callbacks=callbacks)
            return history.history['loss'][-1]

    if warmup:
        train(warmup)
    start = time.perf_counter()
    final_loss = train(steps)
    seconds = time.perf_counter() - start
    return {
        'impl': 'python-tf', 'backend': f'tensorflow {tf.__version__} / keras {keras.__version__}',
        'workload': w['name'], 'mode': mode, 'steps': steps, 'seconds': seconds, 'stepsPerSec': steps / seconds,
        'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'finalLoss': final_loss,
    }


def main(argv):
    # Whatever TF, Keras or absl print goes to stderr: stdout carries the one result line.
    stdout = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if argv[:1] == ['--checksum']:
        result = {name: checksum(workload(name)) for name in SPEC['workloads']}
    elif argv[:1] == ['--matmul']:
        result = matmul_gflops()
    else:
        positional = [a for a in argv if not a.startswith('--')]
        if len(positional) != 4 or positional[1] not in ('loop', 'fit'):
            raise SystemExit('usage: python_tf.py WORKLOAD loop|fit WARMUP_STEPS MEASURED_STEPS')
        name, mode, warmup, steps = positional
        result = run(workload(name), mode, fit_steps(mode, int(warmup)), fit_steps(mode, int(steps)))
    stdout.write(json.dumps(result) + '\n')
    stdout.flush()


if __name__ == '__main__':
    main(sys.argv[1:])
