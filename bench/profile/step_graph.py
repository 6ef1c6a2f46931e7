"""Replays the training step that dump-step-graph.js exported, in Python TF's session with full tracing.

Prints the step's node count after grappler, its op types, and each op type's time per step (the
per-op times include the tracer's own overhead, so compare them with each other, not with steps/s).

    python bench/profile/step_graph.py [STEP_GRAPH_DIR] [--threads N] [--runs N] [--op-library PATH] [--callable I]
"""
import argparse
import collections
import json
import os

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_eager_execution()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dir', nargs='?', default='step-graph')
    parser.add_argument('--threads', type=int, default=0, help='intra- and inter-op threads (0: TF default)')
    parser.add_argument('--runs', type=int, default=50)
    parser.add_argument('--op-library', help="tf-napi's build/Release/tf_napi_ops.so, for a step that uses its ops")
    parser.add_argument('--callable', type=int, help="index in callables.json (default: the one with most targets); fit's steps that fetch nothing are the 3-feed one without fetches")
    args = parser.parse_args()
    if args.op_library:
        tf.load_op_library(args.op_library)

    graph_def = tf1.GraphDef()
    with open(os.path.join(args.dir, 'graph.pb'), 'rb') as f:
        graph_def.ParseFromString(f.read())
    with open(os.path.join(args.dir, 'callables.json')) as f:
        callables = json.load(f)
    graph = tf.Graph()
    with graph.as_default():
        tf1.import_graph_def(graph_def, name='')
    config = tf1.ConfigProto(intra_op_parallelism_threads=args.threads, inter_op_parallelism_threads=args.threads)
    session = tf1.Session(graph=graph, config=config)
    rng = np.random.RandomState(0)

    def value_for(name):
        t = graph.get_tensor_by_name(name)
        shape = [d if d is not None else 1 for d in t.shape.as_list()]
        return rng.uniform(-0.1, 0.1, shape).astype(t.dtype.as_numpy_dtype)

    # Variables are created by one-feed assign callables; give each a value.
    for c in callables:
        if len(c['feeds']) == 1 and not c['fetches'] and any('Assign' in t for t in c['targets']):
            session.run(c['targets'], {c['feeds'][0]: value_for(c['feeds'][0])})
    step = callables[args.callable] if args.callable is not None else max(callables, key=lambda c: len(c['targets']))
    feeds = {name: value_for(name) for name in step['feeds']}
    fetches = [graph.get_tensor_by_name(n) for n in step['fetches']] + [graph.get_operation_by_name(n) for n in step['targets']]
    for _ in range(20):  # oneDNN builds its primitives on the first runs
        session.run(fetches, feeds)
    options = tf1.RunOptions(trace_level=tf1.RunOptions.FULL_TRACE, output_partition_graphs=True)
    per_run = []
    metadata = None
    for _ in range(args.runs):
        metadata = tf1.RunMetadata()
        session.run(fetches, feeds, options=options, run_metadata=metadata)
        run = collections.Counter()
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                label = node.timeline_label
                op = label.split('=')[-1].split('(')[0].strip() if '=' in label else node.node_name
                run[op] += node.op_end_rel_micros
        per_run.append(run)
    # A loaded machine's stalls hit single runs: per op type, the mean over the runs whose total is
    # in the fastest 60% (the tracer's times are whole µs, so a median would round small ops away).
    kept = sorted(per_run, key=lambda r: sum(r.values()))[: max(1, len(per_run) * 3 // 5)]
    per_op = collections.Counter({op: sum(r[op] for r in kept) / len(kept) for op in set().union(*kept)})
    total = sum(per_op.values())
    ops = collections.Counter(n.op for g in metadata.partition_graphs for n in g.node)
    print(f'step: {len(step["feeds"])} feeds, {len(step["fetches"])} fetches, {len(step["targets"])} targets')
    print(f'nodes after grappler: {sum(ops.values())}')
    print('op types: ' + ', '.join(f'{op} {n}' for op, n in ops.most_common()))
    print(f'µs per step by op type (traced; mean of the fastest 60% of {args.runs} runs; all ops {total:.1f}): ' + ', '.join(f'{op} {t:.1f}' for op, t in per_op.most_common()))


if __name__ == '__main__':
    main()
