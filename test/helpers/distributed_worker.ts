// One task of a test cluster (TF_CONFIG names it), or the single-process reference without TF_CONFIG:
// trains the MNIST MLP (or the CNN) with a global batch and prints one JSON line of losses and weights.
// argv: model ('mlp' | 'cnn'), samples, epochs, global batch size, [timeout seconds], [shuffle '1' | '0'].
// With TEST_CKPT_DIR: the chief writes a tf.train.Checkpoint (model and optimizer) after each epoch,
// and a restart resumes from it at the next epoch. With TEST_BACKUP_DIR: BackupAndRestore does it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../lib';
import { loadData } from '../../examples/mnist_data';

async function main(): Promise<void> {
  const [kind = 'mlp', samples = '1024', epochs = '2', batchSize = '128', timeout = '30', shuffle = '1'] = process.argv.slice(2);
  const strategy = process.env.TF_CONFIG
    ? new tf.distribute.MultiWorkerMirroredStrategy({ communicationOptions: { timeoutSeconds: Number(timeout) } })
    : null;
  tf.random.setSeed(0);
  const [[xAll, yAll]] = loadData();
  const n = Number(samples);
  const x = tf.slice(xAll, [0, 0, 0, 0], [n, -1, -1, -1]);
  const y = tf.slice(yAll, [0], [n]);
  const build = () => {
    const layers =
      kind === 'cnn'
        ? [
            new tf.keras.layers.Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }),
            new tf.keras.layers.MaxPooling2D({ poolSize: 2 }),
            new tf.keras.layers.Flatten(),
            new tf.keras.layers.Dense({ units: 10, activation: 'softmax' }),
          ]
        : [
            new tf.keras.layers.Flatten(),
            new tf.keras.layers.Dense({ units: 64, activation: 'relu' }),
            new tf.keras.layers.Dense({ units: 10, activation: 'softmax' }),
          ];
    const model = new tf.keras.Sequential([tf.keras.Input({ shape: [28, 28, 1] }), ...layers]);
    // A schedule: the learning rate follows the global step, the same on every worker.
    const learningRate = new tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 2e-3, decaySteps: 4, decayRate: 0.9 });
    model.compile({
      optimizer: new tf.keras.optimizers.Adam({ learningRate }),
      loss: 'sparse_categorical_crossentropy',
      metrics: process.env.TEST_METRICS ? ['accuracy'] : [],
    });
    return model;
  };
  const model = strategy ? strategy.scope(build) : build();
  // A fault for the tests: this task dies (SIGKILL) after the given batch.
  const dieAt = process.env.TEST_DIE_AT_BATCH;
  const dieEpoch = Number(process.env.TEST_DIE_AT_EPOCH ?? 0);
  let epochNow = 0;
  const callbacks: tf.keras.callbacks.Callback[] = [];
  if (dieAt !== undefined && strategy !== null && strategy.taskId === Number(process.env.TEST_DIE_TASK ?? 1)) {
    callbacks.push(
      new tf.keras.callbacks.LambdaCallback({
        onEpochBegin: (epoch: number) => {
          epochNow = epoch;
        },
        onTrainBatchEnd: (batch: number) => {
          if (epochNow === dieEpoch && batch === Number(dieAt)) process.kill(process.pid, 'SIGKILL');
        },
      }),
    );
  }
  // Chief-only checkpoints: every worker restores the chief's last one (one machine's shared disk here).
  const dir = process.env.TEST_CKPT_DIR;
  let initialEpoch = 0;
  if (dir !== undefined) {
    const checkpoint = new tf.train.Checkpoint({
      model: Object.fromEntries(model.variables.map((v, i) => [`v${i}`, v])),
      optimizer: model.optimizer,
    });
    const marker = path.join(dir, 'epoch.json');
    if (fs.existsSync(marker)) {
      checkpoint.restore(path.join(dir, 'ckpt'));
      initialEpoch = (JSON.parse(fs.readFileSync(marker, 'utf8')) as { epoch: number }).epoch + 1;
      process.stderr.write(`resuming at epoch ${initialEpoch}\n`);
    }
    if (strategy === null || strategy.isChief) {
      callbacks.push(
        new tf.keras.callbacks.LambdaCallback({
          onEpochEnd: (epoch: number) => {
            checkpoint.write(path.join(dir, 'ckpt'));
            // The marker last: a checkpoint without it is never trusted.
            fs.writeFileSync(`${marker}.tmp`, JSON.stringify({ epoch }));
            fs.renameSync(`${marker}.tmp`, marker);
          },
        }),
      );
    }
  }
  // TEST_BACKUP_DIR: Keras' BackupAndRestore, each task given its own directory ('{task}' in the path),
  // so a non-chief can only resume from what the chief broadcasts.
  const backupDir = process.env.TEST_BACKUP_DIR;
  if (backupDir !== undefined) {
    callbacks.push(new tf.keras.callbacks.BackupAndRestore({ backupDir: backupDir.replace('{task}', String(strategy?.taskId ?? 0)) }));
  }
  const started = Date.now();
  let history: Awaited<ReturnType<typeof model.fit>>;
  try {
    // TEST_DATASET: the same data as a dataset of global batches, which fit splits across workers.
    history = process.env.TEST_DATASET
      ? await model.fit(tf.data.Dataset.fromTensorSlices([x, y]).batch(Number(batchSize)), {
          epochs: Number(epochs),
          verbose: 0,
          callbacks,
          initialEpoch,
        })
      : await model.fit(x, y, {
          batchSize: Number(batchSize),
          epochs: Number(epochs),
          verbose: 0,
          shuffle: shuffle === '1',
          callbacks,
          initialEpoch,
          // TEST_METRICS: validated every epoch on 301 samples (the last batch of 45 splits 22 + 23).
          ...(process.env.TEST_METRICS
            ? { validationData: [tf.slice(xAll, [n, 0, 0, 0], [301, -1, -1, -1]), tf.slice(yAll, [n], [301])] }
            : {}),
        });
  } catch (e) {
    process.stderr.write(`failed after ${Date.now() - started} ms\n`);
    throw e;
  }
  const weights = model.getWeights().map((w) => Array.from(w.dataSync() as Float32Array));
  // TEST_METRICS: evaluate and predict on 999 samples in batches of 100 (the last, 99, splits unevenly).
  let extra = {};
  if (process.env.TEST_METRICS) {
    const [xe, ye] = [tf.slice(xAll, [0, 0, 0, 0], [999, -1, -1, -1]), tf.slice(yAll, [0], [999])];
    const evaluated = await model.evaluate(xe, ye, { batchSize: 100, verbose: 0, returnDict: true });
    const predicted = await model.predict(xe, { batchSize: 100, verbose: 0 });
    extra = {
      history: history.history,
      evaluated,
      predictedShape: predicted.shape,
      predicted: Array.from(predicted.dataSync() as Float32Array),
    };
  }
  // Exit once the (large) line is flushed: a pipe write is asynchronous.
  process.stdout.write(
    `${JSON.stringify({ loss: history.history.loss, weights, replicas: strategy?.numReplicasInSync ?? 1, learningRate: Number(model.optimizer.learningRate), iterations: Number(model.optimizer.iterations), ...extra })}\n`,
    () => process.exit(0),
  );
}

main().catch((e: Error) => {
  process.stderr.write(`${e.constructor.name}: ${e.message}\n`);
  process.exit(1);
});
