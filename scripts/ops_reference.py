"""Writes test/fixtures/ops.json: Python TensorFlow's outputs for the hand-written ops.

Run with the project's reference venv (TensorFlow 2.21):

    .venv/bin/python scripts/ops_reference.py

The fixture holds the named inputs and, per section (math, array, nn, raw), one entry per
case: the input names it takes (positionally) and what Python returned. A case key is the
TypeScript function name, optionally followed by ':variant'; test/ops_*.test.ts give each key
the TypeScript call that mirrors the Python lambda below. Raw cases name a tf.raw_ops op and
its keyword arguments, so the TypeScript side can build the same call generically.
"""

import inspect
import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN may reorder float32 reductions; keep the reference bit-stable.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "ops.json")


def wave(shape, scale=3.0, offset=0.0, dtype=np.float32):
    """Deterministic, irregular values rounded to 1/8 (exact in every float dtype)."""
    n = int(np.prod(shape))
    values = np.round((np.sin(np.arange(n) * 1.3 + 0.7) * scale + offset) * 8) / 8
    return values.reshape(shape).astype(dtype)


probs = np.abs(wave([3, 4])) + 0.125
probs3 = np.abs(wave([2, 3, 4], offset=0.5)) + 0.125

INPUTS = {
    "x": np.array([[-1.5, 0.5, 2.0], [3.25, -0.75, 1.0]], np.float32),
    "y": np.array([[2.0, -1.0, 0.5], [1.5, 4.0, -2.5]], np.float32),
    "row": np.array([1.0, -2.0, 0.5], np.float32),
    "col": np.array([[2.0], [-1.0]], np.float32),
    "pos": np.array([[0.25, 1.0, 2.0], [4.0, 9.0, 0.5]], np.float32),
    "unit": np.array([[-0.875, -0.25, 0.0], [0.375, 0.625, 0.9375]], np.float32),
    "xd": np.array([[0.1, -2.5, 3.0]], np.float64),
    "halves": np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.625, 2.375], np.float32),
    "special": np.array([np.nan, np.inf, -np.inf, 0.0, -1.0], np.float32),
    "a": np.array([[7, -3, 4], [-8, 5, 2]], np.int32),
    "b": np.array([[2, 2, -3], [3, -4, 1]], np.int32),
    "a8": np.array([-7, 3, 100], np.int8),
    "b8": np.array([2, -4, 8], np.int8),
    "a64": np.array([[5, -2, 9]], np.int64),
    "p": np.array([[True, False, True], [False, False, True]]),
    "q": np.array([[True, True, False], [False, True, True]]),
    "s": np.array([b"ab", b"c"], object),
    "m32": wave([3, 2]),
    "batch_a": wave([2, 2, 3], offset=1.0),
    "batch_b": wave([2, 3, 2], scale=2.0),
    "cube": wave([2, 3, 4]),
    "idx": np.array([2, 0, 1, 2], np.int32),
    "idx2": np.array([[0, 2], [1, 1]], np.int32),
    "labels_idx": np.array([3, 0, 2], np.int32),
    "labels3": np.array([[0, 3, 1], [2, 2, 0]], np.int32),
    "logits": wave([3, 4]),
    "probs": (probs / probs.sum(axis=1, keepdims=True)).astype(np.float32),
    "logits3": wave([2, 3, 4], scale=2.0),
    "probs3": (probs3 / probs3.sum(axis=2, keepdims=True)).astype(np.float32),
    "targets": np.array([[0.0, 1.0, 0.25], [1.0, 0.5, 0.0]], np.float32),
    "image": wave([1, 5, 5, 2]),
    "image_nchw": wave([1, 2, 5, 5]),
    "filters": wave([3, 3, 2, 3], scale=1.0),
    "signal": wave([2, 6, 3]),
    "volume": wave([1, 4, 4, 4, 1]),
    "bias3": np.array([0.5, -1.0, 2.0], np.float32),
    "bias2": np.array([1.0, -2.0], np.float32),
    "mean3": np.array([0.5, -0.25, 1.0], np.float32),
    "variance3": np.array([1.0, 0.25, 4.0], np.float32),
    "offset3": np.array([0.0, 1.0, -1.0], np.float32),
    "scale3": np.array([2.0, 0.5, 1.0], np.float32),
    "sq": np.array([[4.0, 2.0], [2.0, 3.0]], np.float32),
    "vals": np.array([3, 1, 3, 2, 1, 3], np.int32),
    "segments": np.array([0, 0, 1, 1, 2, 2], np.int32),
}

MATH = {
    "add": (["x", "y"], tf.add),
    "add:broadcast": (["x", "row"], tf.add),
    "add:hostNumber": (["x"], lambda x: tf.add(x, 2)),
    "add:int": (["a", "b"], tf.add),
    "add:float64HostNumber": (["xd"], lambda x: tf.add(x, 0.1)),
    "add:strings": (["s"], lambda s: tf.add(s, "z")),
    "subtract": (["x", "col"], tf.subtract),
    "multiply": (["x", "y"], tf.multiply),
    "multiply:hostNumber": (["a"], lambda a: tf.multiply(a, 3)),
    "divide": (["x", "y"], tf.divide),
    "divide:int32": (["a", "b"], tf.divide),
    "divide:int8": (["a8", "b8"], tf.divide),
    "divide:hostNumerator": (["y"], lambda y: tf.divide(1, y)),
    "floorDiv": (["a", "b"], tf.math.floordiv),
    "floorDiv:float": (["x", "y"], tf.math.floordiv),
    "mod": (["a", "b"], tf.math.mod),
    "mod:float": (["x", "y"], tf.math.floormod),
    "pow": (["pos", "y"], tf.pow),
    "pow:int": (["a"], lambda a: tf.pow(a, 2)),
    "maximum": (["x", "row"], tf.maximum),
    "minimum": (["x", "row"], tf.minimum),
    "squaredDifference": (["x", "y"], tf.math.squared_difference),
    "negative": (["x"], tf.negative),
    "abs": (["x"], tf.abs),
    "abs:int": (["a"], tf.abs),
    "sign": (["x"], tf.sign),
    "square": (["x"], tf.square),
    "sqrt": (["pos"], tf.sqrt),
    "rsqrt": (["pos"], tf.math.rsqrt),
    "exp": (["x"], tf.exp),
    "log": (["pos"], tf.math.log),
    "log1p": (["unit"], tf.math.log1p),
    "sin": (["x"], tf.sin),
    "cos": (["x"], tf.cos),
    "tanh": (["x"], tf.tanh),
    "sigmoid": (["x"], tf.sigmoid),
    "round": (["halves"], tf.round),
    "round:int": (["a"], tf.round),
    "floor": (["halves"], tf.floor),
    "ceil": (["halves"], tf.math.ceil),
    "isNan": (["special"], tf.math.is_nan),
    "isFinite": (["special"], tf.math.is_finite),
    "equal": (["x", "y"], lambda x, y: tf.equal(x, tf.minimum(x, y))),
    "equal:hostNumber": (["a"], lambda a: tf.equal(a, 4)),
    "notEqual": (["a", "b"], lambda a, b: tf.not_equal(a, tf.abs(b))),
    "less": (["x", "y"], tf.less),
    "lessEqual": (["x", "row"], tf.less_equal),
    "greater": (["x", "y"], tf.greater),
    "greaterEqual": (["x"], lambda x: tf.greater_equal(x, 1)),
    "logicalAnd": (["p", "q"], tf.logical_and),
    "logicalOr": (["p", "q"], tf.logical_or),
    "logicalNot": (["p"], tf.logical_not),
    "reduceSum": (["x"], tf.reduce_sum),
    "reduceSum:axis": (["x"], lambda x: tf.reduce_sum(x, 1)),
    "reduceSum:keepdims": (["x"], lambda x: tf.reduce_sum(x, 0, keepdims=True)),
    "reduceSum:negativeAxis": (["cube"], lambda c: tf.reduce_sum(c, -1)),
    "reduceSum:axes": (["cube"], lambda c: tf.reduce_sum(c, [0, 2])),
    "reduceSum:int": (["a"], lambda a: tf.reduce_sum(a, 1)),
    "reduceMean": (["x"], tf.reduce_mean),
    "reduceMean:axis": (["cube"], lambda c: tf.reduce_mean(c, 1, True)),
    "reduceMean:int": (["a"], lambda a: tf.reduce_mean(a, 1)),
    "reduceMax": (["x"], lambda x: tf.reduce_max(x, 0)),
    "reduceMin": (["x"], tf.reduce_min),
    "reduceProd": (["x"], lambda x: tf.reduce_prod(x, 1)),
    "reduceAll": (["p"], lambda p: tf.reduce_all(p, 1)),
    "reduceAny": (["p"], lambda p: tf.reduce_any(p, 0)),
    "reduceLogsumexp": (["x"], lambda x: tf.reduce_logsumexp(x, 1)),
    "reduceLogsumexp:all": (["cube"], tf.reduce_logsumexp),
    "reduceLogsumexp:keepdims": (["cube"], lambda c: tf.reduce_logsumexp(c, [0, 2], keepdims=True)),
    "reduceLogsumexp:infinite": (["special"], tf.reduce_logsumexp),
    "argmax": (["x"], tf.argmax),
    "argmax:axis": (["cube"], lambda c: tf.argmax(c, 2)),
    "argmax:int32": (["x"], lambda x: tf.argmax(x, 1, output_type=tf.int32)),
    "argmin": (["x"], lambda x: tf.argmin(x, 1)),
    "cumsum": (["x"], tf.cumsum),
    "cumsum:exclusiveReverse": (["x"], lambda x: tf.cumsum(x, 1, exclusive=True, reverse=True)),
    "addN": (["x", "y", "pos"], lambda x, y, p: tf.add_n([x, y, p])),
    "addN:single": (["x"], lambda x: tf.add_n([x])),
    "matmul": (["x", "m32"], tf.matmul),
    "matmul:transposeA": (["x", "y"], lambda x, y: tf.matmul(x, y, transpose_a=True)),
    "matmul:transposeB": (["x", "y"], lambda x, y: tf.matmul(x, y, transpose_b=True)),
    "matmul:batch": (["batch_a", "batch_b"], tf.matmul),
    "matmul:batchBroadcast": (["batch_a", "m32"], tf.matmul),
    "matmul:batchTranspose": (["batch_a"], lambda b: tf.matmul(b, b, transpose_b=True)),
    "matmul:int8ToInt32": (["a8"], lambda a: tf.matmul(tf.reshape(a, [3, 1]), tf.reshape(a, [1, 3]), output_type=tf.int32)),
    "cast": (["x"], lambda x: tf.cast(x, tf.int32)),
    "cast:bool": (["x"], lambda x: tf.cast(x, tf.bool)),
    "cast:hostValue": ([], lambda: tf.cast([1.75, -2.25], tf.int32)),
    "clipByValue": (["x"], lambda x: tf.clip_by_value(x, -1, 1.5)),
    "clipByValue:tensorBounds": (["x", "row"], lambda x, r: tf.clip_by_value(x, -tf.abs(r), tf.abs(r))),
    "l2Normalize": (["x"], lambda x: tf.math.l2_normalize(x, 1)),
    "l2Normalize:all": (["x"], tf.math.l2_normalize),
}

ARRAY = {
    "reshape": (["x"], lambda x: tf.reshape(x, [3, 2])),
    "reshape:inferred": (["cube"], lambda c: tf.reshape(c, [-1, 6])),
    "transpose": (["cube"], tf.transpose),
    "transpose:perm": (["cube"], lambda c: tf.transpose(c, [1, 0, 2])),
    "concat": (["x", "y"], lambda x, y: tf.concat([x, y], 0)),
    "concat:negativeAxis": (["x", "col"], lambda x, c: tf.concat([x, c], -1)),
    "concat:single": (["x"], lambda x: tf.concat([x], 1)),
    "stack": (["x", "y"], lambda x, y: tf.stack([x, y])),
    "stack:axis": (["x", "y"], lambda x, y: tf.stack([x, y], axis=2)),
    "unstack": (["x"], tf.unstack),
    "unstack:axis": (["cube"], lambda c: tf.unstack(c, axis=1)),
    "split": (["cube"], lambda c: tf.split(c, 2, axis=2)),
    "split:sizes": (["cube"], lambda c: tf.split(c, [1, -1], 1)),
    "expandDims": (["x"], lambda x: tf.expand_dims(x, 0)),
    "expandDims:negative": (["x"], lambda x: tf.expand_dims(x, -1)),
    "squeeze": (["col"], tf.squeeze),
    "squeeze:axis": (["col"], lambda c: tf.squeeze(tf.expand_dims(c, 0), [0])),
    "tile": (["x"], lambda x: tf.tile(x, [2, 1])),
    "gather": (["x"], lambda x: tf.gather(x, [1, 0, 1])),
    "gather:axis": (["x", "idx"], lambda x, i: tf.gather(x, i, axis=1)),
    "gather:batchDims": (["cube", "idx2"], lambda c, i: tf.gather(c, i, axis=2, batch_dims=1)),
    "slice": (["cube"], lambda c: tf.slice(c, [0, 1, 1], [2, 2, -1])),
    "oneHot": (["idx"], lambda i: tf.one_hot(i, 3)),
    "oneHot:options": (["idx"], lambda i: tf.one_hot(i, 3, on_value=5, off_value=-1, axis=0)),
    "oneHot:dtype": (["idx"], lambda i: tf.one_hot(i, 4, dtype=tf.float64)),
    "where": (["p"], tf.where),
    "where:select": (["p", "x", "y"], tf.where),
    "where:broadcast": (["p", "row"], lambda p, r: tf.where(p, r, 0.0)),
    "zerosLike": (["x"], tf.zeros_like),
    "zerosLike:dtype": (["x"], lambda x: tf.zeros_like(x, tf.int32)),
    "onesLike": (["a"], tf.ones_like),
    "onesLike:dtype": (["a"], lambda a: tf.ones_like(a, tf.bool)),
    "identity": (["x"], tf.identity),
    "stopGradient": (["x"], tf.stop_gradient),
    "shape": (["cube"], tf.shape),
    "shape:int64": (["cube"], lambda c: tf.shape(c, out_type=tf.int64)),
    "size": (["cube"], tf.size),
    "size:int64": (["cube"], lambda c: tf.size(c, out_type=tf.int64)),
    "rank": (["cube"], tf.rank),
    "pad": (["x"], lambda x: tf.pad(x, [[1, 0], [0, 2]])),
    "pad:constantValues": (["x"], lambda x: tf.pad(x, [[1, 1], [1, 0]], constant_values=9)),
    "pad:reflect": (["x"], lambda x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT")),
    "pad:symmetric": (["x"], lambda x: tf.pad(x, [[1, 1], [2, 3]], "symmetric")),
    "reverse": (["x"], lambda x: tf.reverse(x, [1])),
    "reverse:bothAxes": (["cube"], lambda c: tf.reverse(c, [0, -1])),
}

NN = {
    "relu": (["x"], tf.nn.relu),
    "relu6": (["x"], lambda x: tf.nn.relu6(x * 3)),
    "leakyRelu": (["x"], tf.nn.leaky_relu),
    "leakyRelu:alpha": (["x"], lambda x: tf.nn.leaky_relu(x, 0.5)),
    "leakyRelu:int": (["a"], tf.nn.leaky_relu),
    "elu": (["x"], tf.nn.elu),
    "selu": (["x"], tf.nn.selu),
    "softplus": (["x"], tf.nn.softplus),
    "gelu": (["x"], tf.nn.gelu),
    "gelu:approximate": (["x"], lambda x: tf.nn.gelu(x, approximate=True)),
    "gelu:float64": (["xd"], tf.nn.gelu),
    "gelu:float64Approximate": (["xd"], lambda x: tf.nn.gelu(x, True)),
    "silu": (["x"], tf.nn.silu),
    "silu:beta": (["x"], lambda x: tf.nn.silu(x, beta=2.0)),
    "swish": (["cube"], tf.nn.swish),
    "sigmoid": (["cube"], tf.nn.sigmoid),
    "tanh": (["cube"], tf.nn.tanh),
    "l2Normalize": (["cube"], lambda c: tf.nn.l2_normalize(c, [1, 2])),
    "softmax": (["x"], tf.nn.softmax),
    "softmax:axis0": (["x"], lambda x: tf.nn.softmax(x, 0)),
    "softmax:middleAxis": (["cube"], lambda c: tf.nn.softmax(c, 1)),
    "logSoftmax": (["x"], tf.nn.log_softmax),
    "logSoftmax:negativeAxis": (["cube"], lambda c: tf.nn.log_softmax(c, -2)),
    "biasAdd": (["x", "bias3"], tf.nn.bias_add),
    "biasAdd:NCHW": (["image_nchw", "bias2"], lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW")),
    "conv2d": (["image", "filters"], lambda i, f: tf.nn.conv2d(i, f, 1, "SAME")),
    "conv2d:validStrided": (["image", "filters"], lambda i, f: tf.nn.conv2d(i, f, [2, 1], "VALID")),
    "conv2d:dilated": (["image", "filters"], lambda i, f: tf.nn.conv2d(i, f, 1, "VALID", dilations=2)),
    "conv2d:explicitPadding": (["image", "filters"], lambda i, f: tf.nn.conv2d(i, f, 2, [[0, 0], [1, 1], [2, 0], [0, 0]])),
    "maxPool2d": (["image"], lambda i: tf.nn.max_pool2d(i, 2, 2, "VALID")),
    "maxPool2d:same": (["image"], lambda i: tf.nn.max_pool2d(i, 3, [2, 1], "SAME")),
    "maxPool2d:explicitPadding": (["image"], lambda i: tf.nn.max_pool2d(i, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])),
    "maxPool": (["image"], lambda i: tf.nn.max_pool(i, 2, 2, "SAME")),
    "maxPool:1d": (["signal"], lambda s: tf.nn.max_pool(s, 2, 2, "VALID")),
    "maxPool:3d": (["volume"], lambda v: tf.nn.max_pool(v, 2, 2, "VALID")),
    "avgPool2d": (["image"], lambda i: tf.nn.avg_pool2d(i, 2, 2, "VALID")),
    "avgPool2d:same": (["image"], lambda i: tf.nn.avg_pool2d(i, [3, 2], 2, "SAME")),
    "avgPool": (["image"], lambda i: tf.nn.avg_pool(i, 3, 1, "VALID")),
    "avgPool:1d": (["signal"], lambda s: tf.nn.avg_pool(s, 3, 2, "SAME")),
    "avgPool:3d": (["volume"], lambda v: tf.nn.avg_pool(v, 2, 1, "VALID")),
    "softmaxCrossEntropyWithLogits": (["probs", "logits"], lambda p, l: tf.nn.softmax_cross_entropy_with_logits(labels=p, logits=l)),
    "softmaxCrossEntropyWithLogits:axis0": (["probs", "logits"], lambda p, l: tf.nn.softmax_cross_entropy_with_logits(labels=p, logits=l, axis=0)),
    "softmaxCrossEntropyWithLogits:rank3": (["probs3", "logits3"], lambda p, l: tf.nn.softmax_cross_entropy_with_logits(labels=p, logits=l)),
    "softmaxCrossEntropyWithLogits:rank1": (["probs", "logits"], lambda p, l: tf.nn.softmax_cross_entropy_with_logits(labels=p[0], logits=l[0])),
    "sparseSoftmaxCrossEntropyWithLogits": (["labels_idx", "logits"], lambda y, l: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=l)),
    "sparseSoftmaxCrossEntropyWithLogits:rank3": (["labels3", "logits3"], lambda y, l: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=l)),
    "sigmoidCrossEntropyWithLogits": (["targets", "x"], lambda t, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=t, logits=x)),
    "l2Loss": (["x"], tf.nn.l2_loss),
    "moments": (["x"], lambda x: tf.nn.moments(x, [0])),
    "moments:keepdims": (["cube"], lambda c: tf.nn.moments(c, [0, 2], keepdims=True)),
    "batchNormalization": (["x", "mean3", "variance3", "offset3", "scale3"], lambda x, m, v, o, s: tf.nn.batch_normalization(x, m, v, o, s, 1e-3)),
    "batchNormalization:noOffsetScale": (["x", "mean3", "variance3"], lambda x, m, v: tf.nn.batch_normalization(x, m, v, None, None, 0.5)),
}


def t(name):
    """A raw-op keyword argument that is one of the named inputs."""
    return {"tensor": name}


def d(dtype):
    """A raw-op type attribute."""
    return {"dtype": dtype}


# A broad sample of generated wrappers: [op, kwargs]; attrs are plain values, dtypes via d().
RAW = [
    ["Abs", {"x": t("x")}],
    ["AddV2", {"x": t("x"), "y": t("row")}],
    ["Sub", {"x": t("a"), "y": t("b")}],
    ["Mul", {"x": t("x"), "y": t("y")}],
    ["RealDiv", {"x": t("x"), "y": t("y")}],
    ["FloorDiv", {"x": t("a"), "y": t("b")}],
    ["FloorMod", {"x": t("a"), "y": t("b")}],
    ["TruncateDiv", {"x": t("a"), "y": t("b")}],
    ["Maximum", {"x": t("x"), "y": t("y")}],
    ["Neg", {"x": t("a")}],
    ["Reciprocal", {"x": t("y")}],
    ["Sqrt", {"x": t("pos")}],
    ["Exp", {"x": t("x")}],
    ["Expm1", {"x": t("x")}],
    ["Log", {"x": t("pos")}],
    ["Sin", {"x": t("x")}],
    ["Tan", {"x": t("unit")}],
    ["Atan2", {"y": t("x"), "x": t("y")}],
    ["Erf", {"x": t("x")}],
    ["Sigmoid", {"x": t("x")}],
    ["Round", {"x": t("halves")}],
    ["Rint", {"x": t("halves")}],
    ["Sign", {"x": t("a")}],
    ["Pow", {"x": t("pos"), "y": t("x")}],
    ["Equal", {"x": t("a"), "y": t("b")}],
    ["LessEqual", {"x": t("x"), "y": t("y")}],
    ["LogicalOr", {"x": t("p"), "y": t("q")}],
    ["SelectV2", {"condition": t("p"), "t": t("x"), "e": t("y")}],
    ["Sum", {"input": t("cube"), "reduction_indices": [0, 2], "keep_dims": True}],
    ["Mean", {"input": t("x"), "reduction_indices": 1}],
    ["Max", {"input": t("cube"), "reduction_indices": -1}],
    ["Prod", {"input": t("a"), "reduction_indices": 0}],
    ["ArgMin", {"input": t("cube"), "dimension": 1, "output_type": d("int32")}],
    ["Cumprod", {"x": t("x"), "axis": 1, "exclusive": True}],
    ["MatMul", {"a": t("x"), "b": t("y"), "transpose_b": True}],
    ["BatchMatMulV2", {"x": t("batch_a"), "y": t("batch_b"), "adj_x": False}],
    ["Einsum", {"inputs": [t("x"), t("y")], "equation": "ij,ij->i"}],
    ["Cast", {"x": t("x"), "DstT": d("int64")}],
    ["Reshape", {"tensor": t("cube"), "shape": [4, -1]}],
    ["Transpose", {"x": t("cube"), "perm": [2, 0, 1]}],
    ["ConcatV2", {"values": [t("x"), t("y"), t("x")], "axis": 1}],
    ["Pack", {"values": [t("a"), t("b")], "axis": 1}],
    ["Unpack", {"value": t("cube"), "num": 3, "axis": 1}],
    ["Split", {"split_dim": 2, "value": t("cube"), "num_split": 4}],
    ["Tile", {"input": t("row"), "multiples": [3]}],
    ["GatherV2", {"params": t("cube"), "indices": t("idx2"), "axis": 1}],
    ["GatherNd", {"params": t("cube"), "indices": t("idx2")}],
    ["ScatterNd", {"indices": [[1], [3]], "updates": t("x"), "shape": [5, 3]}],
    ["StridedSlice", {"input": t("cube"), "begin": [0, 2, 0], "end": [2, 0, 4], "strides": [1, -1, 2]}],
    ["ReverseV2", {"tensor": t("x"), "axis": [0]}],
    ["OneHot", {"indices": t("idx"), "depth": 4, "on_value": 1.5, "off_value": -0.5}],
    ["Fill", {"dims": [2, 3], "value": 7}],
    ["Range", {"start": 1, "limit": 10, "delta": 3}],
    ["Shape", {"input": t("cube"), "out_type": d("int64")}],
    ["Where", {"input": t("a")}],
    ["Unique", {"x": t("vals")}],
    ["TopKV2", {"input": t("logits"), "k": 2}],
    ["UnsortedSegmentSum", {"data": t("vals"), "segment_ids": t("segments"), "num_segments": 4}],
    ["SegmentMax", {"data": t("vals"), "segment_ids": t("segments")}],
    ["BroadcastTo", {"input": t("row"), "shape": [2, 3]}],
    ["InvertPermutation", {"x": [2, 0, 1]}],
    ["MatrixInverse", {"input": t("sq")}],
    ["Cholesky", {"input": t("sq")}],
    ["MatrixDeterminant", {"input": t("sq")}],
    ["Relu", {"features": t("x")}],
    ["Elu", {"features": t("x")}],
    ["Softmax", {"logits": t("logits")}],
    ["BiasAdd", {"value": t("x"), "bias": t("bias3")}],
    ["Conv2D", {"input": t("image"), "filter": t("filters"), "strides": [1, 1, 1, 1], "padding": "VALID"}],
    ["MaxPool", {"input": t("image"), "ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "SAME"}],
    ["L2Loss", {"t": t("cube")}],
    ["SquaredDifference", {"x": t("x"), "y": t("row")}],
    ["BitwiseAnd", {"x": t("a"), "y": t("b")}],
    ["LeftShift", {"x": t("vals"), "y": [1, 2, 3, 0, 1, 2]}],
    ["ClipByValue", {"t": t("x"), "clip_value_min": -1.0, "clip_value_max": 1.0}],
    ["DiagPart", {"input": t("sq")}],
    ["MatrixBandPart", {"input": t("cube"), "num_lower": 0, "num_upper": 1}],
    ["StringJoin", {"inputs": [t("s"), t("s")], "separator": "-"}],
]


def encode_value(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return f


def encode_array(array):
    array = np.asarray(array)
    dtype = "string" if array.dtype == object else tf.as_dtype(array.dtype).name
    return {"dtype": dtype, "shape": list(array.shape), "values": [encode_value(v) for v in array.reshape(-1)]}


def encode_result(result):
    """One tensor, or a list for functions that return several (unstack, split, moments, raw ops)."""
    if isinstance(result, (list, tuple)):
        return [encode_result(r) for r in result]
    return encode_array(result.numpy())


def run_cases(cases):
    out = {}
    for key, (arg_names, fn) in cases.items():
        result = fn(*[tf.constant(INPUTS[n]) for n in arg_names])
        out[key] = {"args": arg_names, "expected": encode_result(result)}
    return out


def raw_argument(value):
    if isinstance(value, dict) and "tensor" in value:
        return tf.constant(INPUTS[value["tensor"]])
    if isinstance(value, dict) and "dtype" in value:
        return tf.as_dtype(value["dtype"])
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [raw_argument(v) for v in value]
    return value


# Where Python's raw_ops renamed an OpDef argument (the fixture keeps the OpDef names).
PYTHON_ARG_NAME = {"reduction_indices": "axis", "split_dim": "axis", "input": "condition"}


def run_raw(cases):
    out = []
    for op, kwargs in cases:
        fn = getattr(tf.raw_ops, op)
        params = inspect.signature(fn).parameters
        python_kwargs = {k if k in params else PYTHON_ARG_NAME[k]: raw_argument(v) for k, v in kwargs.items()}
        result = fn(**python_kwargs)
        outputs = list(result) if isinstance(result, (list, tuple)) else [result]
        out.append({"op": op, "kwargs": kwargs, "expected": [encode_result(r) for r in outputs]})
    return out


def main():
    fixture = {
        "inputs": {name: encode_array(value) for name, value in INPUTS.items()},
        "math": run_cases(MATH),
        "array": run_cases(ARRAY),
        "nn": run_cases(NN),
        "raw": run_raw(RAW),
    }
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.relpath(FIXTURE)}: " + ", ".join(f"{k} {len(fixture[k])}" for k in ("math", "array", "nn", "raw")))


if __name__ == "__main__":
    main()
