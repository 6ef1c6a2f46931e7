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

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1.0. */
  power?: number;
  /** Restart from the next multiple of `decaySteps` instead of holding `endLearningRate`. Default false. */
  cycle?: boolean;
  name?: string;
}

export type PolynomialDecayConfig = {
  initial_learning_rate: number;
  decay_steps: number;
  end_learning_rate: number;
  power: number;
  cycle: boolean;
  name: string;
};

const OPTIONS = ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'] as const;

/** `(initial - end) * (1 - step / decaySteps) ** power + end`, with step capped at (or, cycling, decaySteps grown past) step. */
export class PolynomialDecay extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(...args: PositionalArgs<PolynomialDecayOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('PolynomialDecay', positionalOptions(new.target, args), OPTIONS);
    this.initialLearningRate = finiteNumber('initialLearningRate', o.initialLearningRate);
    this.decaySteps = positiveNumber('decaySteps', o.decaySteps);
    this.endLearningRate = finiteNumber('endLearningRate', o.endLearningRate ?? 0.0001);
    // A negative power makes the rate infinite once step reaches decaySteps.
    this.power = nonNegativeNumber('power', o.power ?? 1.0);
    this.cycle = booleanOption('cycle', o.cycle ?? false);
    this.name = stringOption('name', o.name ?? 'PolynomialDecay');
  }

  call(step: number): number {
    let globalStep = f32(step);
    let decaySteps = f32(this.decaySteps);
    if (this.cycle) {
      // The first multiple of decaySteps at or above step; 1 at step 0.
      const multiplier = globalStep === 0 ? 1 : Math.ceil(f32(globalStep / decaySteps));
      decaySteps = f32(decaySteps * multiplier);
    } else {
      globalStep = Math.min(globalStep, decaySteps);
    }
    const p = f32(globalStep / decaySteps);
    const end = f32(this.endLearningRate);
    const span = f32(f32(this.initialLearningRate) - end);
    return f32(f32(span * f32(f32(1 - p) ** f32(this.power))) + end);
  }

  override getConfig(): PolynomialDecayConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}
