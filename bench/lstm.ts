// The `lstm` workload: Embedding(1000, 64) → LSTM(64) → Dense(1) over length-200 sequences,
// batch 32, Adam, model.fit; tf-napi here and Python Keras 3 (bench/lstm_keras.py) in the same
// run, rounds alternating. Usage: node dist/bench/lstm.js [--steps=20] [--rounds=3] [--python=PATH]
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../lib';

const BATCH = 32;
const LENGTH = 200;
const VOCAB = 1000;

function option(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Token ids in [1, VOCAB); the label says whether most are below VOCAB/2 (a seeded LCG). */
function data(steps: number): { x: tf.Tensor; y: tf.Tensor } {
  const n = BATCH * steps;
  const ids = new Int32Array(n * LENGTH);
  const labels = new Float32Array(n);
  let s = 12345;
  for (let r = 0; r < n; r++) {
    let low = 0;
    for (let t = 0; t < LENGTH; t++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const id = 1 + (s % (VOCAB - 1));
      ids[r * LENGTH + t] = id;
      if (id < VOCAB / 2) low++;
    }
    labels[r] = low > LENGTH / 2 ? 1 : 0;
  }
  return { x: tf.tensor(ids, [n, LENGTH], 'int32'), y: tf.tensor(labels, [n, 1]) };
}

async function ours(steps: number): Promise<() => Promise<number>> {
  tf.random.setSeed(1);
  const { layers } = tf.keras;
  const model = new tf.keras.Sequential([
    tf.keras.Input({ shape: [LENGTH], dtype: 'int32' }),
    new layers.Embedding(VOCAB, 64),
    new layers.LSTM(64),
    new layers.Dense(1),
  ]);
  model.compile({ optimizer: 'adam', loss: new tf.keras.losses.BinaryCrossentropy({ fromLogits: true }) });
  const { x, y } = data(steps);
  const warm = data(2);
  await model.fit(warm.x, warm.y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false });
  return async () => {
    const start = performance.now();
    await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false });
    return steps / ((performance.now() - start) / 1000);
  };
}

function python(pythonPath: string, steps: number): number | string {
  const run = spawnSync(pythonPath, [path.join(__dirname, '..', '..', 'bench', 'lstm_keras.py'), String(steps), '1'], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(line) as { steps_per_s: number }).steps_per_s;
  } catch {
    return `python failed: ${run.stderr.slice(-500)}`;
  }
}

async function main(): Promise<void> {
  const steps = Number(option('steps', '20'));
  const rounds = Number(option('rounds', '3'));
  const pythonPath = option('python', path.join(__dirname, '..', '..', '.venv', 'bin', 'python'));
  const step = await ours(steps);
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    mine.push(await step());
    const p = python(pythonPath, steps);
    if (typeof p === 'string') {
      console.log(p);
    } else {
      theirs.push(p);
    }
    console.log(
      `round ${r + 1}: tf-napi ${mine[r].toFixed(2)} steps/s, python keras ${typeof p === 'number' ? p.toFixed(2) : 'n/a'} steps/s`,
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ratio = theirs.length > 0 ? median(mine) / median(theirs) : Number.NaN;
  console.log(
    JSON.stringify({
      workload: 'lstm',
      cpu,
      cores: os.cpus().length,
      steps,
      rounds,
      tfNapi: median(mine),
      pythonKeras: theirs.length ? median(theirs) : null,
      ratio,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
