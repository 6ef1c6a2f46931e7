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

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  /** Length of the first period. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the previous one. Default 2.0. */
  tMul?: number;
  /** Each period starts at `mMul` times the previous period's starting rate. Default 1.0. */
  mMul?: number;
  /** Rate at the end of each period as a fraction of its starting rate. Default 0. */
  alpha?: number;
  name?: string;
}

export type CosineDecayRestartsConfig = {
  initial_learning_rate: number;
  first_decay_steps: number;
  t_mul: number;
  m_mul: number;
  alpha: number;
  name: string;
};

const OPTIONS = ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name'] as const;

/** Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016). */
export class CosineDecayRestarts extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(...args: PositionalArgs<CosineDecayRestartsOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('CosineDecayRestarts', positionalOptions(new.target, args), OPTIONS);
    this.initialLearningRate = finiteNumber('initialLearningRate', o.initialLearningRate);
    this.firstDecaySteps = positiveNumber('firstDecaySteps', o.firstDecaySteps);
    // Period lengths grow as tMul ** i, found through log(tMul).
    this.tMul = positiveNumber('tMul', o.tMul ?? 2.0);
    this.mMul = nonNegativeNumber('mMul', o.mMul ?? 1.0);
    this.alpha = finiteNumber('alpha', o.alpha ?? 0.0);
    this.name = stringOption('name', o.name ?? 'SGDRDecay');
  }

  call(step: number): number {
    const alpha = f32(this.alpha);
    const tMul = f32(this.tMul);
    let completed = f32(f32(step) / f32(this.firstDecaySteps));
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(completed);
      completed = f32(completed - restart);
    } else {
      // Index of the period holding `completed`: periods sum to (1 - tMul ** i) / (1 - tMul).
      const oneMinusT = f32(1 - tMul);
      restart = Math.floor(f32(f32(Math.log(f32(1 - f32(completed * oneMinusT)))) / f32(Math.log(tMul))));
      const tPower = f32(tMul ** restart);
      const periodsBefore = f32(f32(1 - tPower) / oneMinusT);
      completed = f32(f32(completed - periodsBefore) / tPower);
    }
    const mFactor = f32(f32(this.mMul) ** restart);
    const cosineDecayed = f32(f32(0.5 * mFactor) * f32(1 + f32(Math.cos(f32(PI_F32 * completed)))));
    const decayed = f32(f32(f32(1 - alpha) * cosineDecayed) + alpha);
    return f32(f32(this.initialLearningRate) * decayed);
  }

  override getConfig(): CosineDecayRestartsConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}
