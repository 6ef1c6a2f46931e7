import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  deserialize,
  resolveLearningRate,
  serialize,
  type LearningRateScheduleClass,
  type ScheduleConfig,
  type SerializedLearningRateSchedule,
} from '../lib/keras/optimizers/schedules';
import { getRegisteredName, registerKerasSerializable } from '../lib/keras/saving';

// Compiled tests run from dist/test/; fixtures stay in the source tree.
const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
const RTOL = 1e-5;

interface ScheduleFixture {
  schedules: { class: string; config: ScheduleConfig; steps: number[]; values: number[] }[];
  serialized: Record<string, SerializedLearningRateSchedule>;
  errors: { class: string; config: ScheduleConfig; error: string; message: string }[];
}

interface OptimizerFixture {
  cases: {
    name: string;
    config: { learning_rate: number | SerializedLearningRateSchedule };
    steps: { learning_rate: number; iterations: number }[];
  }[];
}

function loadFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

const schedulesFixture = loadFixture<ScheduleFixture>('schedules.json');
const optimizersFixture = loadFixture<OptimizerFixture>('optimizers.json');

type BuiltInClass = LearningRateScheduleClass & (new (options: never) => LearningRateSchedule);

const BUILT_INS: Record<string, BuiltInClass> = {
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
};

function builtIn(className: string): BuiltInClass {
  const cls = BUILT_INS[className];
  assert.ok(cls, `no TS class for Keras ${className}`);
  return cls;
}

/** Keras config keys -> constructor options, written out so the library's own mapping is not trusted. */
const KERAS_TO_OPTION: Record<string, string> = {
  initial_learning_rate: 'initialLearningRate',
  decay_steps: 'decaySteps',
  decay_rate: 'decayRate',
  staircase: 'staircase',
  name: 'name',
  boundaries: 'boundaries',
  values: 'values',
  end_learning_rate: 'endLearningRate',
  power: 'power',
  cycle: 'cycle',
  alpha: 'alpha',
  warmup_target: 'warmupTarget',
  warmup_steps: 'warmupSteps',
  first_decay_steps: 'firstDecaySteps',
  t_mul: 'tMul',
  m_mul: 'mMul',
};

function toOptions(config: ScheduleConfig): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const option = KERAS_TO_OPTION[key];
    assert.ok(option, `unmapped Keras key ${key}`);
    options[option] = value;
  }
  return options;
}

function construct(className: string, options: Record<string, unknown>): LearningRateSchedule {
  const cls = builtIn(className);
  return new cls(options as never);
}

function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= RTOL * Math.abs(expected), `${label}: got ${actual}, Keras gives ${expected} (rtol ${RTOL})`);
}

function assertMatchesFixture(schedule: LearningRateSchedule, entry: ScheduleFixture['schedules'][number]): void {
  entry.steps.forEach((step, i) => assertClose(schedule.call(step), entry.values[i]!, `${entry.class} step ${step}`));
}

function entryLabel(entry: { class: string; config: ScheduleConfig }): string {
  return `${entry.class} ${JSON.stringify(entry.config)}`;
}

for (const entry of schedulesFixture.schedules) {
  test(`matches Keras at every fixture step: ${entryLabel(entry)}`, () => {
    const schedule = construct(entry.class, toOptions(entry.config));
    assert.ok(entry.steps.length > 0);
    assertMatchesFixture(schedule, entry);
  });

  test(`getConfig is Keras' get_config and fromConfig round-trips: ${entryLabel(entry)}`, () => {
    const schedule = construct(entry.class, toOptions(entry.config));
    assert.deepEqual(schedule.getConfig(), entry.config);
    const restored = builtIn(entry.class).fromConfig(entry.config);
    assert.ok(restored instanceof builtIn(entry.class));
    assert.deepEqual(restored.getConfig(), entry.config);
    assertMatchesFixture(restored, entry);
  });
}

test('the fixtures cover every built-in schedule and the staircase, cycle and warmup variants', () => {
  const classes = new Set(schedulesFixture.schedules.map((entry) => entry.class));
  assert.deepEqual([...classes].sort(), Object.keys(BUILT_INS).sort());
  const flags = schedulesFixture.schedules.map((entry) => entry.config);
  assert.ok(flags.some((config) => config.staircase === true));
  assert.ok(flags.some((config) => config.cycle === true));
  assert.ok(flags.some((config) => typeof config.warmup_target === 'number'));
});

const REQUIRED_OPTIONS: Record<string, string[]> = {
  ExponentialDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate'],
  PiecewiseConstantDecay: ['boundaries', 'values'],
  PolynomialDecay: ['initial_learning_rate', 'decay_steps'],
  InverseTimeDecay: ['initial_learning_rate', 'decay_steps', 'decay_rate'],
  CosineDecay: ['initial_learning_rate', 'decay_steps'],
  CosineDecayRestarts: ['initial_learning_rate', 'first_decay_steps'],
};

test('defaults are Keras 3 defaults', () => {
  // The serialized fixture of each class was built from its required arguments only.
  for (const [className, serialized] of Object.entries(schedulesFixture.serialized)) {
    const required = Object.fromEntries(REQUIRED_OPTIONS[className]!.map((key) => [key, serialized.config[key]]));
    assert.deepEqual(construct(className, toOptions(required)).getConfig(), serialized.config, className);
  }
});

test('serialize() produces Keras serialize() output for every built-in', () => {
  assert.equal(Object.keys(schedulesFixture.serialized).length, Object.keys(BUILT_INS).length);
  for (const [className, expected] of Object.entries(schedulesFixture.serialized)) {
    assert.deepEqual(serialize(builtIn(className).fromConfig(expected.config)), expected);
  }
});

test('deserialize() rebuilds built-ins from Keras serialize() output and from {class_name, config}', () => {
  for (const [className, serialized] of Object.entries(schedulesFixture.serialized)) {
    const schedule = deserialize(serialized);
    assert.ok(schedule instanceof builtIn(className), className);
    assert.deepEqual(schedule.getConfig(), serialized.config);
    const short = deserialize({ class_name: className, config: serialized.config });
    assert.deepEqual(serialize(short), serialized);
  }
});

test('deserialize() rejects unknown classes, malformed dicts and configs with unknown keys', () => {
  assert.throws(() => deserialize({ class_name: 'Nope', config: {} }), {
    name: 'TypeError',
    message:
      'Cannot deserialize object of type `Nope`. If `Nope` is a custom class, please register it using `registerKerasSerializable()`.',
  });
  assert.throws(() => deserialize(null as never), TypeError);
  assert.throws(() => deserialize({ class_name: 'ExponentialDecay', config: null as never }), TypeError);
  const config = { ...schedulesFixture.serialized.ExponentialDecay!.config, bogus: 1 };
  assert.throws(() => deserialize({ class_name: 'ExponentialDecay', config }), {
    name: 'TypeError',
    message: /ExponentialDecay got an unexpected option 'bogus'/,
  });
});

test('constructor errors that Keras raises carry its message, with the JS option names', () => {
  assert.ok(schedulesFixture.errors.length >= 6);
  for (const entry of schedulesFixture.errors) {
    assert.equal(entry.error, 'ValueError');
    const expected = entry.message.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (key) => KERAS_TO_OPTION[key] ?? key);
    assert.throws(() => construct(entry.class, toOptions(entry.config)), { name: 'RangeError', message: expected }, entryLabel(entry));
  }
});

const EXP = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
const BAD_ARGUMENTS: [string, () => unknown, string, RegExp][] = [
  [
    'NaN initial rate',
    () => new ExponentialDecay({ ...EXP, initialLearningRate: NaN }),
    'RangeError',
    /`initialLearningRate` must be finite\. Received: initialLearningRate=NaN/,
  ],
  ['infinite decay steps', () => new ExponentialDecay({ ...EXP, decaySteps: Infinity }), 'RangeError', /`decaySteps` must be finite/],
  [
    'negative decay rate',
    () => new ExponentialDecay({ ...EXP, decayRate: -0.5 }),
    'RangeError',
    /`decayRate` must be >= 0\. Received: decayRate=-0.5/,
  ],
  [
    'string decay rate',
    () => new ExponentialDecay({ ...EXP, decayRate: '0.5' as never }),
    'TypeError',
    /`decayRate` must be a number\. Received: decayRate='0.5'/,
  ],
  [
    'missing decay rate',
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never),
    'TypeError',
    /`decayRate` must be a number\. Received: decayRate=undefined/,
  ],
  ['non-boolean staircase', () => new ExponentialDecay({ ...EXP, staircase: 1 as never }), 'TypeError', /`staircase` must be a boolean/],
  ['non-string name', () => new ExponentialDecay({ ...EXP, name: 3 as never }), 'TypeError', /`name` must be a string/],
  [
    'snake_case option',
    () => new ExponentialDecay({ ...EXP, decay_rate: 0.5 } as never),
    'TypeError',
    /unexpected option 'decay_rate' \(did you mean 'decayRate'\?\)/,
  ],
  [
    'too many positional arguments',
    () => new ExponentialDecay(...([0.1, 10, 0.5, false, 'n', 6] as unknown as [number, number, number])),
    'TypeError',
    /ExponentialDecay takes at most 5 positional arguments/,
  ],
  [
    'boundaries not increasing',
    () => new PiecewiseConstantDecay({ boundaries: [10, 10], values: [1, 2, 3] }),
    'RangeError',
    /`boundaries` must be strictly increasing\. Received: boundaries=\[10, 10\]/,
  ],
  [
    'boundaries decreasing',
    () => new PiecewiseConstantDecay({ boundaries: [20, 10], values: [1, 2, 3] }),
    'RangeError',
    /strictly increasing/,
  ],
  [
    'too many values',
    () => new PiecewiseConstantDecay({ boundaries: [10], values: [1, 2, 3] }),
    'RangeError',
    /boundaries=\[10\] of length 1, and values=\[1, 2, 3\] of length 3/,
  ],
  ['no boundaries', () => new PiecewiseConstantDecay({ boundaries: [], values: [1] }), 'RangeError', /`boundaries` must not be empty/],
  ['NaN value', () => new PiecewiseConstantDecay({ boundaries: [10], values: [1, NaN] }), 'RangeError', /`values\[1\]` must be finite/],
  [
    'boundaries not an array',
    () => new PiecewiseConstantDecay({ boundaries: 10 as never, values: [1, 2] }),
    'TypeError',
    /`boundaries` must be an array of numbers/,
  ],
  [
    'NaN power',
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: NaN }),
    'RangeError',
    /`power` must be finite/,
  ],
  [
    'negative power',
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: -1 }),
    'RangeError',
    /`power` must be >= 0/,
  ],
  [
    'non-boolean cycle',
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: 'yes' as never }),
    'TypeError',
    /`cycle` must be a boolean/,
  ],
  [
    'infinite end rate',
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: -Infinity }),
    'RangeError',
    /`endLearningRate` must be finite/,
  ],
  ['negative inverse-time rate', () => new InverseTimeDecay({ ...EXP, decayRate: -1 }), 'RangeError', /`decayRate` must be >= 0/],
  ['NaN alpha', () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: NaN }), 'RangeError', /`alpha` must be finite/],
  [
    'NaN warmup target',
    () => new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: NaN, warmupSteps: 5 }),
    'RangeError',
    /`warmupTarget` must be finite/,
  ],
  [
    'negative warmup steps',
    () => new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 0.1, warmupSteps: -1 }),
    'RangeError',
    /`warmupSteps` must be >= 0/,
  ],
  [
    'zero tMul',
    () => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0 }),
    'RangeError',
    /`tMul` must be > 0\. Received: tMul=0/,
  ],
  [
    'negative mMul',
    () => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, mMul: -0.5 }),
    'RangeError',
    /`mMul` must be >= 0/,
  ],
  [
    'infinite first decay steps',
    () => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: Infinity }),
    'RangeError',
    /`firstDecaySteps` must be finite/,
  ],
];

for (const [label, build, errorName, message] of BAD_ARGUMENTS) {
  test(`rejects ${label}`, () => {
    assert.throws(build, (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, errorName);
      assert.match(error.message, message);
      return true;
    });
  });
}

test('PiecewiseConstantDecay compares integer steps with truncated boundaries, as Keras casts them to int64', () => {
  const schedule = new PiecewiseConstantDecay({ boundaries: [-0.5, 10.5], values: [0.3, 0.2, 0.1] });
  // Keras: int64(-0.5) = 0, so step 0 is still in the first interval.
  assert.equal(schedule.call(0), Math.fround(0.3));
  assert.equal(schedule.call(10), Math.fround(0.2));
  assert.equal(schedule.call(11), Math.fround(0.1));
  assert.equal(schedule.call(10.7), Math.fround(0.1));
});

/** Port of the InverseStepDecay subclass in test/fixtures/generators/keras_reference.py. */
class InverseStepDecay extends LearningRateSchedule {
  readonly initialLearningRate: number;

  constructor({ initialLearningRate }: { initialLearningRate: number }) {
    super();
    this.initialLearningRate = initialLearningRate;
  }

  call(step: number): number {
    return this.initialLearningRate / (1 + step);
  }

  override getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate };
  }
}

function optimizerCase(name: string): OptimizerFixture['cases'][number] {
  const found = optimizersFixture.cases.find((c) => c.name === name);
  assert.ok(found, `optimizers.json has no case ${name}`);
  return found;
}

function assertStepRates(learningRate: Parameters<typeof resolveLearningRate>[0], caseName: string): void {
  const fixtureCase = optimizerCase(caseName);
  assert.equal(fixtureCase.steps.length, 10);
  for (const { learning_rate: expected, iterations } of fixtureCase.steps) {
    // The rate an update uses is the schedule at `iterations` before that update.
    assertClose(resolveLearningRate(learningRate, iterations - 1), expected, `${caseName} step ${iterations - 1}`);
  }
}

test('a user subclass of LearningRateSchedule matches the Keras subclass an optimizer ran with', () => {
  const schedule = new InverseStepDecay({ initialLearningRate: 0.01 });
  assertStepRates(schedule, 'adam_custom_schedule');
});

test('an unregistered user schedule serializes like Keras; registering makes it deserializable', () => {
  const schedule = new InverseStepDecay({ initialLearningRate: 0.01 });
  assert.deepEqual(serialize(schedule), optimizerCase('adam_custom_schedule').config.learning_rate);
  assert.throws(() => deserialize(serialize(schedule)), /Cannot deserialize object of type `InverseStepDecay`/);

  assert.equal(registerKerasSerializable('MyPkg')(InverseStepDecay), InverseStepDecay);
  assert.equal(getRegisteredName(InverseStepDecay), 'MyPkg>InverseStepDecay');
  const serialized = serialize(schedule);
  assert.deepEqual(serialized, {
    module: null,
    class_name: 'InverseStepDecay',
    config: { initial_learning_rate: 0.01 },
    registered_name: 'MyPkg>InverseStepDecay',
  });
  const restored = deserialize(serialized);
  assert.ok(restored instanceof InverseStepDecay);
  assert.equal(restored.initialLearningRate, 0.01);

  class Other extends InverseStepDecay {}
  assert.throws(() => registerKerasSerializable('MyPkg', 'InverseStepDecay')(Other), {
    name: 'RangeError',
    message: 'MyPkg>InverseStepDecay has already been registered to InverseStepDecay.',
  });
});

test('a subclass without getConfig cannot be serialized, with Keras message', () => {
  class Constant extends LearningRateSchedule {
    call(): number {
      return 0.1;
    }
  }
  assert.throws(() => serialize(new Constant()), {
    message: "Learning rate schedule 'Constant' must override `getConfig()` in order to be serializable.",
  });
});

test('built-in schedules give the rates Keras optimizers used at each step', () => {
  for (const name of ['adam_exponential_decay', 'adam_cosine_decay_warmup']) {
    const serialized = optimizerCase(name).config.learning_rate;
    assert.equal(typeof serialized, 'object');
    assertStepRates(deserialize(serialized as SerializedLearningRateSchedule), name);
  }
});

test('resolveLearningRate accepts numbers, schedules and plain functions of the step', () => {
  assert.equal(resolveLearningRate(0.01, 0), 0.01);
  assert.equal(resolveLearningRate(0, 3), 0);
  assert.equal(
    resolveLearningRate((step) => 0.1 / (step + 1), 4),
    0.02,
  );
  const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  assert.equal(resolveLearningRate(schedule, 2), schedule.call(2));
  assertStepRates((step) => Math.fround(0.01 / Math.fround(1 + step)), 'adam_custom_schedule');
});

test('resolveLearningRate rejects NaN, infinite, negative and non-number rates, naming the step', () => {
  const badResults: [unknown, RegExp][] = [
    [NaN, /at step 7 is NaN/],
    [Infinity, /at step 7 is Infinity/],
    [-0.001, /at step 7 is -0\.001/],
    ['0.1', /at step 7 is 0\.1 \(string\)/],
    [undefined, /at step 7 is undefined \(undefined\)/],
  ];
  for (const [result, message] of badResults) {
    assert.throws(() => resolveLearningRate(() => result as number, 7), { name: 'RangeError', message });
  }
  assert.throws(() => resolveLearningRate(NaN, 7), { name: 'RangeError', message: /at step 7 is NaN/ });
  const negative = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: -0.1 });
  assert.throws(() => resolveLearningRate(negative, 7), { name: 'RangeError', message: /at step 7 is -0\.0399999/ });
});

test('resolveLearningRate rejects bad steps and learning-rate types', () => {
  for (const step of [-1, 1.5, NaN, Infinity]) {
    assert.throws(() => resolveLearningRate(0.1, step), { name: 'RangeError', message: /non-negative integer/ });
  }
  assert.throws(() => resolveLearningRate('0.1' as never, 0), TypeError);
  assert.throws(() => resolveLearningRate({ call: () => 0.1 } as never, 0), TypeError);
});
