import { optionsFromConfig } from '../../saving/serialization_lib';

/** A schedule's `getConfig()` dict: Keras' snake_case keys and JSON values. */
export type ScheduleConfig = Record<string, unknown>;

/**
 * Base of every learning-rate schedule (Keras' `keras.optimizers.schedules.LearningRateSchedule`).
 *
 * Subclasses implement `call(step)`; to be serializable they also implement `getConfig()`. The
 * inherited `fromConfig` camelCases the config's keys and passes them to the constructor as one
 * options object, which is how every built-in schedule is constructed; a subclass whose constructor
 * takes something else overrides `fromConfig`.
 */
export abstract class LearningRateSchedule {
  /** The options a subclass also takes positionally, in Keras' order (see positionalOptions). */
  static readonly positional: readonly string[] = [];

  /** The learning rate at optimizer step `step` (the optimizer's `iterations` before the update). */
  abstract call(step: number): number;

  getConfig(): ScheduleConfig {
    throw new Error(`Learning rate schedule '${this.constructor.name}' must override \`getConfig()\` in order to be serializable.`);
  }

  static fromConfig<T extends LearningRateSchedule>(this: new (options: never) => T, config: ScheduleConfig): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}
