"""Writes test/fixtures/random.json: what TensorFlow and Keras 3 draw for fixed seeds.

Run with the project's reference venv (TensorFlow 2.21 / Keras 3):

    .venv/bin/python scripts/random_reference.py

tf.random.stateless_* and Keras' seeded random ops and initializers are Philox draws fixed by the
seed, so tf-napi must reproduce these numbers exactly (on the CPU: `alg="auto_select"` is Philox
there). Every value is widened to a Python float, so the JSON holds each one exactly.
"""

# keras_reference sets the environment (TensorFlow backend, quiet logs) before importing Keras.
from keras_reference import reference_versions, write_fixture

import keras
import numpy as np
import tensorflow as tf


def flat(tensor):
    return [v.item() if isinstance(v, np.integer) else float(v) for v in np.asarray(tensor).reshape(-1)]


# (function, shape, seed pair, options): options use the TypeScript names.
STATELESS_CASES = [
    ("normal", [2, 3], [3, 7], {}),
    ("normal", [5], [0, 0], {"mean": 2.5, "stddev": 0.5}),
    ("normal", [4], [-5, 123456789], {"dtype": "float64"}),
    ("normal", [4], [2**40, -(2**35)], {}),
    ("normal", [3], [2147483647, -2147483648], {"dtype": "float16"}),
    ("normal", [3], [11, 12], {"dtype": "bfloat16", "mean": -1.0, "stddev": 3.0}),
    ("normal", [], [1, 2], {}),
    ("uniform", [2, 4], [3, 7], {}),
    ("uniform", [6], [42, 0], {"minval": -2.0, "maxval": 0.5}),
    ("uniform", [4], [9, 9], {"minval": 1.0, "maxval": 1e6, "dtype": "float64"}),
    ("uniform", [8], [1, 0], {"minval": -3, "maxval": 4, "dtype": "int32"}),
    ("uniform", [5], [77, 88], {"minval": -(2**40), "maxval": 2**41, "dtype": "int64"}),
    ("truncated_normal", [2, 3], [3, 7], {}),
    ("truncated_normal", [6], [100, 200], {"mean": 1.0, "stddev": 2.0, "dtype": "float64"}),
]

STATELESS_FUNCTIONS = {
    "normal": tf.random.stateless_normal,
    "uniform": tf.random.stateless_uniform,
    "truncated_normal": tf.random.stateless_truncated_normal,
}


def stateless_cases():
    cases = []
    for fn, shape, seed, options in STATELESS_CASES:
        kwargs = dict(options)
        kwargs.setdefault("dtype", "float32")
        seed_dtype = tf.int64 if any(abs(s) >= 2**31 - 1 for s in seed) else tf.int32
        values = STATELESS_FUNCTIONS[fn](shape, seed=tf.constant(seed, seed_dtype), **kwargs)
        cases.append({"fn": fn, "shape": shape, "seed": seed, "options": options, "values": flat(values)})
    return cases


# Keras' integer seeds: n -> [n mod 2147483646, 0], so large and negative seeds are folded.
KERAS_RANDOM_CASES = [
    ("normal", [2, 3], 42, {}),
    ("normal", [4], -7, {"mean": 1.0, "stddev": 0.1}),
    ("normal", [4], 2**31 + 5, {}),
    ("uniform", [2, 3], 42, {"minval": -1.0, "maxval": 1.0}),
    ("truncated_normal", [5], 1337, {"stddev": 0.3}),
]

KERAS_RANDOM_FUNCTIONS = {
    "normal": keras.random.normal,
    "uniform": keras.random.uniform,
    "truncated_normal": keras.random.truncated_normal,
}


def keras_random_cases():
    return [
        {"fn": fn, "shape": shape, "seed": seed, "options": options,
         "values": flat(KERAS_RANDOM_FUNCTIONS[fn](shape, seed=seed, **options))}
        for fn, shape, seed, options in KERAS_RANDOM_CASES
    ]


# (class name, constructor kwargs in Keras' names, shape, dtype)
INITIALIZER_CASES = [
    ("RandomNormal", {"seed": 1}, [3, 4], "float32"),
    ("RandomNormal", {"mean": 0.5, "stddev": 2.0, "seed": 5}, [6], "float64"),
    ("RandomUniform", {"seed": 2}, [3, 4], "float32"),
    ("RandomUniform", {"minval": -3.0, "maxval": 7.5, "seed": 9}, [2, 2], "float32"),
    ("TruncatedNormal", {"seed": 3}, [3, 4], "float32"),
    ("TruncatedNormal", {"mean": -1.0, "stddev": 0.2, "seed": 4}, [5], "float32"),
    ("GlorotUniform", {"seed": 42}, [4, 3], "float32"),
    ("GlorotUniform", {"seed": 42}, [3, 3, 2, 4], "float32"),
    ("GlorotNormal", {"seed": 43}, [4, 3], "float32"),
    ("GlorotNormal", {"seed": 43}, [3, 3, 2, 4], "float64"),
    ("HeNormal", {"seed": 44}, [4, 3], "float32"),
    ("HeNormal", {"seed": 44}, [3, 3, 2, 4], "float32"),
    ("HeUniform", {"seed": 45}, [4, 3], "float32"),
    ("HeUniform", {"seed": 45}, [5, 5, 3, 2], "float32"),
    ("VarianceScaling", {"scale": 0.3, "mode": "fan_out", "distribution": "untruncated_normal", "seed": 6}, [4, 3], "float32"),
    ("VarianceScaling", {"scale": 3.0, "mode": "fan_avg", "distribution": "uniform", "seed": 7}, [2, 3, 5], "float32"),
    ("VarianceScaling", {"distribution": "normal", "seed": 8}, [7], "float32"),
    ("VarianceScaling", {"seed": 10, "input_axes": [0, 1], "output_axes": [-1]}, [3, 2, 4], "float32"),
    ("Constant", {"value": 0.25}, [2, 2], "float32"),
    ("Zeros", {}, [2], "float32"),
    ("Ones", {}, [2], "int32"),
]


def initializer_cases():
    cases = []
    for class_name, kwargs, shape, dtype in INITIALIZER_CASES:
        initializer = getattr(keras.initializers, class_name)(**kwargs)
        cases.append({
            "class_name": class_name,
            "config": kwargs,
            "shape": shape,
            "dtype": dtype,
            "get_config": initializer.get_config(),
            "values": flat(initializer(shape, dtype=dtype)),
        })
    return cases


def main():
    write_fixture("random.json", {
        "versions": reference_versions(),
        "stateless": stateless_cases(),
        "keras_random": keras_random_cases(),
        "initializers": initializer_cases(),
    })


if __name__ == "__main__":
    main()
