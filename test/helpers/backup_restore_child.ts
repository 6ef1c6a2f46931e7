// A training process for the BackupAndRestore kill test: fits 6 epochs with a backup in argv[2]
// ('kill-after-epoch N' SIGKILLs itself right after epoch N's backup; 'no-backup' trains without
// one), then prints the epochs it ran and the final weights as JSON.
import * as path from 'node:path';

import * as tf from '../../lib';

async function main(): Promise<void> {
  const [dir, mode, arg] = process.argv.slice(2);
  const x = tf.constant(Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]));
  const y = tf.constant(Array.from({ length: 32 }, (_, i) => [Math.sin(i * 0.3)]));
  const m = new tf.keras.Sequential([
    tf.keras.Input([3]),
    new tf.keras.layers.Dense(8, { activation: 'relu' }),
    new tf.keras.layers.Dense(1),
  ]);
  m.setWeights(m.getWeights().map((w, i) => tf.fill(w.shape as number[], 0.1 * (i + 1) - 0.15)));
  m.compile({ optimizer: new tf.keras.optimizers.Adam(0.05), loss: 'mse' });
  const epochs: number[] = [];
  const callbacks: tf.keras.callbacks.Callback[] = [];
  if (mode !== 'no-backup') callbacks.push(new tf.keras.callbacks.BackupAndRestore(path.join(dir, 'backup')));
  callbacks.push(
    new tf.keras.callbacks.LambdaCallback({
      onEpochBegin: (epoch: number) => void epochs.push(epoch),
      onEpochEnd: (epoch: number) => {
        if (mode === 'kill-after-epoch' && epoch === Number(arg)) process.kill(process.pid, 'SIGKILL');
      },
    }),
  );
  await m.fit(x, y, { batchSize: 8, epochs: 6, shuffle: false, verbose: 0, callbacks });
  console.log(JSON.stringify({ epochs, weights: m.getWeights().map((w) => Array.from(w.dataSync() as Float32Array)) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
