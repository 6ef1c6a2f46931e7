"""Replays eager fuzz cases (test/helpers/eager_fuzz.ts) in Python TF's eager mode.

    node dist/test/helpers/eager_fuzz.js --case 1375 > case.json
    .venv/bin/python test/helpers/eager_fuzz_replay.py < case.json

Reads one case as JSON (op, inputs and attrs by their OpDef names), or a list of cases to run in
turn in one process, calls tf.raw_ops.<op> with the same values (ops tf.raw_ops leaves out go
through TFE_Py_Execute as its wrappers would), and prints the op and 'ok' or the exception. A case that kills this process (a
CHECK failure, a segfault) dies here as it would in Python TF: run it in a child process.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

_handles = [0]


def dtype_of(name):
    return tf.as_dtype(name)


NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}


def tensor(spec):
    dtype, shape, values = spec["dtype"], spec["shape"], spec["values"]
    if dtype != "string":
        values = [NON_FINITE.get(v, v) if isinstance(v, str) else v for v in values]
    if dtype.startswith("complex"):
        lane = np.float32 if dtype == "complex64" else np.float64
        pairs = np.array(values, dtype=lane).reshape(-1, 2)
        array = (pairs[:, 0] + 1j * pairs[:, 1]).reshape(shape)
        return tf.constant(array, dtype=dtype_of(dtype))
    if dtype == "string":
        return tf.constant(np.array(values, dtype=object).reshape(shape), dtype=tf.string)
    if dtype == "bfloat16":
        return tf.cast(tf.constant(np.array(values, dtype=np.float32).reshape(shape)), tf.bfloat16)
    np_dtype = {"bool": np.bool_, "float16": np.float16}.get(dtype, dtype)
    return tf.constant(np.array(values, dtype=np_dtype).reshape(shape), dtype=dtype_of(dtype))


def value(spec):
    if "handle" not in spec:
        return tensor(spec)
    if spec["handle"] == "tensor_list":
        return tf.raw_ops.EmptyTensorList(
            element_shape=tf.constant(-1), max_num_elements=3, element_dtype=tf.float32
        )
    _handles[0] += 1
    handle = tf.raw_ops.VarHandleOp(dtype=tf.float32, shape=[2], shared_name="fuzz_%d" % _handles[0])
    if spec["handle"] == "variable":
        tf.raw_ops.AssignVariableOp(resource=handle, value=tf.constant([1.0, 2.0]))
    return handle


def attr(v, kind):
    if kind in ("float", "list(float)"):
        return [NON_FINITE.get(x, x) for x in v] if isinstance(v, list) else NON_FINITE.get(v, v)
    if isinstance(v, dict) and "tensor" in v:
        return tensor(v["tensor"]).numpy()
    if kind in ("type", "list(type)"):
        return [dtype_of(t) for t in v] if isinstance(v, list) else dtype_of(v)
    if kind == "shape":
        return None if v is None else [None if d == -1 else d for d in v]
    if kind == "list(shape)":
        return [attr(s, "shape") for s in v]
    return v


def execute_generic(op_def, inputs, attrs):
    """Runs an op tf.raw_ops leaves out (XLA, RPC, ...) as its wrappers would: TFE_Py_Execute."""
    from tensorflow.python.eager import context, execute

    flat, inferred = [], {}
    for arg in op_def.input_arg:
        given = inputs[arg.name]
        items = given if isinstance(given, list) else [given]
        flat.extend(items)
        if arg.number_attr:
            inferred[arg.number_attr] = len(items)
        if arg.type_attr and items:
            inferred.setdefault(arg.type_attr, items[0].dtype)
        if arg.type_list_attr:
            inferred[arg.type_list_attr] = [t.dtype for t in items]
    values = {**inferred, **attrs}
    flat_attrs = []
    for name, v in values.items():
        if isinstance(v, tf.DType):
            v = v.as_datatype_enum
        elif isinstance(v, list) and v and isinstance(v[0], tf.DType):
            v = [t.as_datatype_enum for t in v]
        flat_attrs += [name, v]
    outputs = 0
    for arg in op_def.output_arg:
        if arg.number_attr:
            outputs += values[arg.number_attr]
        elif arg.type_list_attr:
            outputs += len(values[arg.type_list_attr])
        else:
            outputs += 1
    return execute.execute(op_def.name, outputs, flat, tuple(flat_attrs), context.context())


def main():
    cases = json.load(sys.stdin)
    # A list replays its cases in one process, in order (a death can need an earlier case's state).
    for case in cases if isinstance(cases, list) else [cases]:
        run(case)


def run(case):
    from tensorflow.python.framework import op_def_registry

    op_def = op_def_registry.get(case["op"])
    kinds = {a.name: a.type for a in op_def.attr}
    kwargs = {}
    try:
        for name, spec in case["inputs"].items():
            kwargs[name] = [value(s) for s in spec] if isinstance(spec, list) else value(spec)
        attrs = {name: attr(v, kinds.get(name, "")) for name, v in case["attrs"].items()}
        if hasattr(tf.raw_ops, case["op"]):
            getattr(tf.raw_ops, case["op"])(**kwargs, **attrs)
        else:
            execute_generic(op_def, kwargs, attrs)
        print(case["op"], "ok", flush=True)
    except Exception as e:  # noqa: BLE001 - the class is the answer
        print(case["op"], type(e).__name__ + ": " + str(e).split("\n")[0][:200], flush=True)


if __name__ == "__main__":
    main()
