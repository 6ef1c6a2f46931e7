"""Writes the Keras 3 reference fixtures that the TypeScript tests compare against.

Run with the project's reference venv (TensorFlow 2.21 / Keras 3):

    .venv/bin/python scripts/keras_reference.py

Outputs test/fixtures/schedules.json, optimizers.json and callbacks.json.
Every number is whatever Keras returns, widened to a Python float, so the JSON
holds the full float64 repr of each (usually float32) value.
"""

import contextlib
import io
import json
import math
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN may reorder float32 reductions; keep the reference bit-stable.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import ops  # noqa: E402

FIXTURES_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures"
)
schedules = keras.optimizers.schedules


def to_float(value):
    return float(keras.ops.convert_to_numpy(value))


def to_float_list(value):
    return [float(v) for v in np.asarray(keras.ops.convert_to_numpy(value)).reshape(-1)]


def dump_compact(value, indent=0):
    """Indented JSON, but lists of scalars and small flat objects stay on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if len(value) <= 6 and all(not isinstance(v, (dict, list)) for v in value.values()):
            return "{" + ", ".join(f"{json.dumps(k)}: {dump_compact(v)}" for k, v in value.items()) + "}"
        items = [
            f"{inner}{json.dumps(k)}: {dump_compact(v, indent + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(dump_compact(v) for v in value) + "]"
        items = [f"{inner}{dump_compact(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"non-finite float in fixture: {value}")
    return json.dumps(value)


def write_fixture(name, payload):
    os.makedirs(FIXTURES_DIR, exist_ok=True)
    path = os.path.join(FIXTURES_DIR, name)
    with open(path, "w") as f:
        f.write(dump_compact(payload) + "\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


def reference_versions():
    return {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }


# --------------------------------------------------------------------------
# schedules.json
# --------------------------------------------------------------------------

SCHEDULE_CASES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96, staircase=True)),
    ("ExponentialDecay", dict(initial_learning_rate=0.05, decay_steps=7, decay_rate=0.5, staircase=True, name="halving")),
    ("ExponentialDecay", dict(initial_learning_rate=1e-3, decay_steps=100_000, decay_rate=1.1)),
    ("PiecewiseConstantDecay", dict(boundaries=[100, 110], values=[1.0, 0.5, 0.1])),
    ("PiecewiseConstantDecay", dict(boundaries=[10], values=[0.01, 0.001], name="two_stage")),
    ("PiecewiseConstantDecay", dict(boundaries=[5, 50, 500, 5000], values=[0.3, 0.1, 0.03, 0.01, 0.003])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.01, power=2.0)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.01, cycle=True)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.01, power=2.0, cycle=True)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30, end_learning_rate=0.001, power=0.5, name="sqrt")),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=1.0, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.02, decay_steps=3, decay_rate=2.0, name="inv")),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=100, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=100, warmup_target=0.1, warmup_steps=20)),
    ("CosineDecay", dict(initial_learning_rate=0.01, decay_steps=50, alpha=0.05, warmup_target=0.2, warmup_steps=10, name="warm")),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5, alpha=0.1)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=2.0, m_mul=0.8, alpha=0.05)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.05, first_decay_steps=7, t_mul=1.5, m_mul=0.9, name="sgdr")),
]

LARGE_STEPS = [999, 1000, 1001, 10_000, 123_457, 1_000_000]


def schedule_steps(class_name, config):
    """Step 0, every boundary and its neighbours, and some large values."""
    steps = set(range(0, 13)) | set(LARGE_STEPS)
    if class_name == "PiecewiseConstantDecay":
        for b in config["boundaries"]:
            steps |= {b - 1, b, b + 1}
    elif class_name == "CosineDecayRestarts":
        # Restart boundaries: first_decay_steps * (1 + t + t^2 + ...).
        period = config["first_decay_steps"]
        t_mul = config.get("t_mul", 2.0)
        start = 0.0
        for _ in range(8):
            start += period
            b = int(round(start))
            steps |= {b - 1, b, b + 1}
            period *= t_mul
    else:
        decay = config["decay_steps"]
        warmup = config.get("warmup_steps", 0)
        for k in (1, 2, 3, 5):
            b = int(warmup + k * decay)
            steps |= {b - 1, b, b + 1}
        if warmup:
            steps |= {warmup - 1, warmup, warmup + 1}
    return sorted(s for s in steps if s >= 0)


def schedule_fixture():
    entries = []
    serialized = {}
    for class_name, kwargs in SCHEDULE_CASES:
        schedule = getattr(schedules, class_name)(**kwargs)
        config = schedule.get_config()
        steps = schedule_steps(class_name, config)
        # Optimizers call schedules with their int64 `iterations` variable.
        values = [to_float(schedule(tf.constant(s, dtype=tf.int64))) for s in steps]
        entries.append(
            {"class": class_name, "config": config, "steps": steps, "values": values}
        )
        if class_name not in serialized:
            serialized[class_name] = schedules.serialize(schedule)

    errors = []
    for class_name, kwargs in [
        ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=0, decay_rate=0.9)),
        ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=-5)),
        ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=0, decay_rate=0.5)),
        ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=0)),
        ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=0)),
        ("PiecewiseConstantDecay", dict(boundaries=[10, 20], values=[0.1, 0.01])),
    ]:
        try:
            getattr(schedules, class_name)(**kwargs)
        except ValueError as e:
            errors.append(
                {"class": class_name, "config": kwargs, "error": type(e).__name__, "message": str(e)}
            )
        else:
            raise AssertionError(f"{class_name}({kwargs}) did not raise")

    return {
        "reference": reference_versions(),
        "notes": "values[i] = float(schedule(tf.constant(steps[i], tf.int64))); Keras computes in float32.",
        "schedules": entries,
        "serialized": serialized,
        "errors": errors,
    }


# --------------------------------------------------------------------------
# optimizers.json
# --------------------------------------------------------------------------

INITIAL_W = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]
INITIAL_B = [0.05, -0.05]
X = [[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.0, 1.0], [1.5, 1.0, 0.5]]
Y = [[1.0, -1.0], [0.0, 2.0], [-1.0, 0.5], [2.0, 1.0]]
TRAIN_STEPS = 10


class InverseStepDecay(schedules.LearningRateSchedule):
    """lr(step) = initial_learning_rate / (1 + step)."""

    def __init__(self, initial_learning_rate):
        self.initial_learning_rate = initial_learning_rate

    def __call__(self, step):
        return self.initial_learning_rate / (1.0 + ops.cast(step, "float32"))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate}


MANUAL_ASSIGNMENTS = [{"before_step": 3, "value": 0.005}, {"before_step": 7, "value": 0.0001}]


def optimizer_cases():
    O = keras.optimizers
    S = schedules
    return [
        ("adam_default", lambda: O.Adam(), None),
        ("adam_custom_hyperparameters", lambda: O.Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6), None),
        ("adam_amsgrad", lambda: O.Adam(learning_rate=0.01, amsgrad=True), None),
        ("adam_weight_decay", lambda: O.Adam(learning_rate=0.01, weight_decay=0.01), None),
        ("adam_clipnorm", lambda: O.Adam(learning_rate=0.01, clipnorm=0.1), None),
        ("adam_clipvalue", lambda: O.Adam(learning_rate=0.01, clipvalue=0.01), None),
        ("adam_global_clipnorm", lambda: O.Adam(learning_rate=0.01, global_clipnorm=0.1), None),
        ("adamw_default", lambda: O.AdamW(), None),
        ("adamw_weight_decay_0.1", lambda: O.AdamW(learning_rate=0.01, weight_decay=0.1), None),
        ("sgd_plain", lambda: O.SGD(learning_rate=0.1), None),
        ("sgd_momentum", lambda: O.SGD(learning_rate=0.05, momentum=0.9), None),
        ("sgd_nesterov", lambda: O.SGD(learning_rate=0.05, momentum=0.9, nesterov=True), None),
        (
            "adam_exponential_decay",
            lambda: O.Adam(learning_rate=S.ExponentialDecay(0.01, decay_steps=3, decay_rate=0.5)),
            None,
        ),
        (
            "adam_cosine_decay_warmup",
            lambda: O.Adam(learning_rate=S.CosineDecay(0.0, decay_steps=6, alpha=0.1, warmup_target=0.02, warmup_steps=4)),
            None,
        ),
        ("adam_manual_assign", lambda: O.Adam(learning_rate=0.01), MANUAL_ASSIGNMENTS),
        ("adam_custom_schedule", lambda: O.Adam(learning_rate=InverseStepDecay(0.01)), None),
    ]


def run_optimizer(make_optimizer, assignments):
    optimizer = make_optimizer()
    w = keras.Variable(np.array(INITIAL_W, dtype="float32"), name="kernel")
    b = keras.Variable(np.array(INITIAL_B, dtype="float32"), name="bias")
    x = tf.constant(X, dtype=tf.float32)
    y = tf.constant(Y, dtype=tf.float32)
    assigned = {a["before_step"]: a["value"] for a in (assignments or [])}
    config = optimizer.get_config()
    steps = []
    for step in range(TRAIN_STEPS):
        if step in assigned:
            optimizer.learning_rate.assign(assigned[step])
        # Read before the update: this is the rate apply_gradients uses.
        learning_rate = to_float(optimizer.learning_rate)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        grads = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(grads, [w, b]))
        steps.append(
            {
                "loss": to_float(loss),
                "learning_rate": learning_rate,
                "iterations": int(keras.ops.convert_to_numpy(optimizer.iterations)),
                "W": to_float_list(w),
                "b": to_float_list(b),
            }
        )
    return config, steps


def optimizer_fixture():
    cases = []
    for name, make_optimizer, assignments in optimizer_cases():
        config, steps = run_optimizer(make_optimizer, assignments)
        case = {"name": name, "config": config, "steps": steps}
        if assignments:
            case["learning_rate_assignments"] = assignments
        if name == "adam_custom_schedule":
            case["custom_schedule"] = {
                "class": "InverseStepDecay",
                "definition": "learning_rate(step) = initial_learning_rate / (1.0 + float32(step)), computed in float32",
                "config": {"initial_learning_rate": 0.01},
            }
        cases.append(case)
    return {
        "reference": reference_versions(),
        "problem": {
            "model": "y_hat = x @ W + b",
            "loss": "mean over all elements of (y_hat - y)^2",
            "initial_W": INITIAL_W,
            "initial_b": INITIAL_B,
            "x": X,
            "y": Y,
            "dtype": "float32",
            "steps": TRAIN_STEPS,
        },
        "notes": (
            "Per step: loss before the update; learning_rate read from optimizer.learning_rate "
            "just before apply_gradients (the rate that update uses, after any manual assign); "
            "iterations, W (row-major) and b after the update."
        ),
        "cases": cases,
    }


# --------------------------------------------------------------------------
# callbacks.json
# --------------------------------------------------------------------------

INITIAL_LR = 0.1


def tiny_model(metrics=None, evaluate=False):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=INITIAL_LR), loss="mse", metrics=metrics)
    if evaluate:
        # Builds the compiled metrics so auto mode can read their direction.
        model.evaluate(np.zeros((2, 2)), np.zeros((2, 1)), verbose=0)
    return model


def capture(fn, expect_error=False):
    """Runs fn, returning (result, or the exception when expected; stdout text; Keras warnings)."""
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            result = fn()
        except Exception as e:
            if not expect_error:
                raise
            result = e
        else:
            if expect_error:
                raise AssertionError("expected Keras to raise")
    # Keras warns with UserWarning; TF/NumPy deprecation noise is not Keras behaviour.
    keras_warnings = [str(w.message) for w in caught if w.category is UserWarning]
    return result, out.getvalue(), keras_warnings


REDUCE_LR_CASES = [
    {
        "name": "val_loss_auto_defaults_patience_2",
        "options": {"monitor": "val_loss", "factor": 0.5, "patience": 2},
        "values": [1.0, 0.9, 0.95, 0.91, 0.92, 0.85, 0.86, 0.87, 0.88, 0.8, 0.81, 0.82],
    },
    {
        "name": "min_mode_min_delta_cooldown_min_lr",
        "options": {"monitor": "val_loss", "mode": "min", "factor": 0.2, "patience": 1, "min_delta": 0.05, "cooldown": 2, "min_lr": 0.001},
        "values": [1.0, 0.97, 0.9, 0.89, 0.88, 0.87, 0.86, 0.7, 0.69, 0.68, 0.67, 0.66, 0.65, 0.64, 0.63],
    },
    {
        "name": "max_mode_val_accuracy",
        "options": {"monitor": "val_accuracy", "mode": "max", "factor": 0.5, "patience": 2, "min_delta": 0.01},
        "values": [0.5, 0.6, 0.605, 0.61, 0.62, 0.7, 0.69, 0.7, 0.705, 0.71, 0.72],
    },
    {
        "name": "auto_mode_val_accuracy_from_metric_direction",
        "options": {"monitor": "val_accuracy", "factor": 0.5, "patience": 1},
        "model_metrics": ["accuracy"],
        "values": [0.5, 0.6, 0.55, 0.58, 0.65, 0.64],
    },
    {
        "name": "patience_0_reduces_on_every_non_improvement",
        "options": {"monitor": "loss", "factor": 0.5, "patience": 0, "min_lr": 0.01},
        "values": [1.0, 1.1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99],
    },
    {
        "name": "negative_min_delta_uses_absolute_value",
        "options": {"monitor": "val_loss", "factor": 0.3, "patience": 1, "min_delta": -0.1},
        "values": [1.0, 0.95, 0.85, 0.8, 0.7, 0.65],
    },
    {
        "name": "float32_comparison_tie",
        "options": {"monitor": "val_loss", "factor": 0.5, "patience": 1, "min_delta": 0.0},
        "values": [1.0, 0.9999999999, 0.9999999, 0.99999],
    },
    {
        "name": "verbose_messages",
        "options": {"monitor": "val_loss", "factor": 0.1, "patience": 1, "verbose": 1, "min_lr": 1e-5},
        "values": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    },
    {
        "name": "unknown_mode_falls_back_to_auto",
        "options": {"monitor": "val_loss", "mode": "sideways", "factor": 0.5, "patience": 1},
        "values": [1.0, 1.2, 1.3],
    },
]


def run_reduce_lr_case(case):
    model = tiny_model(metrics=case.get("model_metrics"), evaluate=bool(case.get("model_metrics")))
    callback, _, construct_warnings = capture(lambda: keras.callbacks.ReduceLROnPlateau(**case["options"]))
    callback.set_model(model)
    callback.on_train_begin()
    epochs = []
    messages = []
    for epoch, value in enumerate(case["values"]):
        logs = {case["options"].get("monitor", "val_loss"): value}
        _, stdout, caught = capture(lambda: callback.on_epoch_end(epoch, logs))
        if caught:
            raise AssertionError(f"unexpected warnings: {caught}")
        if stdout:
            messages.append(stdout)
        epochs.append(
            {
                "logs_learning_rate": logs["learning_rate"],
                "learning_rate": to_float(model.optimizer.learning_rate),
                "wait": callback.wait,
                "cooldown_counter": callback.cooldown_counter,
            }
        )
    result = {**case, "initial_learning_rate": float(np.float32(INITIAL_LR))}
    result["epochs"] = epochs
    if messages:
        result["stdout"] = messages
    if construct_warnings:
        result["constructor_warnings"] = construct_warnings
    return result


def reduce_lr_special_cases():
    out = {}

    error, _, _ = capture(lambda: keras.callbacks.ReduceLROnPlateau(factor=1.0), expect_error=True)
    out["factor_ge_1"] = {"options": {"factor": 1.0}, "error": type(error).__name__, "message": str(error)}

    model = tiny_model()
    callback = keras.callbacks.ReduceLROnPlateau(monitor="val_accuracy", patience=1)
    callback.set_model(model)
    error, _, _ = capture(lambda: callback.on_epoch_end(0, {"val_accuracy": 0.5}), expect_error=True)
    out["auto_mode_undeterminable"] = {
        "options": {"monitor": "val_accuracy"},
        "logs": {"val_accuracy": 0.5},
        "error": type(error).__name__,
        "message": str(error),
    }

    model = tiny_model()
    callback = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=0)
    callback.set_model(model)
    logs = {"loss": 0.3, "accuracy": 0.7}
    _, _, caught = capture(lambda: callback.on_epoch_end(0, logs))
    out["missing_monitor_key"] = {
        "options": {"monitor": "val_loss", "patience": 0},
        "logs_before": {"loss": 0.3, "accuracy": 0.7},
        "logs_after": logs,
        "learning_rate": to_float(model.optimizer.learning_rate),
        "warnings": caught,
    }
    return out


def halve_after_two(epoch, lr):
    return lr if epoch < 3 else lr * 0.5


def exp_decay_after_one(epoch, lr):
    return lr if epoch < 1 else lr * math.exp(-0.1)


SCHEDULER_CASES = [
    {
        "name": "halve_from_epoch_3",
        "definition": "schedule(epoch, lr) = lr if epoch < 3 else lr * 0.5",
        "schedule": halve_after_two,
        "epochs": 7,
        "verbose": 0,
    },
    {
        "name": "exp_decay_from_epoch_1",
        "definition": "schedule(epoch, lr) = lr if epoch < 1 else lr * exp(-0.1)",
        "schedule": exp_decay_after_one,
        "epochs": 6,
        "verbose": 1,
    },
    {
        "name": "absolute_by_epoch",
        "definition": "schedule(epoch, lr) = 0.2 / (epoch + 1)",
        "schedule": lambda epoch, lr: 0.2 / (epoch + 1),
        "epochs": 5,
        "verbose": 0,
    },
]


def run_scheduler_case(case):
    model = tiny_model()
    callback = keras.callbacks.LearningRateScheduler(case["schedule"], verbose=case["verbose"])
    callback.set_model(model)
    epochs = []
    messages = []
    for epoch in range(case["epochs"]):
        _, stdout, _ = capture(lambda: callback.on_epoch_begin(epoch))
        if stdout:
            messages.append(stdout)
        learning_rate = to_float(model.optimizer.learning_rate)
        logs = {"loss": 1.0 / (epoch + 1)}
        callback.on_epoch_end(epoch, logs)
        epochs.append({"learning_rate": learning_rate, "logs_learning_rate": logs["learning_rate"]})
    result = {k: v for k, v in case.items() if k != "schedule"}
    result["initial_learning_rate"] = float(np.float32(INITIAL_LR))
    result["epochs_run"] = epochs
    if messages:
        result["stdout"] = messages
    return result


def scheduler_error_case():
    model = tiny_model()
    callback = keras.callbacks.LearningRateScheduler(lambda epoch, lr: "fast")
    callback.set_model(model)
    error, _, _ = capture(lambda: callback.on_epoch_begin(0), expect_error=True)
    return {
        "definition": "schedule(epoch, lr) = 'fast'",
        "error": type(error).__name__,
        "message": str(error),
    }


FIT_X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0], [-1.0, 2.0], [0.5, 0.5]]
FIT_Y = [[1.0], [2.0], [3.0], [3.0], [0.0], [1.5]]


def fit_fixture():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    initial_kernel = [[0.2], [-0.3]]
    initial_bias = [0.1]
    model.set_weights([np.array(initial_kernel, "float32"), np.array(initial_bias, "float32")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse")
    callback = keras.callbacks.LearningRateScheduler(halve_after_two)
    history = model.fit(
        np.array(FIT_X, "float32"),
        np.array(FIT_Y, "float32"),
        batch_size=2,
        epochs=4,
        shuffle=False,
        verbose=0,
        callbacks=[callback],
    )
    kernel, bias = model.get_weights()
    return {
        "model": "Sequential([Input((2,)), Dense(1)]), loss='mse', SGD(learning_rate=0.05)",
        "schedule": "schedule(epoch, lr) = lr if epoch < 3 else lr * 0.5",
        "x": FIT_X,
        "y": FIT_Y,
        "initial_kernel": initial_kernel,
        "initial_bias": initial_bias,
        "batch_size": 2,
        "epochs": 4,
        "shuffle": False,
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "final_kernel": [float(v) for v in kernel.reshape(-1)],
        "final_bias": [float(v) for v in bias.reshape(-1)],
    }


def callback_fixture():
    return {
        "reference": reference_versions(),
        "notes": (
            "Callbacks are driven directly against a compiled Sequential([Input((2,)), Dense(1)]) "
            "with SGD(learning_rate=0.1); learning_rate is float(model.optimizer.learning_rate) "
            "(a float32 variable) after the hook; logs_learning_rate is logs['learning_rate'] "
            "after on_epoch_end."
        ),
        "reduce_lr_on_plateau": [run_reduce_lr_case(c) for c in REDUCE_LR_CASES],
        "reduce_lr_on_plateau_special": reduce_lr_special_cases(),
        "learning_rate_scheduler": [run_scheduler_case(c) for c in SCHEDULER_CASES],
        "learning_rate_scheduler_error": scheduler_error_case(),
        "fit_with_learning_rate_scheduler": fit_fixture(),
    }


def main():
    keras.utils.set_random_seed(0)
    write_fixture("schedules.json", schedule_fixture())
    write_fixture("optimizers.json", optimizer_fixture())
    write_fixture("callbacks.json", callback_fixture())


if __name__ == "__main__":
    main()
