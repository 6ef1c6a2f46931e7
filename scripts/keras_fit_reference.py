"""Writes the Keras 3 references of the model stack: test/fixtures/fit.json (model.fit runs) and
test/fixtures/keras_layers.json (layer outputs, configs, losses and metrics, summaries, callback order).

Run with the project's reference venv (TensorFlow 2.21 / Keras 3):

    .venv/bin/python scripts/keras_fit_reference.py

Every run starts from fixed float32 data and weights (set with set_weights), fits with
shuffle=False, and records what Keras returns as Python floats (exact float32 values).
"""

import contextlib
import io
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# summary() sizes its table from the terminal width; fix it as for a pipe.
os.environ["COLUMNS"] = "80"

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_reference import reference_versions, write_fixture  # noqa: E402

L = keras.layers


def floats(array):
    return np.asarray(array, dtype=np.float32).tolist()


def flat(array):
    return [float(v) for v in np.asarray(array).reshape(-1)]


def data(seed, shape):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def initial_weights(model, seed):
    rng = np.random.default_rng(seed)
    weights = []
    for w in model.weights:
        if "moving_variance" in w.path:
            weights.append(np.ones(w.shape, np.float32))
        elif "moving_mean" in w.path:
            weights.append(np.zeros(w.shape, np.float32))
        elif "gamma" in w.path:
            weights.append(np.ones(w.shape, np.float32))
        else:
            weights.append((rng.uniform(-0.5, 0.5, size=w.shape)).astype(np.float32))
    return weights


class LearningRateLog(keras.callbacks.Callback):
    """Records the optimizer's learning rate after each epoch (Keras 3.15 does not log it)."""

    def __init__(self):
        super().__init__()
        self.values = []

    def on_epoch_end(self, epoch, logs=None):
        self.values.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def run_case(name, description, build, compile_args, x, y, fit_args, seed, eval_x=None, eval_y=None):
    keras.utils.set_random_seed(seed)
    model = build()
    weights = initial_weights(model, seed)
    model.set_weights(weights)
    model.compile(**compile_args)
    lr_log = LearningRateLog()
    history = model.fit(x, y, verbose=0, shuffle=False, callbacks=[lr_log], **{k: v for k, v in fit_args.items()})
    eval_x = x if eval_x is None else eval_x
    eval_y = y if eval_y is None else eval_y
    evaluation = model.evaluate(eval_x, eval_y, verbose=0, batch_size=fit_args.get("batch_size", 32))
    prediction = model.predict(eval_x[:5], verbose=0)
    case = {
        "name": name,
        "model": description,
        "x": floats(x),
        "y": y.tolist(),
        "y_dtype": str(y.dtype),
        "initial_weights": [{"shape": list(w.shape), "values": flat(w)} for w in weights],
        "fit": {k: (list(v) if isinstance(v, tuple) else v) for k, v in fit_args.items() if k != "validation_data"},
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "learning_rate": lr_log.values,
        "final_weights": [{"path": w.path, "shape": list(w.shape), "values": flat(w.numpy())} for w in model.weights],
        "evaluate": evaluation if isinstance(evaluation, list) else [evaluation],
        "predict_first_5": floats(prediction),
    }
    if "validation_data" in fit_args:
        vx, vy = fit_args["validation_data"]
        case["validation_data"] = {"x": floats(vx), "y": vy.tolist()}
    return case


def fit_fixture():
    cases = []

    x = data(1, (64, 5))
    y = (np.abs(x[:, 0] * 2 + x[:, 1]).astype(np.int64)) % 3
    cases.append(
        run_case(
            "adam_sparse_softmax",
            "Sequential([Input((5,)), Dense(4, relu), Dense(3, softmax)]); Adam(0.01); sparse_categorical_crossentropy; metrics=['accuracy']",
            lambda: keras.Sequential([keras.Input((5,)), L.Dense(4, activation="relu"), L.Dense(3, activation="softmax")]),
            dict(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
            x,
            y,
            dict(batch_size=16, epochs=3, validation_split=0.25),
            seed=11,
        )
    )

    xr = data(2, (45, 3))
    yr = (np.sin(xr[:, :1]) + 0.5 * xr[:, 1:2] - xr[:, 2:3] ** 2).astype(np.float32)
    vx = data(3, (12, 3))
    vy = (np.sin(vx[:, :1]) + 0.5 * vx[:, 1:2]).astype(np.float32)
    cases.append(
        run_case(
            "sgd_momentum_mse",
            "Sequential([Input((3,)), Dense(8, tanh), Dense(1)]); SGD(0.05, momentum=0.9); mse; metrics=['mae']",
            lambda: keras.Sequential([keras.Input((3,)), L.Dense(8, activation="tanh"), L.Dense(1)]),
            dict(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse", metrics=["mae"]),
            xr,
            yr,
            dict(batch_size=10, epochs=4, validation_data=(vx, vy)),
            seed=12,
        )
    )

    xb = data(4, (40, 4))
    yb = (xb[:, :1] + xb[:, 1:2] > 0).astype(np.float32)
    cases.append(
        run_case(
            "adamw_binary_batchnorm_dropout",
            "Sequential([Input((4,)), Dense(6, use_bias=False), BatchNormalization(), Activation(relu), Dropout(0.3, seed=7), Dense(1, sigmoid)]); AdamW(0.02); binary_crossentropy; metrics=['accuracy']",
            lambda: keras.Sequential(
                [
                    keras.Input((4,)),
                    L.Dense(6, use_bias=False),
                    L.BatchNormalization(),
                    L.Activation("relu"),
                    L.Dropout(0.3, seed=7),
                    L.Dense(1, activation="sigmoid"),
                ]
            ),
            dict(optimizer=keras.optimizers.AdamW(learning_rate=0.02), loss="binary_crossentropy", metrics=["accuracy"]),
            xb,
            yb,
            dict(batch_size=8, epochs=2, validation_split=0.2),
            seed=13,
        )
    )

    xc = data(5, (24, 6, 6, 1))
    labels = (xc.reshape(24, -1).mean(axis=1) > 0).astype(np.int64)
    yc = np.eye(2, dtype=np.float32)[labels]
    cases.append(
        run_case(
            "sgd_conv_categorical",
            "Sequential([Input((6,6,1)), Conv2D(3, 3, relu), MaxPooling2D(2), Flatten(), Dense(2, softmax)]); SGD(0.1); categorical_crossentropy; metrics=['accuracy']",
            lambda: keras.Sequential(
                [keras.Input((6, 6, 1)), L.Conv2D(3, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(), L.Dense(2, activation="softmax")]
            ),
            dict(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="categorical_crossentropy", metrics=["accuracy"]),
            xc,
            yc,
            dict(batch_size=8, epochs=2),
            seed=14,
        )
    )

    def functional_logits():
        inputs = keras.Input((5,))
        hidden = L.Dense(6, activation="gelu")(inputs)
        return keras.Model(inputs, L.Dense(3)(hidden))

    xf = data(6, (30, 5))
    yf = np.eye(3, dtype=np.float32)[(np.abs(xf[:, 0] * 3).astype(np.int64)) % 3]
    cases.append(
        run_case(
            "functional_logits_gelu",
            "Model(Input((5,)) -> Dense(6, gelu) -> Dense(3)); Adam(0.005); CategoricalCrossentropy(from_logits=True); metrics=['categorical_accuracy', 'mse']",
            functional_logits,
            dict(
                optimizer=keras.optimizers.Adam(learning_rate=0.005),
                loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                metrics=["categorical_accuracy", "mse"],
            ),
            xf,
            yf,
            dict(batch_size=7, epochs=3),
            seed=15,
        )
    )
    return {
        "reference": reference_versions(),
        "notes": (
            "fit(shuffle=False, verbose=0) from initial_weights (set_weights, in model.weights order). "
            "learning_rate: optimizer.learning_rate after each epoch (read by a callback; Keras 3.15 "
            "itself logs it only through LearningRateScheduler/ReduceLROnPlateau). evaluate() is on "
            "(x, y) with the fit batch size; predict_first_5 is predict(x[:5])."
        ),
        "cases": cases,
    }


class HookRecorder(keras.callbacks.Callback):
    """Records every on_* hook Keras calls: [hook, batch/epoch index, sorted log keys]."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if not name.startswith("on_"):
            return object.__getattribute__(self, name)
        calls = object.__getattribute__(self, "calls")

        def record(*args, **kwargs):
            logs = kwargs.get("logs", next((a for a in args if isinstance(a, dict)), None))
            entry = [name] + [a for a in args if isinstance(a, int)]
            if logs:
                entry.append(sorted(logs.keys()))
            calls.append(entry)

        return record


def callback_order():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), L.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    recorder = HookRecorder()
    x = np.zeros((6, 2), np.float32)
    y = np.zeros((6, 1), np.float32)
    model.fit(x, y, batch_size=2, epochs=2, validation_split=1 / 3, verbose=0, callbacks=[recorder])
    fit_calls = recorder.calls
    recorder.calls = []
    model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[recorder])
    evaluate_calls = recorder.calls
    recorder.calls = []
    model.predict(x, batch_size=4, verbose=0, callbacks=[recorder])
    return {
        "fit": {"samples": 6, "batch_size": 2, "epochs": 2, "validation_split": 1 / 3, "calls": fit_calls},
        "evaluate": {"batch_size": 4, "calls": evaluate_calls},
        "predict": {"batch_size": 4, "calls": recorder.calls},
    }


def summary_text(model):
    lines = []
    model.summary(print_fn=lambda text, **_: lines.append(text))
    return "".join(lines)


def summaries():
    keras.backend.clear_session()
    out = {}
    mlp = keras.Sequential([keras.Input((784,)), L.Dense(128, activation="relu", name="hidden"), L.Dropout(0.2, name="drop"), L.Dense(10, activation="softmax", name="probs")], name="mlp")
    out["sequential_mlp"] = summary_text(mlp)
    mlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    mlp.fit(np.zeros((4, 784), np.float32), np.zeros((4,), np.int64), verbose=0)
    out["sequential_mlp_after_fit"] = summary_text(mlp)
    cnn = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            L.Conv2D(32, 3, activation="relu", name="conv"),
            L.MaxPooling2D(name="pool"),
            L.BatchNormalization(name="bn"),
            L.Flatten(name="flatten"),
            L.Dense(10, name="logits"),
        ],
        name="cnn",
    )
    out["sequential_cnn"] = summary_text(cnn)
    inputs = keras.Input((4,), name="features")
    hidden = L.Dense(3, name="hidden")(inputs)
    outputs = L.Reshape((3, 1), name="reshape")(hidden)
    out["functional"] = summary_text(keras.Model(inputs, outputs, name="func"))
    shared_input = keras.Input((2,), name="inp")
    shared = L.Dense(2, name="shared")
    out["functional_shared_layer"] = summary_text(keras.Model(shared_input, shared(shared(shared_input)), name="shared_model"))
    unbuilt = keras.Sequential([L.Dense(3, name="first"), L.Dense(1, name="second")], name="deferred")
    out["sequential_unbuilt"] = summary_text(unbuilt)
    return out


def layer_outputs():
    keras.utils.set_random_seed(0)
    out = {}
    x = data(20, (6, 3))
    bn = L.BatchNormalization(momentum=0.9, epsilon=0.01)
    bn.build((None, 3))
    bn.set_weights([np.array([1.5, 0.5, 2.0], np.float32), np.array([0.1, -0.2, 0.3], np.float32), np.array([0.2, -0.1, 0.0], np.float32), np.array([1.2, 0.8, 2.0], np.float32)])
    inference = bn(x, training=False)
    training = bn(x, training=True)
    out["batch_normalization"] = {
        "options": {"momentum": 0.9, "epsilon": 0.01},
        "x": floats(x),
        "weights": [floats(w) for w in [np.array([1.5, 0.5, 2.0]), np.array([0.1, -0.2, 0.3]), np.array([0.2, -0.1, 0.0]), np.array([1.2, 0.8, 2.0])]],
        "inference": floats(inference),
        "training": floats(training),
        "moving_mean_after": floats(bn.moving_mean.numpy()),
        "moving_variance_after": floats(bn.moving_variance.numpy()),
    }
    xd = np.ones((4, 5), np.float32)
    dropout = L.Dropout(0.5, seed=1337)
    out["dropout"] = {
        "rate": 0.5,
        "seed": 1337,
        "x": floats(xd),
        "training_call_1": floats(dropout(xd, training=True)),
        "training_call_2": floats(dropout(xd, training=True)),
        "inference": floats(dropout(xd, training=False)),
    }
    xa = np.array([[-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]], np.float32)
    out["activations"] = {
        "x": floats(xa),
        **{name: floats(keras.activations.get(name)(xa)) for name in ["relu", "sigmoid", "tanh", "softmax", "gelu", "linear", "elu", "selu", "softplus", "silu"]},
    }
    configs = {}
    for layer in [
        L.Dense(3, activation="relu", name="dense"),
        L.Dropout(0.5, seed=3, name="dropout"),
        L.Flatten(name="flatten"),
        L.Reshape((2, 3), name="reshape"),
        L.Activation("gelu", name="activation"),
        L.Conv2D(4, 3, strides=2, padding="same", name="conv2d"),
        L.MaxPooling2D(name="max_pooling2d"),
        L.BatchNormalization(name="batch_normalization"),
    ]:
        configs[type(layer).__name__] = layer.get_config()
    out["configs"] = configs
    shapes = {}
    for name, layer, input_shape in [
        ("conv_valid", L.Conv2D(4, 3), (None, 10, 9, 2)),
        ("conv_same_stride2", L.Conv2D(5, (3, 2), strides=2, padding="same"), (None, 11, 7, 3)),
        ("conv_dilated", L.Conv2D(2, 3, dilation_rate=2), (None, 9, 9, 1)),
        ("pool_default", L.MaxPooling2D(), (None, 7, 9, 3)),
        ("pool_same_stride1", L.MaxPooling2D(pool_size=3, strides=1, padding="same"), (None, 5, 4, 2)),
        ("flatten", L.Flatten(), (None, 3, 4, 5)),
        ("reshape_minus1", L.Reshape((-1, 2)), (None, 3, 4)),
        ("dense_rank3", L.Dense(7), (None, 3, 4)),
    ]:
        layer.build(input_shape)
        shapes[name] = {"input": list(input_shape), "output": list(layer.compute_output_shape(input_shape)), "params": layer.count_params()}
    out["shapes"] = shapes
    return out


def losses_and_metrics():
    probabilities = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.1, 0.8, 0.1]], np.float32)
    labels = np.array([1, 2, 1, 0], np.int64)
    one_hot = np.eye(3, dtype=np.float32)[labels]
    logits = data(30, (4, 3))
    binary_true = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
    binary_probabilities = np.array([[0.9], [0.0], [1.0], [0.4]], np.float32)
    binary_logits = data(31, (4, 1))
    regression_true = data(32, (4, 2))
    regression_pred = data(33, (4, 2))
    losses = keras.losses
    value = lambda v: float(keras.ops.convert_to_numpy(v))

    def metric(m, y_true, y_pred):
        m.update_state(y_true, y_pred)
        return value(m.result())

    return {
        "inputs": {
            "probabilities": floats(probabilities),
            "labels": labels.tolist(),
            "one_hot": floats(one_hot),
            "logits": floats(logits),
            "binary_true": floats(binary_true),
            "binary_probabilities": floats(binary_probabilities),
            "binary_logits": floats(binary_logits),
            "regression_true": floats(regression_true),
            "regression_pred": floats(regression_pred),
        },
        "losses": {
            "mean_squared_error": value(losses.MeanSquaredError()(regression_true, regression_pred)),
            "mean_absolute_error": value(losses.MeanAbsoluteError()(regression_true, regression_pred)),
            "binary_crossentropy": value(losses.BinaryCrossentropy()(binary_true, binary_probabilities)),
            "binary_crossentropy_from_logits": value(losses.BinaryCrossentropy(from_logits=True)(binary_true, binary_logits)),
            "categorical_crossentropy": value(losses.CategoricalCrossentropy()(one_hot, probabilities)),
            "categorical_crossentropy_from_logits": value(losses.CategoricalCrossentropy(from_logits=True)(one_hot, logits)),
            "categorical_crossentropy_label_smoothing": value(losses.CategoricalCrossentropy(label_smoothing=0.1)(one_hot, probabilities)),
            "sparse_categorical_crossentropy": value(losses.SparseCategoricalCrossentropy()(labels, probabilities)),
            "sparse_categorical_crossentropy_from_logits": value(losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)),
            "sparse_categorical_crossentropy_of_softmax": value(losses.SparseCategoricalCrossentropy()(labels, keras.activations.softmax(logits))),
        },
        "metrics": {
            "sparse_categorical_accuracy": metric(keras.metrics.SparseCategoricalAccuracy(), labels, probabilities),
            "categorical_accuracy": metric(keras.metrics.CategoricalAccuracy(), one_hot, logits),
            "binary_accuracy": metric(keras.metrics.BinaryAccuracy(), binary_true, binary_probabilities),
            "mean_absolute_error": metric(keras.metrics.MeanAbsoluteError(), regression_true, regression_pred),
        },
    }


def main():
    write_fixture("fit.json", fit_fixture())
    with contextlib.redirect_stdout(io.StringIO()):
        order = callback_order()
    write_fixture(
        "keras_layers.json",
        {
            "reference": reference_versions(),
            "layers": layer_outputs(),
            "losses_and_metrics": losses_and_metrics(),
            "summaries": summaries(),
            "callback_order": order,
        },
    )


if __name__ == "__main__":
    main()
