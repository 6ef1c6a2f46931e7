import { CosineDecay } from './cosine_decay';
import { CosineDecayRestarts } from './cosine_decay_restarts';
import { ExponentialDecay } from './exponential_decay';
import { InverseTimeDecay } from './inverse_time_decay';
import { LearningRateSchedule, type ScheduleConfig } from './learning_rate_schedule';
import { describeValue } from './options';
import { PiecewiseConstantDecay } from './piecewise_constant_decay';
import { PolynomialDecay } from './polynomial_decay';

/** The dict `keras.optimizers.schedules.serialize()` produces. */
export interface SerializedLearningRateSchedule {
  module: string | null;
  class_name: string;
  config: ScheduleConfig;
  registered_name: string | null;
}

/** A schedule class as the registry needs it: its name and a way back from a config. */
export interface LearningRateScheduleClass {
  readonly name: string;
  fromConfig(config: ScheduleConfig): LearningRateSchedule;
}

const KERAS_MODULE = 'keras.optimizers.schedules';

const BUILT_INS = new Map<string, LearningRateScheduleClass>(
  [ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts].map(
    (cls) => [cls.name, cls],
  ),
);

const registeredByName = new Map<string, LearningRateScheduleClass>();
const registeredNameOf = new Map<LearningRateScheduleClass, string>();

/**
 * Makes a user schedule class deserializable, like `@keras.saving.register_keras_serializable`:
 * it is recorded as `'<package>><name>'` (package defaults to 'Custom', name to the class name).
 */
export function registerSchedule(
  cls: LearningRateScheduleClass,
  { packageName = 'Custom', name = cls.name }: { packageName?: string; name?: string } = {},
): string {
  const registeredName = `${packageName}>${name}`;
  const existing = registeredByName.get(registeredName);
  if (existing !== undefined && existing !== cls) {
    throw new RangeError(`${registeredName} has already been registered to ${existing.name}.`);
  }
  registeredByName.set(registeredName, cls);
  registeredNameOf.set(cls, registeredName);
  return registeredName;
}

/** Keras' `serialize(schedule)`: built-ins name their module; user classes get `module: null`. */
export function serialize(schedule: LearningRateSchedule): SerializedLearningRateSchedule {
  const cls = schedule.constructor as unknown as LearningRateScheduleClass;
  const config = schedule.getConfig();
  if (BUILT_INS.get(cls.name) === cls) {
    return { module: KERAS_MODULE, class_name: cls.name, config, registered_name: null };
  }
  return { module: null, class_name: cls.name, config, registered_name: registeredNameOf.get(cls) ?? cls.name };
}

/** Keras' `deserialize(dict)`: accepts `serialize()` output (or just `{class_name, config}`). */
export function deserialize(
  serialized: Pick<SerializedLearningRateSchedule, 'class_name' | 'config'> & Partial<SerializedLearningRateSchedule>,
): LearningRateSchedule {
  if (typeof serialized !== 'object' || serialized === null || typeof serialized.class_name !== 'string') {
    throw new TypeError(
      `A serialized schedule must be an object with a string \`class_name\` and a \`config\`. Received: ${describeValue(serialized)}`,
    );
  }
  const className = serialized.class_name;
  const cls =
    (serialized.registered_name != null ? registeredByName.get(serialized.registered_name) : undefined) ??
    BUILT_INS.get(className) ??
    registeredByName.get(`Custom>${className}`);
  if (cls === undefined) {
    throw new TypeError(
      `Cannot deserialize object of type \`${className}\`. If \`${className}\` is a custom class, ` +
        'please register it using `registerSchedule()`.',
    );
  }
  if (typeof serialized.config !== 'object' || serialized.config === null) {
    throw new TypeError(`${className} could not be deserialized: its \`config\` must be an object.`);
  }
  return cls.fromConfig(serialized.config);
}
