// What a step's VarHandleOps cost, and what feeding the handles instead would: three callables on
// one session, timed in interleaved rounds (µs per run, medians; the per-round differences cancel
// most of a shared machine's noise):
//   A: N VarHandleOps, each read by a ReadVariableOp, summed (what a traced step does per variable)
//   C: 1 VarHandleOp read N times, summed (A with N - 1 handle nodes fewer: what holding the handles
//      in one node could save at most)
//   B: N fed float scalars, summed (no variables at all: the least a fed handle could cost, before
//      the C API parses each fed DT_RESOURCE tensor's serialized ResourceHandle)
// Usage: node bench/profile/var_handles.js [N=16] [threads=0 (TF's default pools)] [rounds=9]
'use strict';
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'lib');
const tf = require(dist);
const { Session } = require(path.join(dist, 'raw', 'session'));
const { hostTensor } = require(path.join(dist, 'raw', 'host_tensor'));
const { dtypeToEnum } = require(path.join(dist, 'dtypes'));

const N = Number(process.argv[2] ?? 16);
const threads = Number(process.argv[3] ?? 0);
const rounds = Number(process.argv[4] ?? 9);
const RUNS = 20000;
const F = dtypeToEnum('float32');

const graph = new tf.raw.Graph();
const add = (spec) => graph.addOperation(spec);
const out = (op) => ({ op, index: 0 });
const sum = (name, ops) =>
  add({
    type: 'AddN',
    name,
    inputs: [ops.map(out)],
    attrs: [
      ['N', 'int', ops.length],
      ['T', 'type', F],
    ],
  });
const read = (name, handle) => add({ type: 'ReadVariableOp', name, inputs: [out(handle)], attrs: [['dtype', 'type', F]] });
const initValue = add({
  type: 'Placeholder',
  name: 'init_value',
  attrs: [
    ['dtype', 'type', F],
    ['shape', 'shape', []],
  ],
});
const handles = [];
const inits = [];
const feeds = [];
for (let i = 0; i < N; ++i) {
  const h = add({
    type: 'VarHandleOp',
    name: `v${i}`,
    attrs: [
      ['dtype', 'type', F],
      ['shape', 'shape', []],
      ['shared_name', 'string', `v${i}`],
    ],
  });
  handles.push(h);
  inits.push(add({ type: 'AssignVariableOp', name: `init${i}`, inputs: [out(h), out(initValue)], attrs: [['dtype', 'type', F]] }));
  feeds.push(
    add({
      type: 'Placeholder',
      name: `feed${i}`,
      attrs: [
        ['dtype', 'type', F],
        ['shape', 'shape', []],
      ],
    }),
  );
}
const sumA = sum(
  'sum_a',
  handles.map((h, i) => read(`read_a${i}`, h)),
);
const sumC = sum(
  'sum_c',
  handles.map((_, i) => read(`read_c${i}`, handles[0])),
);
const sumB = sum('sum_b', feeds);

const session = new Session(graph, threads ? { interOpParallelismThreads: threads, intraOpParallelismThreads: threads } : {});
const inCaller = { runInCallerThread: true };
session.makeCallable([out(initValue)], [], inits, inCaller).run([hostTensor(1, [], 'float32')]);
const values = feeds.map(() => hostTensor(1, [], 'float32'));
const callables = {
  A: [session.makeCallable([], [out(sumA)], [], inCaller), []],
  C: [session.makeCallable([], [out(sumC)], [], inCaller), []],
  B: [session.makeCallable(feeds.map(out), [out(sumB)], [], inCaller), values],
};
const time = ([callable, inputs], runs) => {
  const start = performance.now();
  for (let i = 0; i < runs; ++i) callable.run(inputs)[0].dispose();
  return ((performance.now() - start) / runs) * 1000;
};
for (const c of Object.values(callables)) time(c, 2000);
const res = { A: [], B: [], C: [] };
for (let r = 0; r < rounds; ++r) for (const k of Object.keys(res)) res[k].push(time(callables[k], RUNS));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const diff = (k) => {
  const d = res.A.map((a, i) => a - res[k][i]);
  return `${median(d).toFixed(2)} (${Math.min(...d).toFixed(2)}..${Math.max(...d).toFixed(2)})`;
};
console.log(
  `N=${N}, threads ${threads || 'default'}, µs per run (medians of ${rounds} rounds of ${RUNS}): ` +
    `A ${median(res.A).toFixed(2)}, C ${median(res.C).toFixed(2)}, B ${median(res.B).toFixed(2)}; ` +
    `A - C ${diff('C')}; A - B ${diff('B')}`,
);
