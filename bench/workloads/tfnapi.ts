// tf-napi worker of bench/run.js (protocol: bench/README.md), a port of python_tf.py: the spec's model
// as a Keras Sequential; `loop` trains it with a tf.function step (tape + applyGradients), one session
// run per batch, `fit` with model.fit; `--async` awaits each loop step off the event loop instead.
import * as tf from '../../lib';
import { batchTensors, build, common, makeTrainStep } from './tfnapi_model';

async function main(): Promise<void> {
  const { w, mode, warmup, steps, flags } = common.parseArgs(process.argv.slice(2));
  const runAsync = flags.async === true;
  const { model, optimizer, loss: lossFn } = build(w);
  const { x, y, features, outputs } = common.makeData(w);
  const batches = common.spec.batches;
  const assign = w.lr === 'assign';
  let done = 0; // optimizer updates so far: the step of common.learningRate()
  let train: (count: number) => Promise<number>;
  if (mode === 'loop') {
    const { xs, ys } = batchTensors(w);
    const trainStep = makeTrainStep(model, optimizer, lossFn);
    train = async (count) => {
      let loss: tf.Tensor | undefined;
      for (let i = 0; i < count; ++i) {
        if (assign) optimizer.learningRate.assign(common.learningRate(w, done));
        loss?.dispose();
        loss = runAsync ? await trainStep.callAsync(xs[i % batches], ys[i % batches]) : trainStep(xs[i % batches], ys[i % batches]);
        done += 1;
      }
      return (loss as tf.Tensor).numpy() as number;
    };
  } else {
    class AssignLearningRate extends tf.keras.callbacks.Callback {
      override onTrainBatchBegin(): void {
        optimizer.learningRate.assign(common.learningRate(w, done));
        done += 1;
      }
    }
    model.compile({ optimizer, loss: lossFn });
    const callbacks = assign ? [new AssignLearningRate()] : [];
    train = async (count) => {
      const perEpoch = Math.min(count, batches);
      const rows = perEpoch * w.batch;
      const history = await model.fit(
        { data: x.subarray(0, rows * features), shape: [rows, ...w.input] },
        { data: y.subarray(0, rows * outputs), shape: [rows, outputs] },
        { batchSize: w.batch, epochs: count / perEpoch, shuffle: false, verbose: 0, callbacks },
      );
      const losses = history.history.loss as number[];
      return losses[losses.length - 1];
    };
  }
  if (warmup > 0) await train(warmup);
  const start = process.hrtime.bigint();
  const finalLoss = await train(steps);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(
    JSON.stringify({
      impl: runAsync ? 'tf-napi-async' : 'tf-napi',
      backend: `tf-napi ${tf.version.tfNapi} (TF ${tf.version.tensorflow})`,
      workload: w.name,
      mode,
      steps,
      seconds,
      stepsPerSec: steps / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      finalLoss,
    }) + '\n',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
