// MirroredStrategy in one process: argv [replicas]. With 2 the CPU is split into two logical devices
// and the MNIST MLP trains with one replica per device; with 1 it trains without a strategy. Same
// data, seed and global batch; prints one JSON line of losses, metrics and weights.
import * as tf from '../../lib';
import { loadData } from '../../examples/mnist_data';

async function main(): Promise<void> {
  const replicas = Number(process.argv[2] ?? '2');
  if (replicas > 1) {
    const [cpu] = tf.config.listPhysicalDevices('CPU');
    tf.config.setLogicalDeviceConfiguration(cpu, new Array(replicas).fill({}));
  }
  const strategy =
    replicas > 1 ? new tf.distribute.MirroredStrategy({ devices: Array.from({ length: replicas }, (_, i) => `/cpu:${i}`) }) : null;
  tf.random.setSeed(0);
  const [[xAll, yAll]] = loadData();
  // 1000 samples: the last global batch of 104 splits 52 + 52; 301 more to validate and evaluate.
  const x = tf.slice(xAll, [0, 0, 0, 0], [1000, -1, -1, -1]);
  const y = tf.slice(yAll, [0], [1000]);
  const xv = tf.slice(xAll, [1000, 0, 0, 0], [301, -1, -1, -1]);
  const yv = tf.slice(yAll, [1000], [301]);
  const build = () => {
    const model = new tf.keras.Sequential([
      tf.keras.Input({ shape: [28, 28, 1] }),
      new tf.keras.layers.Flatten(),
      new tf.keras.layers.Dense({ units: 128, activation: 'relu' }),
      new tf.keras.layers.Dense({ units: 10, activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: new tf.keras.optimizers.Adam({ learningRate: 1e-3 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    return model;
  };
  const model = strategy ? strategy.scope(build) : build();
  const history = await model.fit(x, y, { batchSize: 128, epochs: 2, verbose: 0, validationData: [xv, yv] });
  const evaluated = await model.evaluate(xv, yv, { batchSize: 100, verbose: 0, returnDict: true });
  // 301 rows in batches of 100: the last (1 row) leaves replica 0 an empty part.
  const predicted = Array.from((await model.predict(xv, { batchSize: 100, verbose: 0 })).dataSync() as Float32Array);
  const strategyKept = model.distributeStrategy === strategy;
  const weights = model.getWeights().map((w) => Array.from(w.dataSync() as Float32Array));
  // The devices the train step's nodes name (each replica's ops are placed on its own).
  const graph = Buffer.from(model.trainFunction?.graphDef() ?? new Uint8Array()).toString('latin1');
  const devices = ['/device:CPU:0', '/device:CPU:1'].filter((d) => graph.includes(d));
  // strategy.run on every replica's device, strategy.reduce of its PerReplica value.
  let reduced = {};
  if (strategy !== null) {
    const t = tf.constant([
      [1, 2],
      [3, 4],
    ]);
    const perReplica = strategy.run((a: tf.Tensor) => tf.mul(a, 2), { args: [t] });
    reduced = {
      sum: Array.from(strategy.reduce('SUM', perReplica).dataSync()),
      meanAxis: Array.from(strategy.reduce('MEAN', perReplica, { axis: 0 }).dataSync()),
      locals: strategy.experimentalLocalResults(perReplica).length,
    };
  }
  process.stdout.write(
    `${JSON.stringify({ predicted, strategyKept, reduced, replicas: strategy?.numReplicasInSync ?? 1, loss: history.history.loss, history: history.history, evaluated, weights, devices, iterations: Number(model.optimizer.iterations) })}\n`,
    () => process.exit(0),
  );
}

main().catch((e: Error) => {
  process.stderr.write(`${e.constructor.name}: ${e.message}\n${e.stack}\n`);
  process.exit(1);
});
