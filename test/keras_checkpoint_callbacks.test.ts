// ModelCheckpoint and BackupAndRestore against Keras 3.15 (test/fixtures/checkpoint_callbacks.json,
// from test/fixtures/generators/checkpoint_callbacks_reference.py): the files written and their
// names, save-best choices, a fit interrupted and started again, and a run killed by SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import { close, readFixture } from './helpers/keras_fit_fixture';

interface Names {
  files: string[];
  val_loss: number[];
}
const fixture = readFixture<{
  x: number[][];
  y: number[][];
  kernel1: number[][];
  kernel2: number[][];
  every_epoch: Names;
  best_only: Names;
  every_2_batches: Names;
  backup_and_restore: {
    backup_files: string[];
    metadata: { epoch: number; batch: number };
    resumed_epochs: number[];
    resumed_loss: number[];
    backup_left: boolean;
    final_weights: number[][];
    uninterrupted_weights: number[][];
  };
}>('checkpoint_callbacks.json');

const X = tf.constant(fixture.x);
const Y = tf.constant(fixture.y);

function model(lr: number): tf.keras.Model {
  const m = new tf.keras.Sequential([
    tf.keras.Input([3]),
    new tf.keras.layers.Dense(4, { activation: 'tanh' }),
    new tf.keras.layers.Dense(1),
  ]);
  m.setWeights([tf.constant(fixture.kernel1), tf.zeros([4]), tf.constant(fixture.kernel2), tf.zeros([1])]);
  m.compile({ optimizer: new tf.keras.optimizers.SGD(lr), loss: 'mse' });
  return m;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-ckpt-'));
}

function weightsOf(m: tf.keras.Model): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync() as Float32Array));
}

async function names(lr: number, epochs: number, template: string, options: tf.keras.callbacks.ModelCheckpointOptions): Promise<string[]> {
  const dir = tempDir();
  const callback = new tf.keras.callbacks.ModelCheckpoint(path.join(dir, template), options);
  await model(lr).fit(X, Y, { batchSize: 8, epochs, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [callback] });
  return fs.readdirSync(dir).sort();
}

test("ModelCheckpoint writes Keras' files: every epoch, best only, every N batches", async () => {
  assert.deepEqual(await names(0.1, 3, 'm-{epoch:02d}-{val_loss:.4f}.keras', {}), fixture.every_epoch.files);
  assert.deepEqual(
    await names(0.9, 6, 'best-{epoch:02d}-{val_loss:.3f}.weights.h5', { saveBestOnly: true, saveWeightsOnly: true }),
    fixture.best_only.files,
  );
  assert.deepEqual(
    await names(0.1, 2, 'b-{epoch}-{batch:03d}.weights.h5', { saveWeightsOnly: true, saveFreq: 2 }),
    fixture.every_2_batches.files,
  );
});

test('what ModelCheckpoint saved loads back: the model of the last epoch, and the best weights', async () => {
  const dir = tempDir();
  const m = model(0.1);
  await m.fit(X, Y, {
    batchSize: 8,
    epochs: 2,
    shuffle: false,
    verbose: 0,
    callbacks: [new tf.keras.callbacks.ModelCheckpoint(path.join(dir, 'last.keras'), { monitor: 'loss' })],
  });
  const loaded = await tf.keras.models.loadModel(path.join(dir, 'last.keras'));
  assert.deepEqual(weightsOf(loaded), weightsOf(m));
  // The next step of the loaded model equals the next step of the original (optimizer state saved too).
  await m.fit(X, Y, { batchSize: 8, epochs: 1, shuffle: false, verbose: 0 });
  await loaded.fit(X, Y, { batchSize: 8, epochs: 1, shuffle: false, verbose: 0 });
  assert.deepEqual(weightsOf(loaded), weightsOf(m));
});

test('ModelCheckpoint refuses what Keras refuses, and templates that would leave their directory', async () => {
  assert.throws(() => new tf.keras.callbacks.ModelCheckpoint('m.h5'), {
    name: 'RangeError',
    message: 'The filepath provided must end in `.keras` (Keras model format). Received: filepath=m.h5',
  });
  assert.throws(() => new tf.keras.callbacks.ModelCheckpoint('m.keras', { saveWeightsOnly: true }), {
    name: 'RangeError',
    message: /must end in `\.weights\.h5` \(Keras weights format\)\. Received: filepath=m\.keras/,
  });
  assert.throws(() => new tf.keras.callbacks.ModelCheckpoint('m.keras', { saveFreq: 'batch' as never }), {
    name: 'RangeError',
    message: "Unrecognized save_freq: batch. Expected save_freq are 'epoch' or integer values",
  });
  assert.throws(() => new tf.keras.callbacks.ModelCheckpoint('m.keras', { save_best_only: true } as never), {
    name: 'TypeError',
    message: /did you mean 'saveBestOnly'/,
  });
  assert.throws(() => new (tf.keras.callbacks.ModelCheckpoint as new () => unknown)(), {
    name: 'TypeError',
    message: "ModelCheckpoint missing 1 required argument: 'filepath'",
  });
  const dir = tempDir();
  const m = model(0.1);
  const before = weightsOf(m);
  await assert.rejects(
    m.fit(X, Y, {
      epochs: 1,
      verbose: 0,
      callbacks: [new tf.keras.callbacks.ModelCheckpoint(path.join(dir, 'm-{val_acc:.2f}.keras'))],
    }),
    { name: 'RangeError', message: /'val_acc' is not a logged value/ },
  );
  assert.notDeepEqual(weightsOf(m), before); // the epoch ran; only the save failed
  assert.deepEqual(fs.readdirSync(dir), []);
});

test("BackupAndRestore: a fit interrupted after epoch 2 resumes at epoch 2 and ends with Keras' weights", async () => {
  const expected = fixture.backup_and_restore;
  const dir = path.join(tempDir(), 'backup');
  const m = model(0.1);
  class Interrupt extends tf.keras.callbacks.Callback {
    override onEpochEnd(epoch: number): void {
      if (epoch === 1) throw new Error('interrupted');
    }
  }
  await assert.rejects(
    m.fit(X, Y, {
      batchSize: 8,
      epochs: 5,
      shuffle: false,
      verbose: 0,
      callbacks: [new tf.keras.callbacks.BackupAndRestore(dir), new Interrupt()],
    }),
    { message: 'interrupted' },
  );
  assert.deepEqual(fs.readdirSync(dir).sort(), expected.backup_files);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'training_metadata.json'), 'utf8')), expected.metadata);

  const fresh = model(0.1);
  const seen: number[] = [];
  const history = await fresh.fit(X, Y, {
    batchSize: 8,
    epochs: 5,
    shuffle: false,
    verbose: 0,
    callbacks: [
      new tf.keras.callbacks.BackupAndRestore(dir),
      new tf.keras.callbacks.LambdaCallback({ onEpochBegin: (e: number) => void seen.push(e) }),
    ],
  });
  assert.deepEqual(seen, expected.resumed_epochs);
  history.history.loss.forEach((l, i) => close(l, expected.resumed_loss[i], `resumed loss ${i}`));
  assert.equal(fs.existsSync(dir), expected.backup_left);
  weightsOf(fresh).forEach((w, i) => w.forEach((v, j) => close(v, expected.final_weights[i][j], `weight ${i}[${j}]`)));
});

test('BackupAndRestore: a process killed mid-training and started again ends with the uninterrupted weights', () => {
  const dir = tempDir();
  const child = path.join(__dirname, 'helpers', 'backup_restore_child.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [child, dir, ...args], { encoding: 'utf8', timeout: 120_000 });
  const killed = run('kill-after-epoch', '2');
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  const resumed = run();
  assert.equal(resumed.status, 0, resumed.stderr);
  const uninterrupted = run('no-backup');
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);
  const a = JSON.parse(resumed.stdout.trim().split('\n').pop() as string) as { epochs: number[]; weights: number[][] };
  const b = JSON.parse(uninterrupted.stdout.trim().split('\n').pop() as string) as { epochs: number[]; weights: number[][] };
  assert.deepEqual(a.epochs, [3, 4, 5]);
  assert.deepEqual(b.epochs, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(a.weights, b.weights); // bit for bit: same ops, same order
  assert.equal(fs.existsSync(path.join(dir, 'backup')), false);
});

test('BackupAndRestore checks its arguments and the model', async () => {
  assert.throws(() => new tf.keras.callbacks.BackupAndRestore(''), { name: 'RangeError', message: 'Empty `backupDir` argument passed' });
  assert.throws(() => new tf.keras.callbacks.BackupAndRestore('b', { saveFreq: 0 }), {
    name: 'RangeError',
    message: /Invalid value for argument `saveFreq`/,
  });
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'training_metadata.json'), '{not json');
  const m = model(0.1);
  await assert.rejects(m.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [new tf.keras.callbacks.BackupAndRestore(dir)] }), {
    name: 'DataLossError',
    message: /training_metadata\.json is not valid JSON/,
  });
});
