// tf-napi worker of bench/run.js (protocol: bench/README.md), a port of python_tf.py: the spec's model
// as a Keras Sequential; `loop` trains it with a tf.function step (tape + applyGradients), one session
// run per batch, `fit` with model.fit; `--async` awaits each loop step off the event loop instead.
import * as tf from '../../lib';
import { common, makeTrainers } from './tfnapi_model';

async function main(): Promise<void> {
  const { w, mode, warmup, steps, flags } = common.parseArgs(process.argv.slice(2));
  const runAsync = flags.async === true;
  const train = makeTrainers(w, runAsync)[mode];
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
