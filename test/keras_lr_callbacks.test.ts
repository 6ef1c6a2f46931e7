import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Callback,
  LearningRateScheduler,
  ReduceLROnPlateau,
  type CallbackMetric,
  type CallbackModel,
  type EpochSchedule,
  type Logs,
  type ReduceLROnPlateauOptions,
} from '../lib/keras/callbacks';
import { pythonFloatRepr } from '../lib/keras/callbacks/python_float_repr';

// Compiled tests run from dist/test/; fixtures stay in the source tree.
const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');

interface ReduceLrCase {
  name: string;
  options: Record<string, unknown>;
  values: number[];
  model_metrics?: string[];
  initial_learning_rate: number;
  epochs: { logs_learning_rate: number; learning_rate: number; wait: number; cooldown_counter: number }[];
  stdout?: string[];
  constructor_warnings?: string[];
}

interface SchedulerCase {
  name: string;
  definition: string;
  epochs: number;
  verbose: number;
  initial_learning_rate: number;
  epochs_run: { learning_rate: number; logs_learning_rate: number }[];
  stdout?: string[];
}

interface CallbackFixture {
  reduce_lr_on_plateau: ReduceLrCase[];
  reduce_lr_on_plateau_special: {
    factor_ge_1: { options: Record<string, unknown>; error: string; message: string };
    auto_mode_undeterminable: { options: Record<string, unknown>; logs: Logs; error: string; message: string };
    missing_monitor_key: {
      options: Record<string, unknown>;
      logs_before: Logs;
      logs_after: Logs;
      learning_rate: number;
      warnings: string[];
    };
  };
  learning_rate_scheduler: SchedulerCase[];
  learning_rate_scheduler_error: { error: string; message: string };
}

const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'callbacks.json'), 'utf8')) as CallbackFixture;

/** Stands in for a model whose optimizer keeps its learning rate in a float32 variable. */
class FakeModel implements CallbackModel {
  private storedRate: number;
  readonly assignments: number[] = [];
  readonly optimizer: CallbackModel['optimizer'];
  metrics?: CallbackMetric[];

  constructor(initialLearningRate: number, metrics?: CallbackMetric[]) {
    this.storedRate = Math.fround(initialLearningRate);
    if (metrics !== undefined) this.metrics = metrics;
    this.optimizer = {
      learningRate: {
        numpy: () => this.storedRate,
        assign: (value: number) => {
          this.assignments.push(value);
          this.storedRate = Math.fround(value);
        },
      },
    };
  }
}

const KERAS_TO_OPTION: Record<string, keyof ReduceLROnPlateauOptions> = {
  monitor: 'monitor',
  factor: 'factor',
  patience: 'patience',
  verbose: 'verbose',
  mode: 'mode',
  min_delta: 'minDelta',
  cooldown: 'cooldown',
  min_lr: 'minLr',
};

function toOptions(kerasOptions: Record<string, unknown>): ReduceLROnPlateauOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kerasOptions)) {
    const option = KERAS_TO_OPTION[key];
    assert.ok(option, `unmapped Keras option ${key}`);
    options[option] = value;
  }
  return options as ReduceLROnPlateauOptions;
}

/** Captures console.log lines (as print_msg writes them, newline included) and process warnings. */
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

for (const kerasCase of fixture.reduce_lr_on_plateau) {
  test(`ReduceLROnPlateau matches Keras: ${kerasCase.name}`, (t) => {
    const output = captureOutput(t);
    const callback = new ReduceLROnPlateau(toOptions(kerasCase.options));
    assert.deepEqual(output.warnings, kerasCase.constructor_warnings ?? []);
    const metrics = kerasCase.model_metrics?.map((name): CallbackMetric => ({ name, direction: 'up' }));
    const model = new FakeModel(kerasCase.initial_learning_rate, metrics);
    callback.setModel(model);
    callback.onTrainBegin();

    assert.equal(kerasCase.values.length, kerasCase.epochs.length);
    const monitor = (kerasCase.options.monitor as string | undefined) ?? 'val_loss';
    kerasCase.values.forEach((value, epoch) => {
      const logs: Logs = { [monitor]: value };
      callback.onEpochEnd(epoch, logs);
      const expected = kerasCase.epochs[epoch]!;
      const label = `${kerasCase.name} epoch ${epoch}`;
      assert.equal(logs.learning_rate, expected.logs_learning_rate, `${label} logs.learning_rate`);
      assert.equal(model.optimizer.learningRate.numpy(), expected.learning_rate, `${label} learning rate`);
      assert.equal(callback.wait, expected.wait, `${label} wait`);
      assert.equal(callback.cooldownCounter, expected.cooldown_counter, `${label} cooldown`);
    });
    assert.deepEqual(output.stdout, kerasCase.stdout ?? []);
    assert.deepEqual(output.warnings, kerasCase.constructor_warnings ?? []);
  });
}

test('the ReduceLROnPlateau fixtures include reductions, min_lr clamps, cooldowns and messages', () => {
  const cases = fixture.reduce_lr_on_plateau;
  const reduced = (c: ReduceLrCase) => c.epochs.some((e) => e.learning_rate < c.initial_learning_rate);
  assert.ok(cases.every(reduced));
  assert.ok(cases.some((c) => c.epochs.some((e) => e.cooldown_counter > 0)));
  assert.ok(cases.some((c) => (c.stdout ?? []).length > 0));
  assert.ok(cases.some((c) => c.options.mode === 'max'));
});

test('ReduceLROnPlateau rejects factor >= 1 with the Keras message', () => {
  const special = fixture.reduce_lr_on_plateau_special.factor_ge_1;
  assert.equal(special.error, 'ValueError');
  assert.throws(() => new ReduceLROnPlateau(toOptions(special.options)), { name: 'RangeError', message: special.message });
  assert.throws(() => new ReduceLROnPlateau({ factor: 2 }), {
    message: 'ReduceLROnPlateau does not support a factor >= 1.0. Received factor=2.0',
  });
});

test('auto mode without a loss name or metric direction fails like Keras on the first epoch', () => {
  const special = fixture.reduce_lr_on_plateau_special.auto_mode_undeterminable;
  const callback = new ReduceLROnPlateau(toOptions(special.options));
  callback.setModel(new FakeModel(0.1, [{ name: 'accuracy' }]));
  assert.throws(() => callback.onEpochEnd(0, { ...special.logs }), { name: 'RangeError', message: special.message });
});

test('auto mode minimizes a metric whose direction is down', () => {
  const callback = new ReduceLROnPlateau({ monitor: 'val_mae', patience: 0, factor: 0.5 });
  const model = new FakeModel(0.1, [{ name: 'mae', direction: 'down' }]);
  callback.setModel(model);
  callback.onEpochEnd(0, { val_mae: 1.0 });
  callback.onEpochEnd(1, { val_mae: 0.5 });
  assert.equal(model.assignments.length, 0);
  callback.onEpochEnd(2, { val_mae: 0.7 });
  assert.deepEqual(model.assignments, [Math.fround(0.1) * 0.5]);
});

test('a missing monitored key warns with the Keras text and leaves the rate alone', (t) => {
  const special = fixture.reduce_lr_on_plateau_special.missing_monitor_key;
  const output = captureOutput(t);
  const callback = new ReduceLROnPlateau(toOptions(special.options));
  const model = new FakeModel(0.1);
  callback.setModel(model);
  const logs = { ...special.logs_before };
  callback.onEpochEnd(0, logs);
  assert.deepEqual(logs, special.logs_after);
  assert.deepEqual(output.warnings, special.warnings);
  assert.equal(model.optimizer.learningRate.numpy(), special.learning_rate);
  assert.deepEqual(model.assignments, []);
});

test('onTrainBegin resets the best value, wait and cooldown', () => {
  const callback = new ReduceLROnPlateau({ patience: 2, cooldown: 3 });
  callback.setModel(new FakeModel(0.1));
  callback.onEpochEnd(0, { val_loss: 1 });
  callback.onEpochEnd(1, { val_loss: 2 });
  callback.onEpochEnd(2, { val_loss: 2 });
  assert.equal(callback.cooldownCounter, 3);
  assert.equal(callback.best, 1);
  callback.onTrainBegin();
  assert.equal(callback.best, null);
  assert.equal(callback.wait, 0);
  assert.equal(callback.cooldownCounter, 0);
});

test('ReduceLROnPlateau validates its options', () => {
  const bad: [ReduceLROnPlateauOptions, string, RegExp][] = [
    [{ factor: NaN }, 'RangeError', /`factor` must be finite/],
    [{ patience: -1 }, 'RangeError', /`patience` must be >= 0/],
    [{ patience: 1.5 }, 'RangeError', /`patience` must be an integer/],
    [{ cooldown: -2 }, 'RangeError', /`cooldown` must be >= 0/],
    [{ minLr: -0.1 }, 'RangeError', /`minLr` must be >= 0/],
    [{ minDelta: Infinity }, 'RangeError', /`minDelta` must be finite/],
    [{ monitor: 3 as never }, 'TypeError', /`monitor` must be a string/],
    [{ min_lr: 0.1 } as never, 'TypeError', /unexpected option 'min_lr' \(did you mean 'minLr'\?\)/],
  ];
  for (const [options, name, message] of bad) {
    assert.throws(() => new ReduceLROnPlateau(options), { name, message }, JSON.stringify(options));
  }
});

/** Ports of the schedule functions in test/fixtures/generators/keras_reference.py, keyed by their recorded definition. */
const SCHEDULES: Record<string, EpochSchedule> = {
  'schedule(epoch, lr) = lr if epoch < 3 else lr * 0.5': (epoch, lr) => (epoch < 3 ? lr : lr * 0.5),
  'schedule(epoch, lr) = lr if epoch < 1 else lr * exp(-0.1)': (epoch, lr) => (epoch < 1 ? lr : lr * Math.exp(-0.1)),
  'schedule(epoch, lr) = 0.2 / (epoch + 1)': (epoch) => 0.2 / (epoch + 1),
};

for (const kerasCase of fixture.learning_rate_scheduler) {
  test(`LearningRateScheduler matches Keras: ${kerasCase.name}`, (t) => {
    const schedule = SCHEDULES[kerasCase.definition];
    assert.ok(schedule, `no port of ${kerasCase.definition}`);
    const output = captureOutput(t);
    const callback = new LearningRateScheduler(schedule, kerasCase.verbose);
    const model = new FakeModel(kerasCase.initial_learning_rate);
    callback.setModel(model);
    assert.equal(kerasCase.epochs_run.length, kerasCase.epochs);
    kerasCase.epochs_run.forEach((expected, epoch) => {
      callback.onEpochBegin(epoch);
      assert.equal(model.optimizer.learningRate.numpy(), expected.learning_rate, `epoch ${epoch} learning rate`);
      const logs: Logs = { loss: 1 / (epoch + 1) };
      callback.onEpochEnd(epoch, logs);
      assert.equal(logs.learning_rate, expected.logs_learning_rate, `epoch ${epoch} logs.learning_rate`);
    });
    assert.deepEqual(output.stdout, kerasCase.stdout ?? []);
  });
}

test('LearningRateScheduler rejects a schedule that returns a non-number, with the Keras message', () => {
  const kerasError = fixture.learning_rate_scheduler_error;
  assert.equal(kerasError.error, 'ValueError');
  const callback = new LearningRateScheduler((() => 'fast') as never);
  const model = new FakeModel(0.1);
  callback.setModel(model);
  assert.throws(() => callback.onEpochBegin(0), { name: 'TypeError', message: kerasError.message });
  assert.deepEqual(model.assignments, []);
});

test('LearningRateScheduler rejects NaN, infinite and negative rates before assigning them', () => {
  for (const bad of [NaN, Infinity, -0.01]) {
    const callback = new LearningRateScheduler(() => bad);
    const model = new FakeModel(0.1);
    callback.setModel(model);
    assert.throws(() => callback.onEpochBegin(4), { name: 'RangeError', message: /returned .* for epoch 4/ });
    assert.deepEqual(model.assignments, []);
  }
});

test('LearningRateScheduler validates its arguments', () => {
  assert.throws(() => new LearningRateScheduler(0.1 as never), TypeError);
  assert.throws(() => new LearningRateScheduler(() => 0.1, -1), RangeError);
});

test('Callback: hooks are no-ops, params and model are settable, model is required', async () => {
  const callback = new Callback();
  assert.throws(() => callback.model, /Callback has no model: call setModel\(model\) first/);
  const model = new FakeModel(0.1);
  callback.setModel(model);
  assert.equal(callback.model, model);
  assert.deepEqual(callback.params, {});
  callback.setParams({ epochs: 3, steps: 10, verbose: 0 });
  assert.deepEqual(callback.params, { epochs: 3, steps: 10, verbose: 0 });
  const logs: Logs = { loss: 1 };
  const results = [
    callback.onTrainBegin(logs),
    callback.onTrainEnd(logs),
    callback.onEpochBegin(0, logs),
    callback.onEpochEnd(0, logs),
    callback.onTrainBatchBegin(0, logs),
    callback.onTrainBatchEnd(0, logs),
    callback.onTestBegin(logs),
    callback.onTestEnd(logs),
    callback.onTestBatchBegin(0, logs),
    callback.onTestBatchEnd(0, logs),
    callback.onPredictBegin(logs),
    callback.onPredictEnd(logs),
    callback.onPredictBatchBegin(0, logs),
    callback.onPredictBatchEnd(0, logs),
  ];
  assert.deepEqual(results, new Array(14).fill(undefined));
  assert.deepEqual(logs, { loss: 1 });
  assert.deepEqual(model.assignments, []);

  class Counting extends Callback {
    epochs = 0;
    override async onEpochEnd(_epoch: number): Promise<void> {
      this.epochs += 1;
    }
  }
  const counting = new Counting();
  await counting.onEpochEnd(0);
  assert.equal(counting.epochs, 1);
});

test('pythonFloatRepr prints floats as Python repr() does', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '0.0001'],
    [0.010000000149011612, '0.010000000149011612'],
    [9.999999310821295e-5, '9.999999310821295e-05'],
    [123.25, '123.25'],
    [1e16, '1e+16'],
    [1234567890123456.0, '1234567890123456.0'],
    [1.2345e-300, '1.2345e-300'],
    [-2.5, '-2.5'],
    [-1e-7, '-1e-07'],
    [0, '0.0'],
    [-0, '-0.0'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
  ];
  for (const [value, expected] of cases) assert.equal(pythonFloatRepr(value), expected, String(value));
});
