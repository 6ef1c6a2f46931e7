import { checkClassOptions, nonNegativeInteger, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Callback, type CallbackModel, type Logs } from './callback';
import { pythonFloatRepr } from './python_float_repr';

/** Maps the 0-based epoch index and the current learning rate to the rate for that epoch. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerOptions {
  schedule: EpochSchedule;
  /** 1 prints each epoch's rate. Default 0. */
  verbose?: number;
}

/**
 * Sets the optimizer's learning rate at the start of every epoch from `schedule(epoch, lr)`
 * (Keras' `keras.callbacks.LearningRateScheduler`) and reports it as `logs.learning_rate`.
 */
export class LearningRateScheduler extends Callback {
  static readonly optionKeys: readonly string[] = ['schedule', 'verbose'];
  static readonly positional: readonly string[] = ['schedule', 'verbose'];
  readonly schedule: EpochSchedule;
  readonly verbose: number;

  /** `new LearningRateScheduler(schedule, 1)`, or `(schedule, {verbose: 1})`, or `({schedule, verbose: 1})`. */
  constructor(...args: PositionalArgs<LearningRateSchedulerOptions, ['schedule', 'verbose']>) {
    super();
    const o = checkClassOptions(new.target, positionalOptions(new.target, args));
    const schedule = o.schedule as EpochSchedule;
    const verbose = o.verbose ?? 0;
    if (typeof schedule !== 'function') {
      throw new TypeError(`Argument \`schedule\` must be a function (epoch, lr) => lr. Received: ${String(schedule)}`);
    }
    this.schedule = schedule;
    this.verbose = nonNegativeInteger('verbose', verbose);
  }

  override onEpochBegin(epoch: number): void {
    const learningRate = this.updateOptimizerLearningRate(this.model.optimizer, epoch);
    if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pythonFloatRepr(learningRate)}.`);
    }
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = this.model.optimizer.learningRate.numpy();
  }

  private updateOptimizerLearningRate(optimizer: CallbackModel['optimizer'], epoch: number): number {
    if (optimizer?.learningRate == null) throw new TypeError('Optimizer must have a "learningRate" attribute.');
    const learningRate: unknown = this.schedule(epoch, optimizer.learningRate.numpy());
    if (typeof learningRate !== 'number') {
      throw new TypeError(`The output of the \`schedule\` function should be a float. Got: ${String(learningRate)}`);
    }
    // Keras would assign these; they can only corrupt the weights.
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new RangeError(
        `The \`schedule\` function returned ${learningRate} for epoch ${epoch}; ` +
          'a learning rate must be a finite, non-negative number.',
      );
    }
    optimizer.learningRate.assign(learningRate);
    return learningRate;
  }
}
