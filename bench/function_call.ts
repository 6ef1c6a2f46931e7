// tf.function overhead: a trivial traced function (sync and async) against the raw pre-resolved
// session run it compiles to, and the trace time of a 3-layer MLP training step.
import * as tf from '../lib';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function perCall(calls: number, rounds: number, body: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; ++r) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; ++i) await body();
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
  return median(samples);
}

function dense(name: string, fanIn: number, units: number): [tf.Variable, tf.Variable] {
  const limit = Math.sqrt(6 / (fanIn + units));
  const kernel = new Float32Array(fanIn * units).map(() => (Math.random() * 2 - 1) * limit);
  return [
    new tf.Variable(tf.tensor(kernel, [fanIn, units]), { name: `${name}/kernel` }),
    new tf.Variable(tf.zeros([units]), { name: `${name}/bias` }),
  ];
}

async function main(): Promise<void> {
  const x = tf.tensor(1, [], 'float32');
  const neg = tf.function((t: tf.Tensor) => tf.rawOps.Neg({ x: t }));
  neg(x);
  const sync = await perCall(20000, 5, () => neg(x).dispose());
  const asyncCall = await perCall(5000, 5, async () => (await neg.callAsync(x)).dispose());

  const { Graph, OperationBuilder, Session, hostTensor } = tf.raw;
  const g = new Graph();
  const p = { op: new OperationBuilder(g, 'Placeholder', 'p').setAttrType('dtype', 'float32').finish(), index: 0 };
  const n = { op: new OperationBuilder(g, 'Neg', 'n').addInput(p).finish(), index: 0 };
  const callable = new Session(g).makeCallable([p], [n], [], { runInCallerThread: true });
  const input = hostTensor(1, [], 'float32');
  const raw = await perCall(20000, 5, () => callable.run([input])[0].dispose());

  const layers = [dense('d0', 784, 256), dense('d1', 256, 256), dense('d2', 256, 10)];
  const variables = layers.flat();
  const optimizer = new tf.keras.optimizers.Adam();
  const step = tf.function((images: tf.Tensor, labels: tf.Tensor) => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => {
      let h = images;
      layers.forEach(([kernel, bias], i) => {
        h = tf.rawOps.BiasAdd({ value: tf.rawOps.MatMul({ a: h, b: kernel.value() }), bias: bias.value() });
        if (i < layers.length - 1) h = tf.rawOps.Relu({ features: h });
      });
      const { loss: perExample } = tf.rawOps.SoftmaxCrossEntropyWithLogits({ features: h, labels });
      return tf.rawOps.Mean({ input: perExample, reductionIndices: 0 });
    });
    optimizer.applyGradients(tf.zip(tape.gradient(loss, variables), variables));
    return loss;
  });
  const images = tf.tensor(new Float32Array(128 * 784).fill(0.5), [128, 784]);
  const labels = tf.tensor(new Float32Array(128 * 10).fill(0.1), [128, 10]);
  const traceStart = process.hrtime.bigint();
  step(images, labels);
  const traceMs = Number(process.hrtime.bigint() - traceStart) / 1e6;
  const stepUs = await perCall(50, 3, () => step(images, labels).dispose());

  console.log(`raw callable.run (caller thread)   ${raw.toFixed(2)} µs/call`);
  console.log(`tf.function sync call              ${sync.toFixed(2)} µs/call  (${(sync / raw).toFixed(2)}× raw)`);
  console.log(`tf.function callAsync              ${asyncCall.toFixed(2)} µs/call  (${(asyncCall / raw).toFixed(2)}× raw)`);
  console.log(
    `MLP 784-256-256-10 Adam step: first call (trace + run) ${traceMs.toFixed(1)} ms, then ${(stepUs / 1000).toFixed(2)} ms/step`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
