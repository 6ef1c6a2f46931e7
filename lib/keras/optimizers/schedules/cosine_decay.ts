import { f32, PI_F32 } from './float32';
import { LearningRateSchedule } from './learning_rate_schedule';
import {
  checkOptions,
  finiteNumber,
  nonNegativeNumber,
  positiveNumber,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../../utils/argument_validation';

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Final rate as a fraction of the decay's starting rate. Default 0. */
  alpha?: number;
  name?: string;
  /** Rate reached by a linear warmup from `initialLearningRate`; null (default) skips the warmup. */
  warmupTarget?: number | null;
  /** Length of the warmup. Default 0. */
  warmupSteps?: number;
}

export type CosineDecayConfig = {
  initial_learning_rate: number;
  decay_steps: number;
  alpha: number;
  name: string;
  warmup_target: number | null;
  warmup_steps: number;
};

const OPTIONS = ['initialLearningRate', 'decaySteps', 'alpha', 'name', 'warmupTarget', 'warmupSteps'] as const;

/**
 * Optional linear warmup from `initialLearningRate` to `warmupTarget` over `warmupSteps`, then a
 * cosine decay over `decaySteps` from the warmup target (or `initialLearningRate`) down to
 * `alpha` times it, held there afterwards.
 */
export class CosineDecay extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(...args: PositionalArgs<CosineDecayOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('CosineDecay', positionalOptions(new.target, args), OPTIONS);
    this.initialLearningRate = finiteNumber('initialLearningRate', o.initialLearningRate);
    this.decaySteps = positiveNumber('decaySteps', o.decaySteps);
    this.alpha = finiteNumber('alpha', o.alpha ?? 0.0);
    this.name = stringOption('name', o.name ?? 'CosineDecay');
    this.warmupTarget = o.warmupTarget == null ? null : finiteNumber('warmupTarget', o.warmupTarget);
    this.warmupSteps = nonNegativeNumber('warmupSteps', o.warmupSteps ?? 0);
  }

  call(step: number): number {
    const initialLearningRate = f32(this.initialLearningRate);
    const decaySteps = f32(this.decaySteps);
    let globalStep = f32(step);
    if (this.warmupTarget === null) {
      return this.decay(Math.min(globalStep, decaySteps), decaySteps, initialLearningRate);
    }
    const warmupTarget = f32(this.warmupTarget);
    const warmupSteps = f32(this.warmupSteps);
    globalStep = Math.min(globalStep, f32(decaySteps + warmupSteps));
    if (globalStep < warmupSteps) {
      const completed = f32(globalStep / warmupSteps);
      return f32(f32(f32(warmupTarget - initialLearningRate) * completed) + initialLearningRate);
    }
    return this.decay(f32(globalStep - warmupSteps), decaySteps, warmupTarget);
  }

  private decay(step: number, decaySteps: number, decayFrom: number): number {
    const completed = f32(step / decaySteps);
    const cosineDecayed = f32(0.5 * f32(1 + f32(Math.cos(f32(PI_F32 * completed)))));
    // Keras computes `1 - alpha` in float64 (a Python float) before meeting the float32 tensor.
    const decayed = f32(f32(f32(1 - this.alpha) * cosineDecayed) + f32(this.alpha));
    return f32(decayFrom * decayed);
  }

  override getConfig(): CosineDecayConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}
