// EarlyStopping, CSVLogger, TerminateOnNaN and LambdaCallback against Keras 3.15
// (test/fixtures/callbacks_more.json, written by test/fixtures/generators/callbacks_more_reference.py).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';
import type { Logs } from '../lib/keras/callbacks';
import { close, readFixture } from './helpers/keras_fit_fixture';

const { Sequential, Input, layers, optimizers, callbacks } = tf.keras;
const { Dense } = layers;
const { EarlyStopping, CSVLogger, TerminateOnNaN, LambdaCallback } = callbacks;

type JsonFloat = number | 'nan' | 'inf' | '-inf';
type HookCall = [string, ...(number | string[])[]];

interface EarlyStoppingCase {
  name: string;
  options: Record<string, unknown>;
  values: (number | null)[];
  model_metrics?: string[];
  epochs: { wait: number; best: number | null; stop_training: boolean }[];
  stopped_epoch: number;
  best_epoch: number;
  final_weights_epoch: number;
  stdout: string[];
  warnings: string[];
}

interface Fixture {
  early_stopping: EarlyStoppingCase[];
  early_stopping_special: { auto_mode_undeterminable: { options: Record<string, unknown>; error: string; message: string } };
  early_stopping_fit: {
    x: number[];
    y: number[];
    initial_weights: number[][];
    scripted_val_loss: number[];
    options: Record<string, unknown>;
    fit: { batch_size: number; epochs: number; validation_rows: number };
    epochs_run: number;
    history_val_loss: number[];
    stopped_epoch: number;
    best_epoch: number;
    weights_per_epoch: number[][][];
    final_weights: number[][];
  };
  csv_logger: { name: string; options: Record<string, unknown>; runs: Record<string, JsonFloat | number[]>[][]; content: string }[];
  terminate_on_nan: {
    x: number[];
    y: JsonFloat[];
    batch_size: number;
    epochs: number;
    graceful: { batches: [number, JsonFloat][]; stdout: string[]; history_loss: JsonFloat[] };
    raise_error: { batches: [number, JsonFloat][]; stdout: string[]; error: string; message: string };
  };
  lambda_callback: { hooks: string[]; fit: HookCall[]; evaluate: HookCall[]; predict: HookCall[] };
}

const fixture = readFixture<Fixture>('callbacks_more.json');

function fromJson(value: JsonFloat): number {
  return value === 'nan' ? NaN : value === 'inf' ? Infinity : value === '-inf' ? -Infinity : value;
}

/** Keras' snake_case options as this API's camelCase ones. */
function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );
}

/** Captures console.log lines (as Python's print_msg writes them, newline included) and process warnings. */
function captureOutput(t: TestContext): { stdout: string[]; warnings: string[] } {
  const stdout: string[] = [];
  const warnings: string[] = [];
  t.mock.method(console, 'log', (...parts: unknown[]) => {
    stdout.push(`${parts.map(String).join(' ')}\n`);
  });
  t.mock.method(process, 'emitWarning', (warning: string | Error) => {
    warnings.push(typeof warning === 'string' ? warning : warning.message);
  });
  return { stdout, warnings };
}

/** Sequential([Input((2,)), Dense(1)]) compiled with SGD and mse, its metrics built when asked (as the generator's). */
async function earlyStoppingModel(metrics?: string[]): Promise<InstanceType<typeof Sequential>> {
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse', metrics });
  if (metrics) await model.evaluate(tf.zeros([2, 2]), tf.zeros([2, 1]), { verbose: 0 });
  return model;
}

/** Weights that name the epoch: the kernel filled with it, the bias with its negative. */
function setEpochWeights(model: InstanceType<typeof Sequential>, epoch: number): void {
  model.setWeights([[[epoch], [epoch]], [-epoch]]);
}

function kernelValue(model: InstanceType<typeof Sequential>): number {
  const [kernel, bias] = model.getWeights();
  try {
    return (kernel.dataSync() as Float32Array)[0];
  } finally {
    kernel.dispose();
    bias.dispose();
  }
}

for (const kerasCase of fixture.early_stopping) {
  test(`EarlyStopping matches Keras: ${kerasCase.name}`, async (t) => {
    const model = await earlyStoppingModel(kerasCase.model_metrics);
    const output = captureOutput(t);
    const callback = new EarlyStopping(camelOptions(kerasCase.options));
    callback.setModel(model);
    model.stopTraining = false;
    callback.onTrainBegin();
    const monitor = (kerasCase.options.monitor as string | undefined) ?? 'val_loss';
    const epochs: EarlyStoppingCase['epochs'] = [];
    for (const [epoch, value] of kerasCase.values.entries()) {
      setEpochWeights(model, epoch);
      const logs: Logs = value === null ? { loss: 0.5 } : { [monitor]: value };
      callback.onEpochEnd(epoch, logs);
      epochs.push({ wait: callback.wait, best: callback.best, stop_training: model.stopTraining });
      if (model.stopTraining) break;
    }
    callback.onTrainEnd();
    assert.deepEqual(epochs, kerasCase.epochs);
    assert.equal(callback.stoppedEpoch, kerasCase.stopped_epoch, 'stopped epoch');
    assert.equal(callback.bestEpoch, kerasCase.best_epoch, 'best epoch');
    assert.equal(kernelValue(model), kerasCase.final_weights_epoch, 'the epoch whose weights the model ends with');
    assert.deepEqual(output.stdout, kerasCase.stdout);
    assert.deepEqual(output.warnings, kerasCase.warnings);
  });
}

test('the EarlyStopping fixtures cover restores, baselines, warm-up, max mode and messages', () => {
  const cases = fixture.early_stopping;
  assert.ok(cases.some((c) => c.options.restore_best_weights && c.final_weights_epoch !== c.epochs.length - 1));
  assert.ok(cases.some((c) => c.options.baseline !== undefined));
  assert.ok(cases.some((c) => c.options.start_from_epoch !== undefined));
  assert.ok(cases.some((c) => c.options.mode === 'max'));
  assert.ok(cases.some((c) => c.stdout.length > 0));
  assert.ok(cases.some((c) => c.stopped_epoch === 0 && c.epochs.length === c.values.length));
});

test('EarlyStopping in auto mode without a loss name or metric direction fails like Keras', async () => {
  const special = fixture.early_stopping_special.auto_mode_undeterminable;
  const callback = new EarlyStopping(camelOptions(special.options));
  callback.setModel(await earlyStoppingModel());
  assert.equal(special.error, 'ValueError');
  assert.throws(() => callback.onEpochEnd(0, { val_accuracy: 0.5 }), { name: 'RangeError', message: special.message });
});

test('EarlyStopping checks its options', () => {
  assert.throws(() => new EarlyStopping({ min_delta: 0.1 } as never), { name: 'TypeError', message: /did you mean 'minDelta'/ });
  assert.throws(() => new EarlyStopping({ patience: -1 }), RangeError);
  assert.throws(() => new EarlyStopping({ restoreBestWeights: 1 as never }), TypeError);
  assert.throws(() => new EarlyStopping({ baseline: Number.NaN }), RangeError);
  assert.deepEqual(EarlyStopping.optionKeys, [
    'monitor',
    'minDelta',
    'patience',
    'verbose',
    'mode',
    'baseline',
    'restoreBestWeights',
    'startFromEpoch',
  ]);
});

test('EarlyStopping stops a real fit() where Keras does and restores the best epoch’s weights', async () => {
  const ref = fixture.early_stopping_fit;
  const x = tf.tensor(Float32Array.from(ref.x), [ref.x.length / 3, 3]);
  const y = tf.tensor(Float32Array.from(ref.y), [ref.y.length, 1]);
  const rows = ref.fit.validation_rows;
  const model = new Sequential([Input([3]), new Dense({ units: 1 })]);
  model.setWeights([tf.tensor(Float32Array.from(ref.initial_weights[0]), [3, 1]), Float32Array.from(ref.initial_weights[1])]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const perEpoch: number[][][] = [];
  const stopper = new EarlyStopping(camelOptions(ref.options));
  const flatWeights = () =>
    model.getWeights().map((w) => {
      const values = Array.from(w.dataSync() as Float32Array);
      w.dispose();
      return values;
    });
  const history = await model.fit(x, y, {
    batchSize: ref.fit.batch_size,
    epochs: ref.fit.epochs,
    shuffle: false,
    verbose: 0,
    validationData: [
      tf.tensor(Float32Array.from(ref.x.slice(0, rows * 3)), [rows, 3]),
      tf.tensor(Float32Array.from(ref.y.slice(0, rows)), [rows, 1]),
    ],
    callbacks: [
      new LambdaCallback({
        onEpochEnd: (epoch, logs) => {
          (logs as Logs).val_loss = ref.scripted_val_loss[epoch];
        },
      }),
      stopper,
      new LambdaCallback({ onEpochEnd: () => void perEpoch.push(flatWeights()) }),
    ],
  });
  assert.equal(history.history.loss.length, ref.epochs_run);
  assert.deepEqual(history.history.val_loss, ref.history_val_loss);
  assert.equal(stopper.stoppedEpoch, ref.stopped_epoch);
  assert.equal(stopper.bestEpoch, ref.best_epoch);
  // Restored exactly to this run's weights at the end of the best epoch...
  assert.deepEqual(flatWeights(), perEpoch[ref.best_epoch]);
  assert.notDeepEqual(flatWeights(), perEpoch[perEpoch.length - 1]);
  // ...which match Keras' within float32 training noise.
  ref.weights_per_epoch.forEach((epochWeights, epoch) =>
    epochWeights.forEach((w, i) => w.forEach((v, j) => close(perEpoch[epoch][i][j], v, `epoch ${epoch} weight ${i}[${j}]`))),
  );
  ref.final_weights.forEach((w, i) => w.forEach((v, j) => close(flatWeights()[i][j], v, `restored weight ${i}[${j}]`)));
});

test('EarlyStopping copies the best weights to the host and frees the tensors it read', async () => {
  const model = await earlyStoppingModel();
  const callback = new EarlyStopping({ monitor: 'loss', restoreBestWeights: true, patience: 3 });
  callback.setModel(model);
  callback.onTrainBegin();
  setEpochWeights(model, 1);
  callback.onEpochEnd(0, { loss: 1 });
  assert.ok(callback.bestWeights !== null);
  assert.ok(callback.bestWeights.every((w) => ArrayBuffer.isView(w.data)));
  setEpochWeights(model, 2);
  callback.onTrainEnd();
  assert.equal(kernelValue(model), 1);
});

// --- CSVLogger ---------------------------------------------------------------------------------

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-callbacks-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const kerasCase of fixture.csv_logger) {
  test(`CSVLogger writes Keras' bytes: ${kerasCase.name}`, (t) => {
    const filename = path.join(tempDir(t), `${kerasCase.name}.csv`);
    const callback = new CSVLogger({ filename, ...camelOptions(kerasCase.options) });
    for (const run of kerasCase.runs) {
      callback.onTrainBegin();
      run.forEach((logs, epoch) => {
        const values = Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, Array.isArray(v) ? v : fromJson(v)]));
        callback.onEpochEnd(epoch, values as Logs);
      });
      callback.onTrainEnd();
    }
    assert.equal(fs.readFileSync(filename, 'utf8'), kerasCase.content);
  });
}

test('CSVLogger during fit(): one row per epoch, flushed as it goes, the header from the first epoch', async (t) => {
  const filename = path.join(tempDir(t), 'fit.csv');
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const rowsSeen: number[] = [];
  await model.fit(tf.ones([6, 2]), tf.zeros([6, 1]), {
    batchSize: 2,
    epochs: 3,
    verbose: 0,
    validationSplit: 1 / 3,
    callbacks: [
      new CSVLogger({ filename }),
      new LambdaCallback({ onEpochEnd: () => void rowsSeen.push(fs.readFileSync(filename, 'utf8').split('\r\n').length - 2) }),
    ],
  });
  assert.deepEqual(rowsSeen, [1, 2, 3]);
  const lines = fs.readFileSync(filename, 'utf8').split('\r\n');
  // Keras 3.15's fit() logs no learning_rate; tf-napi's does (as a LearningRateScheduler would add it).
  assert.equal(lines[0], 'epoch,learning_rate,loss,mae,val_loss,val_mae');
  assert.deepEqual(
    lines.slice(1, 4).map((l) => l.split(',')[0]),
    ['0', '1', '2'],
  );
  assert.equal(lines[4], '');
});

test('CSVLogger checks its options', () => {
  assert.throws(() => new CSVLogger({} as never), { name: 'TypeError', message: /filename/ });
  assert.throws(() => new CSVLogger({ filename: 'x.csv', separator: '||' }), TypeError);
  assert.throws(() => new CSVLogger({ filename: 'x.csv', sep: ';' } as never), { name: 'TypeError', message: /unexpected option 'sep'/ });
});

// --- TerminateOnNaN ------------------------------------------------------------------------------

async function nanFit(raiseError: boolean): Promise<{ batches: [number, number][]; history?: tf.keras.History; error?: Error }> {
  const ref = fixture.terminate_on_nan;
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.setWeights([[[0.5], [-0.5]], [0]]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
  const batches: [number, number][] = [];
  const seen = new LambdaCallback({ onTrainBatchEnd: (batch, logs) => void batches.push([batch, (logs as Logs).loss]) });
  const x = tf.tensor(Float32Array.from(ref.x), [ref.x.length / 2, 2]);
  const y = tf.tensor(Float32Array.from(ref.y.map(fromJson)), [ref.y.length, 1]);
  try {
    const history = await model.fit(x, y, {
      batchSize: ref.batch_size,
      epochs: ref.epochs,
      shuffle: false,
      verbose: 0,
      callbacks: [new TerminateOnNaN({ raiseError }), seen],
    });
    return { batches, history };
  } catch (error) {
    return { batches, error: error as Error };
  }
}

function assertBatches(actual: [number, number][], expected: [number, JsonFloat][]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach(([batch, loss], i) => {
    assert.equal(actual[i][0], batch);
    if (loss === 'nan') assert.ok(Number.isNaN(actual[i][1]));
    else close(actual[i][1], fromJson(loss), `batch ${batch} loss`);
  });
}

test('TerminateOnNaN stops after the batch whose loss is NaN, printing what Keras prints', async (t) => {
  const ref = fixture.terminate_on_nan.graceful;
  const output = captureOutput(t);
  const { batches, history } = await nanFit(false);
  assertBatches(batches, ref.batches);
  assert.deepEqual(output.stdout, ref.stdout);
  assert.equal(history?.history.loss.length, ref.history_loss.length);
  assert.ok(history?.history.loss.every(Number.isNaN));
});

test('TerminateOnNaN({raiseError: true}) throws Keras’ message before later callbacks see the batch', async (t) => {
  const ref = fixture.terminate_on_nan.raise_error;
  const output = captureOutput(t);
  const { batches, error } = await nanFit(true);
  assertBatches(batches, ref.batches);
  assert.equal(ref.error, 'RuntimeError');
  assert.ok(error instanceof Error);
  assert.equal(error.message, ref.message);
  assert.deepEqual(output.stdout, ref.stdout);
});

test('TerminateOnNaN treats an infinite loss as invalid and checks its options', (t) => {
  const output = captureOutput(t);
  const model = { optimizer: { learningRate: { numpy: () => 0, assign: () => {} } }, stopTraining: false };
  const callback = new TerminateOnNaN();
  callback.setModel(model);
  callback.onTrainBatchEnd(4, { loss: 1 });
  assert.equal(model.stopTraining, false);
  callback.onTrainBatchEnd(5, { loss: Infinity });
  assert.equal(model.stopTraining, true);
  assert.deepEqual(output.stdout, ['Batch 5: Invalid loss, terminating training\n']);
  assert.throws(() => new TerminateOnNaN({ raiseError: true }).onTrainBatchEnd(0, { loss: -Infinity }), {
    message: 'NaN or Inf loss encountered at batch 0. Loss value: -inf. Terminating training immediately.',
  });
  assert.throws(() => new TerminateOnNaN({ raise_error: true } as never), { message: /did you mean 'raiseError'/ });
});

// --- LambdaCallback ------------------------------------------------------------------------------

test('LambdaCallback calls the functions given in Keras’ order (fit, evaluate, predict)', async () => {
  const ref = fixture.lambda_callback;
  const calls: HookCall[] = [];
  const recorder =
    (pythonName: string) =>
    (...args: unknown[]): void => {
      const entry: HookCall = [pythonName];
      for (const arg of args) {
        if (typeof arg === 'number') entry.push(arg);
        else if (arg && Object.keys(arg).length > 0)
          entry.push(
            Object.keys(arg)
              .filter((k) => k !== 'learning_rate')
              .sort(),
          );
      }
      calls.push(entry);
    };
  const options = Object.fromEntries(
    ref.hooks.map((name) => [name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), recorder(name)]),
  );
  const callback = new LambdaCallback(options);
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const x = tf.zeros([6, 2]);
  const y = tf.zeros([6, 1]);
  await model.fit(x, y, { batchSize: 2, epochs: 2, validationSplit: 1 / 3, verbose: 0, callbacks: [callback] });
  assert.deepEqual(calls, ref.fit);
  calls.length = 0;
  await model.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: [callback] });
  assert.deepEqual(calls, ref.evaluate);
  calls.length = 0;
  await model.predict(x, { batchSize: 4, verbose: 0, callbacks: [callback] });
  // Keras hands predict's batch-end hook {outputs}; here it gets no logs.
  assert.deepEqual(
    calls,
    ref.predict.map((call) => call.filter((part) => !Array.isArray(part))),
  );
});

test('LambdaCallback awaits async functions, leaves other hooks alone and checks its options', async () => {
  const order: string[] = [];
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.fit(tf.zeros([4, 2]), tf.zeros([4, 1]), {
    batchSize: 2,
    epochs: 1,
    verbose: 0,
    callbacks: [
      new LambdaCallback({
        onEpochEnd: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push('slow epoch end');
        },
      }),
      new LambdaCallback({ onEpochEnd: () => void order.push('next callback'), onTrainEnd: null as never }),
    ],
  });
  assert.deepEqual(order, ['slow epoch end', 'next callback']);
  assert.throws(() => new LambdaCallback({ on_epoch_end: () => {} } as never), { name: 'TypeError', message: /did you mean 'onEpochEnd'/ });
  assert.throws(() => new LambdaCallback({ onEpochEnd: 3 as never }), { name: 'TypeError', message: /must be a function/ });
});
