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

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay at whole multiples of `decaySteps` only. Default false. */
  staircase?: boolean;
  name?: string;
}

export type InverseTimeDecayConfig = {
  initial_learning_rate: number;
  decay_steps: number;
  decay_rate: number;
  staircase: boolean;
  name: string;
};

const OPTIONS = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'] as const;

/** `initialLearningRate / (1 + decayRate * step / decaySteps)`, the fraction floored when `staircase`. */
export class InverseTimeDecay extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(...args: PositionalArgs<InverseTimeDecayOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('InverseTimeDecay', positionalOptions(new.target, args), OPTIONS);
    this.initialLearningRate = finiteNumber('initialLearningRate', o.initialLearningRate);
    this.decaySteps = positiveNumber('decaySteps', o.decaySteps);
    // A negative rate drives the denominator through zero.
    this.decayRate = nonNegativeNumber('decayRate', o.decayRate);
    this.staircase = booleanOption('staircase', o.staircase ?? false);
    this.name = stringOption('name', o.name ?? 'InverseTimeDecay');
  }

  call(step: number): number {
    let p = f32(f32(step) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    const denominator = f32(1 + f32(f32(this.decayRate) * p));
    return f32(f32(this.initialLearningRate) / denominator);
  }

  override getConfig(): InverseTimeDecayConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}
