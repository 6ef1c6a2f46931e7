// Per-call cost of a trivial session run through a pre-resolved callable, sync and async,
// against the same run through session.run (which resolves names and outputs every call).
import * as tf from '../lib';

const { Graph, OperationBuilder, Session, hostTensor } = tf.raw;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(name: string, calls: number, rounds: number, body: () => unknown | Promise<unknown>): Promise<number> {
  const perCall: number[] = [];
  for (let r = 0; r < rounds; ++r) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; ++i) await body();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
  const m = median(perCall);
  console.log(
    `${name.padEnd(28)} ${m.toFixed(2).padStart(8)} µs/call  (min ${Math.min(...perCall).toFixed(2)}, max ${Math.max(...perCall).toFixed(2)})`,
  );
  return m;
}

async function main(): Promise<void> {
  const g = new Graph();
  const x = { op: new OperationBuilder(g, 'Placeholder', 'x').setAttrType('dtype', 'float32').finish(), index: 0 };
  const y = { op: new OperationBuilder(g, 'Neg', 'y').addInput(x).finish(), index: 0 };
  const session = new Session(g, { intraOpParallelismThreads: 1, interOpParallelismThreads: 1 });
  const callable = session.makeCallable([x], [y]);
  const inline = session.makeCallable([x], [y], [], { runInCallerThread: true });
  const input = hostTensor(1, undefined, 'float32');
  const calls = 20000;
  const rounds = 5;
  await measure('warm-up', calls, 1, () => callable.run([input])[0].dispose());
  const sync = await measure('callable.run (sync)', calls, rounds, () => callable.run([input])[0].dispose());
  const asyncCost = await measure('callable.runAsync (await)', calls / 4, rounds, async () =>
    (await callable.runAsync([input]))[0].dispose(),
  );
  const caller = await measure('callable.run (caller thread)', calls, rounds, () => inline.run([input])[0].dispose());
  await measure('runAsync (caller thread)', calls / 4, rounds, async () => (await inline.runAsync([input]))[0].dispose());
  const unresolved = await measure('session.run (sync)', calls, rounds, () =>
    session.run({ feeds: [[x, input]], fetches: [y] })[0].dispose(),
  );
  console.log(
    `ratios: session.run / callable.run ${(unresolved / sync).toFixed(2)}, async / sync ${(asyncCost / sync).toFixed(2)}, ` +
      `inter-op pool / caller thread ${(sync / caller).toFixed(2)}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
