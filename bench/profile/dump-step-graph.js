// Preload for a tf-napi program (node -r): at exit it writes the global graph as a GraphDef and each
// pre-resolved callable's feeds, fetches and targets into $STEP_GRAPH_DIR (default ./step-graph), so
// step_graph.py can replay the largest callable, the training step, in Python TF with full tracing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', '..', 'dist', 'lib');
const { Session } = require(path.join(dist, 'raw', 'session'));
const { runtime } = require(path.join(dist, 'runtime'));

const outputName = (o) => `${o.op.name}:${o.index}`;
const callables = [];
const makeCallable = Session.prototype.makeCallable;
Session.prototype.makeCallable = function (feeds, fetches, targets = [], options) {
  callables.push({ feeds: feeds.map(outputName), fetches: fetches.map(outputName), targets: targets.map((t) => t.name) });
  return makeCallable.call(this, feeds, fetches, targets, options);
};
process.on('exit', () => {
  const dir = process.env.STEP_GRAPH_DIR || 'step-graph';
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'graph.pb'), runtime.graph.toGraphDef());
  fs.writeFileSync(path.join(dir, 'callables.json'), JSON.stringify(callables, null, 1));
  process.stderr.write(`step graph: ${callables.length} callables written to ${dir}/\n`);
});
