import { f32 } from './float32';
import { LearningRateSchedule } from './learning_rate_schedule';
import {
  booleanOption,
  checkOptions,
  finiteNumber,
  nonNegativeNumber,
  positiveNumber,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../../utils/argument_validation';

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of `decaySteps` only. Default false. */
  staircase?: boolean;
  name?: string;
}

export type ExponentialDecayConfig = {
  initial_learning_rate: number;
  decay_steps: number;
  decay_rate: number;
  staircase: boolean;
  name: string;
};

const OPTIONS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'] as const;

/** `initialLearningRate * decayRate ** (step / decaySteps)`, the exponent floored when `staircase`. */
export class ExponentialDecay extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(...args: PositionalArgs<ExponentialDecayOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('ExponentialDecay', positionalOptions(new.target, args), OPTIONS);
    this.initialLearningRate = finiteNumber('initialLearningRate', o.initialLearningRate);
    this.decaySteps = positiveNumber('decaySteps', o.decaySteps);
    // A negative base gives NaN for fractional exponents.
    this.decayRate = nonNegativeNumber('decayRate', o.decayRate);
    this.staircase = booleanOption('staircase', o.staircase ?? false);
    this.name = stringOption('name', o.name ?? 'ExponentialDecay');
  }

  call(step: number): number {
    let p = f32(f32(step) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return f32(f32(this.initialLearningRate) * f32(f32(this.decayRate) ** p));
  }

  override getConfig(): ExponentialDecayConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}
