import { kerasExport, serializeKerasObject, deserializeKerasObject, SerializedLike } from '../../saving/serialization_lib';
import { CosineDecay } from './cosine_decay';
import { CosineDecayRestarts } from './cosine_decay_restarts';
import { ExponentialDecay } from './exponential_decay';
import { InverseTimeDecay } from './inverse_time_decay';
import { LearningRateSchedule, type ScheduleConfig } from './learning_rate_schedule';
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

const BUILT_INS = [ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts];
const MODULE_OBJECTS = kerasExport('keras.optimizers.schedules', BUILT_INS);

/** Keras' `serialize(schedule)`: built-ins name their module; user classes get `module: null` and their registered name. */
export function serialize(schedule: LearningRateSchedule): SerializedLearningRateSchedule {
  return serializeKerasObject(schedule) as SerializedLearningRateSchedule;
}

/** Keras' `deserialize(dict)`: accepts `serialize()` output (or just `{class_name, config}`). */
export function deserialize(serialized: SerializedLike): LearningRateSchedule {
  return deserializeKerasObject(serialized, { moduleObjects: MODULE_OBJECTS, what: 'schedule', base: LearningRateSchedule });
}
