// Checkpoints survive a SIGKILL at any instant of a save (the commit-record switch), restores are all
// or nothing, and checkpoint paths are checked before anything touches the disk.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import * as tf from '../lib';
import { runtime } from '../lib/runtime';
import { generationVariables, loadGeneration, randomKillTrials, runChild } from './helpers/checkpoint_kill';

const { Checkpoint, listVariables, loadVariables, readCheckpointIndex, saveVariables } = tf.train;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-ckpt-atomic-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const tempDir = (): string => fs.mkdtempSync(path.join(root, 'case-'));

const DATA = 'model.data-00000-of-00001';
const INDEX = 'model.index';
const COMMIT = 'model.commit';

const listing = (dir: string): string[] => fs.readdirSync(dir).sort();

/** Whether the child got as far as committing (renaming the record into place) before its kill. */
const committed = (calls: readonly string[]): boolean => calls.includes(`renameSync model_temp.commit ${COMMIT}`);

test('a save killed before each step of the switch leaves the old or the new checkpoint, never an error', async () => {
  const kills: string[] = [];
  // Kill before the n-th counted file operation of a save of generation 2 over generation 1, for
  // n = 1, 2, ... until the save runs to its end; the marker's write is also killed half written.
  const cases: [number, boolean][] = [];
  for (let n = 1; ; ++n) {
    const windows = n === 1 ? [false, true] : [false];
    let finished = false;
    for (const partial of windows) {
      const dir = tempDir();
      const prefix = path.join(dir, 'model');
      saveVariables(prefix, generationVariables(tf, 1));
      const child = await runChild(['save', prefix, '2', String(n), partial ? 'partial' : '']);
      if (child.status === 0) {
        assert.equal(child.killedAt, undefined);
        assert.equal(loadGeneration(tf, prefix), 2);
        assert.deepEqual(listing(dir), [DATA, INDEX]);
        finished = true;
        break;
      }
      assert.equal(child.signal, 'SIGKILL', child.stderr);
      assert.ok(child.killedAt, child.stderr);
      cases.push([n, partial]);
      kills.push(`${child.killedAt}${partial ? ' (half written)' : ''}`);
      const expected = committed(child.calls) ? 2 : 1;
      assert.equal(fs.existsSync(path.join(dir, COMMIT)), expected === 2 && !child.calls.includes(`rmSync ${COMMIT}`), child.killedAt);
      assert.equal(loadGeneration(tf, prefix), expected, `killed before ${child.killedAt}`);
      // The load completed the switch: no commit record is left; only uncommitted leftovers may stay.
      assert.ok(!listing(dir).includes(COMMIT));
      if (expected === 2) assert.deepEqual(listing(dir), [DATA, INDEX]);
      // A later save over what the kill left replaces it and cleans up.
      saveVariables(prefix, generationVariables(tf, 3));
      assert.equal(loadGeneration(tf, prefix), 3);
      assert.deepEqual(listing(dir), [DATA, INDEX]);
    }
    if (finished) break;
    assert.ok(n < 20, 'the save should finish within 20 file operations');
  }
  // The protocol's steps, each killed before it ran.
  assert.deepEqual(kills, [
    'writeFileSync model_temp.commit',
    'writeFileSync model_temp.commit (half written)',
    `renameSync model_temp.commit ${COMMIT}`,
    `renameSync model_temp.data-00000-of-00001 ${DATA}`,
    `renameSync model_temp.index ${INDEX}`,
    `rmSync ${COMMIT}`,
  ]);
});

test('a load killed while it completes an interrupted switch is completed by the next load', async () => {
  // The state a save killed between its two renames leaves: new data in place, the new index still temporary.
  const source = tempDir();
  const sourcePrefix = path.join(source, 'model');
  saveVariables(sourcePrefix, generationVariables(tf, 1));
  const killed = await runChild(['save', sourcePrefix, '2', '4']);
  assert.equal(killed.killedAt, `renameSync model_temp.index ${INDEX}`, killed.stderr);
  assert.deepEqual(listing(source), [COMMIT, DATA, INDEX, 'model_temp.index']);
  // A list or an index read completes it too (on a copy of that state, so the state is kept for below).
  const copy = (): string => {
    const dir = tempDir();
    for (const name of listing(source)) fs.copyFileSync(path.join(source, name), path.join(dir, name));
    return path.join(dir, 'model');
  };
  const listed = copy();
  assert.deepEqual(
    listVariables(listed).map(([key]) => key),
    ['dense/bias', 'dense/kernel', 'name', 'step'],
  );
  assert.deepEqual(listing(path.dirname(listed)), [DATA, INDEX]);
  assert.equal(loadGeneration(tf, listed), 2);
  // A save over that state completes it first, then replaces it.
  const saved = copy();
  saveVariables(saved, generationVariables(tf, 3));
  assert.deepEqual(listing(path.dirname(saved)), [DATA, INDEX]);
  assert.equal(loadGeneration(tf, saved), 3);

  for (let n = 1; n < 10; ++n) {
    const prefix = copy();
    const loader = await runChild(['load', prefix, String(n)]);
    if (loader.status === 0) {
      assert.deepEqual(listing(path.dirname(prefix)), [DATA, INDEX]);
      assert.equal(loadGeneration(tf, prefix), 2);
      assert.equal(n, 3, 'a load completes the switch with one rename and one removal');
      return;
    }
    assert.equal(loader.signal, 'SIGKILL', loader.stderr);
    assert.equal(loadGeneration(tf, prefix), 2, `loader killed before ${loader.killedAt}`);
    assert.deepEqual(listing(path.dirname(prefix)), [DATA, INDEX]);
  }
  assert.fail('the load never finished');
});

test('random SIGKILLs of a process saving in a loop always leave a whole generation', async () => {
  const report = await randomKillTrials(tf, tempDir(), 6);
  assert.deepEqual(report.failures, []);
  assert.equal(report.old + report.new, 6);
});

test('uncommitted leftovers are ignored by loads and removed by the next save; a bad commit record is an error', () => {
  const dir = tempDir();
  const prefix = path.join(dir, 'model');
  const variables = generationVariables(tf, 1);
  saveVariables(prefix, variables);
  // What saves killed before their commit leave: TF's tempstate file, a half-written index and record.
  fs.writeFileSync(`${prefix}_temp.data-00000-of-00001.tempstate123`, 'partial');
  fs.writeFileSync(`${prefix}_temp.index`, 'half an index');
  fs.writeFileSync(`${prefix}_temp.commit`, '{"format":');
  const leftovers = listing(dir);
  assert.equal(loadGeneration(tf, prefix), 1);
  assert.deepEqual(listing(dir), leftovers);
  saveVariables(prefix, generationVariables(tf, 2));
  assert.deepEqual(listing(dir), [DATA, INDEX]);
  assert.equal(loadGeneration(tf, prefix), 2);

  // A commit record that does not match the temporary files: nothing is moved, loads and saves say why.
  fs.copyFileSync(`${prefix}.index`, `${prefix}_temp.index`);
  fs.writeFileSync(
    `${prefix}.commit`,
    JSON.stringify({ format: 'tf-napi checkpoint switch 1', temporary: 'model_temp', dataBytes: 1, indexBytes: 2 }),
  );
  const before = listing(dir);
  const damaged = {
    name: 'DataLossError',
    message:
      /Checkpoint '.*model' has an interrupted save that cannot be completed \(.*model\.commit\): .*model_temp\.index has \d+ bytes, the record says 2/,
  };
  // The data file was moved already (it is not there), and the one in place does not have the recorded size.
  assert.throws(() => loadVariables(prefix, variables), {
    name: 'DataLossError',
    message: /model\.data-00000-of-00001 has \d+ bytes, the record says 1/,
  });
  fs.writeFileSync(
    `${prefix}.commit`,
    JSON.stringify({
      format: 'tf-napi checkpoint switch 1',
      temporary: 'model_temp',
      dataBytes: fs.statSync(`${prefix}.data-00000-of-00001`).size,
      indexBytes: 2,
    }),
  );
  assert.throws(() => readCheckpointIndex(prefix), damaged);
  assert.throws(() => saveVariables(prefix, variables), damaged);
  fs.writeFileSync(`${prefix}.commit`, 'not json');
  assert.throws(() => loadVariables(prefix, variables), { name: 'DataLossError', message: /the commit record is not valid JSON/ });
  fs.writeFileSync(
    `${prefix}.commit`,
    JSON.stringify({ format: 'tf-napi checkpoint switch 1', temporary: 'other_temp', dataBytes: 1, indexBytes: 2 }),
  );
  assert.throws(() => listVariables(prefix), { name: 'DataLossError', message: /not one this package wrote for this path/ });
  assert.deepEqual(listing(dir), before);
  fs.rmSync(`${prefix}.commit`);
  assert.equal(loadGeneration(tf, prefix), 2);
});

test('checkpoint paths: empty is a TypeError, URL schemes other than file:// are refused before anything touches the disk', () => {
  const v = new tf.Variable([1, 2], { dtype: 'float32' });
  const checkpoint = new Checkpoint({ v });
  const calls: [string, (p: string) => unknown][] = [
    ['saveVariables', (p) => saveVariables(p, { v })],
    ['loadVariables', (p) => loadVariables(p, { v })],
    ['readCheckpointIndex', (p) => readCheckpointIndex(p)],
    ['listVariables', (p) => listVariables(p)],
    ['Checkpoint.write', (p) => checkpoint.write(p)],
    ['Checkpoint.save', (p) => checkpoint.save(p)],
    ['Checkpoint.restore', (p) => checkpoint.restore(p)],
  ];
  const cwd = fs.readdirSync('.').sort();
  for (const [name, call] of calls) {
    assert.throws(() => call(''), { name: 'TypeError', message: 'A checkpoint path must not be empty' }, name);
    assert.throws(
      () => call(undefined as never),
      { name: 'TypeError', message: 'A checkpoint path must be a string, got undefined' },
      name,
    );
    assert.throws(() => call('a\0b'), { name: 'TypeError', message: /must not contain NUL/ }, name);
    for (const scheme of ['gs', 'ram', 's3', 'hdfs', 'HTTP']) {
      assert.throws(
        () => call(`${scheme}://bucket/ckpt`),
        {
          name: 'UnimplementedError',
          message: `Checkpoint path '${scheme}://bucket/ckpt' uses the unsupported scheme '${scheme}://': only local paths (or file:// URLs) are supported`,
        },
        name,
      );
    }
    assert.throws(() => call('file://remote-host/ckpt'), { name: 'TypeError', message: /is not a valid local file:\/\/ URL/ }, name);
  }
  // Nothing was written where the process runs ('gs:' and friends would have been folders there).
  assert.deepEqual(fs.readdirSync('.').sort(), cwd);
  // A failed save does not count.
  assert.equal(checkpoint.saveCounter.numpy(), 0n);

  // A file:// URL names the local path.
  const dir = tempDir();
  const url = pathToFileURL(path.join(dir, 'with space', 'model')).href;
  assert.match(url, /^file:\/\/\/.*with%20space\/model$/);
  saveVariables(url, { v });
  assert.deepEqual(listing(path.join(dir, 'with space')), [DATA, INDEX]);
  v.assign([0, 0]);
  loadVariables(url, { v });
  assert.deepEqual(v.numpy(), [1, 2]);
  assert.equal(checkpoint.save(url), `${url}-1`);
  checkpoint.restore(`${url}-1`);
  assert.deepEqual(
    listVariables(path.join(dir, 'with space', 'model-1')).map(([key]) => key),
    ['save_counter', 'v'],
  );
});

test('a directory where a checkpoint file goes fails the save before anything is moved', () => {
  const v = new tf.Variable([1, 2], { dtype: 'float32' });
  for (const [blocked, message] of [
    [INDEX, /Cannot write checkpoint '.*model': .*model\.index is a directory/],
    [DATA, /Cannot write checkpoint '.*model': .*model\.data-00000-of-00001 is a directory/],
    [COMMIT, /Cannot write checkpoint '.*model': .*model\.commit is a directory/],
  ] as const) {
    const dir = tempDir();
    const prefix = path.join(dir, 'model');
    fs.mkdirSync(path.join(dir, blocked));
    fs.writeFileSync(path.join(dir, 'model_temp.index'), 'stale');
    const before = listing(dir);
    assert.throws(() => saveVariables(prefix, { v }), { name: 'FailedPreconditionError', message }, blocked);
    assert.throws(() => new Checkpoint({ v }).write(prefix), { name: 'FailedPreconditionError', message }, blocked);
    // Nothing was moved or cleaned.
    assert.deepEqual(listing(dir), before, blocked);
  }
  // Checkpoint.save(prefix) writes `<prefix>-1`: a failed save does not count.
  const saveDir = tempDir();
  fs.mkdirSync(path.join(saveDir, 'ckpt-1.index'));
  const checkpoint = new Checkpoint({ v });
  assert.throws(() => checkpoint.save(path.join(saveDir, 'ckpt')), {
    name: 'FailedPreconditionError',
    message: /ckpt-1\.index is a directory/,
  });
  assert.equal(checkpoint.saveCounter.numpy(), 0n);
  fs.rmdirSync(path.join(saveDir, 'ckpt-1.index'));
  assert.equal(checkpoint.save(path.join(saveDir, 'ckpt')), path.join(saveDir, 'ckpt-1'));
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, INDEX));
  assert.throws(() => loadVariables(path.join(dir, 'model'), { v }), {
    name: 'FailedPreconditionError',
    message: /model\.index is a directory/,
  });
});

// ---- Restore is all or nothing ----

const X = tf.tensor(
  [
    [1, 2],
    [3, -1],
    [0.5, 0.25],
    [-2, 1],
  ],
  undefined,
  'float32',
);
const Y = tf.tensor([[1], [-1], [0.5], [2]], undefined, 'float32');

function makeModel(seed = 0): { kernel: tf.Variable; bias: tf.Variable } {
  return {
    kernel: new tf.Variable(tf.tensor([[0.1 + seed], [-0.2]], undefined, 'float32'), { name: 'dense/kernel' }),
    bias: new tf.Variable(tf.tensor([0.05 + seed], undefined, 'float32'), { name: 'dense/bias' }),
  };
}

function train(
  optimizer: tf.keras.optimizers.Optimizer,
  { kernel, bias }: { kernel: tf.Variable; bias: tf.Variable },
  steps: number,
): void {
  for (let i = 0; i < steps; ++i) {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.add(tf.matmul(X, kernel.value()), bias.value()), Y))));
    optimizer.applyGradients(tf.zip(tape.gradient(loss, [kernel, bias]), [kernel, bias]));
  }
}

/** Every value a restore could change: the model's, the optimizer's variables (slots included) and their count. */
function snapshot(model: { kernel: tf.Variable; bias: tf.Variable }, optimizer: tf.keras.optimizers.Optimizer): unknown {
  return {
    kernel: model.kernel.numpy(),
    bias: model.bias.numpy(),
    iterations: optimizer.iterations.numpy(),
    learningRate: optimizer.learningRate.numpy(),
    built: optimizer.built,
    variables: optimizer.variables.map((variable) => variable.numpy()),
  };
}

test('a restore that fails on any entry changes no variable and builds no slot (Checkpoint.restore, loadVariables)', () => {
  const dir = tempDir();
  // A trained model and Adam optimizer, saved under Checkpoint's keys with one entry replaced per case.
  const source = makeModel();
  const sourceOptimizer = new tf.keras.optimizers.Adam({ learningRate: 0.05 });
  train(sourceOptimizer, source, 3);
  const keys = (replace: Record<string, tf.Variable>, drop: string[] = []): Record<string, tf.Variable> => {
    const all: Record<string, tf.Variable> = {
      'dense/kernel': source.kernel,
      'dense/bias': source.bias,
      'optimizer/iterations': sourceOptimizer.iterations,
      'optimizer/learning_rate': sourceOptimizer.learningRate,
    };
    for (const [variableKey, variable] of [
      ['dense/kernel', source.kernel],
      ['dense/bias', source.bias],
    ] as const) {
      for (const slot of ['momentum', 'velocity']) all[`optimizer/slots/${variableKey}/${slot}`] = sourceOptimizer.getSlot(variable, slot);
    }
    for (const key of drop) delete all[key];
    return { ...all, ...replace };
  };
  const write = (name: string, replace: Record<string, tf.Variable>, drop: string[] = []): string => {
    const prefix = path.join(dir, name);
    saveVariables(prefix, keys(replace, drop));
    return prefix;
  };
  const good = write('good', {});
  const bad: [string, string, RegExp][] = [
    [
      write('nan_rate', { 'optimizer/learning_rate': new tf.Variable(NaN) }),
      'InvalidArgumentError',
      /'optimizer\/learning_rate'.*a learning rate must be a finite, non-negative number, the checkpoint holds NaN/,
    ],
    [write('negative_rate', { 'optimizer/learning_rate': new tf.Variable(-0.5) }), 'InvalidArgumentError', /the checkpoint holds -0\.5/],
    [
      write('infinite_rate', { 'optimizer/learning_rate': new tf.Variable(Infinity) }),
      'InvalidArgumentError',
      /the checkpoint holds Infinity/,
    ],
    [
      write('negative_iterations', { 'optimizer/iterations': new tf.Variable(-3n) }),
      'InvalidArgumentError',
      /'optimizer\/iterations'.*optimizer iterations must be a non-negative integer, the checkpoint holds -3/,
    ],
    // A slot (sorted after every variable, the iterations and the learning rate) whose shape differs.
    [
      write('bad_slot', { 'optimizer/slots/dense/kernel/velocity': new tf.Variable([1, 2, 3], { dtype: 'float32' }) }),
      'InvalidArgumentError',
      /Cannot restore 'optimizer\/slots\/dense\/kernel\/velocity' into .*: the checkpoint holds shape \[3\], the variable has shape \[2, 1\]/,
    ],
    [
      write('bad_slot_dtype', { 'optimizer/slots/dense/bias/velocity': new tf.Variable([1], { dtype: 'float64' }) }),
      'InvalidArgumentError',
      /holds float64, the variable is float32/,
    ],
    [
      write('missing_slot', {}, ['optimizer/slots/dense/bias/velocity']),
      'NotFoundError',
      /Key 'optimizer\/slots\/dense\/bias\/velocity' \(the 'velocity' slot of variable 'dense\/bias.*'\) not found/,
    ],
  ];
  // Damaged data: read before anything is assigned.
  const truncated = write('truncated', {});
  const data = `${truncated}.data-00000-of-00001`;
  fs.truncateSync(data, fs.statSync(data).size - 9);
  bad.push([truncated, 'OutOfRangeError', /^Restoring checkpoint '.*truncated': Read less bytes than requested/]);

  // Into a fresh (unbuilt) optimizer: no slot may be created.
  const fresh = makeModel(1);
  const freshOptimizer = new tf.keras.optimizers.Adam({ learningRate: 0.25 });
  const checkpoint = new Checkpoint({ optimizer: freshOptimizer, dense: fresh });
  const initial = snapshot(fresh, freshOptimizer);
  assert.equal(freshOptimizer.built, false);
  for (const [prefix, name, message] of bad) {
    assert.throws(() => checkpoint.restore(prefix), { name, message }, path.basename(prefix));
    assert.deepEqual(snapshot(fresh, freshOptimizer), initial, path.basename(prefix));
    assert.equal(freshOptimizer.variables.length, 2);
  }
  // The good one restores everything, slots built.
  checkpoint.restore(good);
  assert.equal(freshOptimizer.variables.length, 2 + 4);
  assert.deepEqual(snapshot(fresh, freshOptimizer), snapshot(source, sourceOptimizer));

  // Into a built, trained optimizer: slots, iterations and learning rate all stay as they were.
  train(freshOptimizer, fresh, 2);
  freshOptimizer.learningRate.assign(0.125);
  const trained = snapshot(fresh, freshOptimizer);
  for (const [prefix, name, message] of bad) {
    if (path.basename(prefix) === 'missing_slot') continue; // A built optimizer still needs the slot: covered above.
    assert.throws(() => checkpoint.restore(prefix), { name, message }, path.basename(prefix));
    assert.deepEqual(snapshot(fresh, freshOptimizer), trained, path.basename(prefix));
  }
  // loadVariables checks a learning rate variable it is given the same way.
  assert.throws(
    () =>
      loadVariables(path.join(dir, 'nan_rate'), { 'dense/kernel': fresh.kernel, 'optimizer/learning_rate': freshOptimizer.learningRate }),
    {
      name: 'InvalidArgumentError',
      message: /the checkpoint holds NaN/,
    },
  );
  assert.deepEqual(snapshot(fresh, freshOptimizer), trained);
  // A scheduled learning rate cannot take a stored value: refused before anything is read.
  const scheduled = new tf.keras.optimizers.SGD({
    learningRate: new tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
  });
  assert.throws(() => loadVariables(good, { 'dense/kernel': fresh.kernel, 'optimizer/learning_rate': scheduled.learningRate }), {
    name: 'TypeError',
    message: /it is a learning rate that follows a schedule/,
  });
  assert.deepEqual(snapshot(fresh, freshOptimizer), trained);
});

test('a restore assigns every variable in one run, and a schedule follows the restored iterations', () => {
  const dir = tempDir();
  const model = makeModel();
  const optimizer = new tf.keras.optimizers.Adam({
    learningRate: new tf.keras.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }),
  });
  train(optimizer, model, 3);
  const checkpoint = new Checkpoint({ optimizer, dense: model });
  const saved = checkpoint.write(path.join(dir, 'ckpt'));
  train(optimizer, model, 2);
  assert.equal(optimizer.learningRate.numpy(), Math.fround(0.1 * 0.5 ** 5));
  const writes = optimizer.variables.map((variable) => variable.writeCount);
  checkpoint.restore(saved);
  // Each variable is written once (the traced assign counts), so host caches such as the schedule's step resync.
  assert.deepEqual(
    optimizer.variables.map((variable) => variable.writeCount),
    writes.map((n, i) => (i === 1 ? n : n + 1)),
  );
  assert.equal(optimizer.iterations.numpy(), 3);
  assert.equal(optimizer.learningRate.numpy(), Math.fround(0.1 * 0.5 ** 3));
  // The cached reader and assigner serve the next restore: no new graph.
  const operations = runtime.graph.operations().length;
  checkpoint.restore(saved);
  assert.equal(runtime.graph.operations().length, operations);
});
