import { f32 } from './float32';
import { LearningRateSchedule } from './learning_rate_schedule';
import {
  checkOptions,
  describeValue,
  finiteNumberArray,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../../utils/argument_validation';

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: `values[i]` applies while `step <= boundaries[i]`. */
  values: number[];
  name?: string;
}

export type PiecewiseConstantDecayConfig = {
  boundaries: number[];
  values: number[];
  name: string;
};

const OPTIONS = ['boundaries', 'values', 'name'] as const;

/** `values[0]` for `step <= boundaries[0]`, `values[i]` for `boundaries[i-1] < step <= boundaries[i]`, `values.at(-1)` after. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** Keras' parameters in its order: every option can also be given positionally. */
  static override readonly positional: readonly string[] = OPTIONS;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(...args: PositionalArgs<PiecewiseConstantDecayOptions, typeof OPTIONS>) {
    super();
    const o = checkOptions('PiecewiseConstantDecay', positionalOptions(new.target, args), OPTIONS);
    const boundaries = finiteNumberArray('boundaries', o.boundaries);
    const values = finiteNumberArray('values', o.values);
    if (boundaries.length !== values.length - 1) {
      throw new RangeError(
        'The length of boundaries should be 1 less than the length of values. ' +
          `Received: boundaries=${describeValue(boundaries)} of length ${boundaries.length}, ` +
          `and values=${describeValue(values)} of length ${values.length}.`,
      );
    }
    if (boundaries.length === 0) {
      throw new RangeError('Argument `boundaries` must not be empty. Received: boundaries=[]');
    }
    // Keras does not check this and silently sums the values of overlapping ranges.
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i]! > boundaries[i - 1]!)) {
        throw new RangeError(`Argument \`boundaries\` must be strictly increasing. Received: boundaries=${describeValue(boundaries)}`);
      }
    }
    this.boundaries = boundaries;
    this.values = values;
    this.name = stringOption('name', o.name ?? 'PiecewiseConstant');
  }

  call(step: number): number {
    // Keras casts the boundaries to the step's dtype: an integer step (the optimizer's int64
    // `iterations`) meets truncated boundaries, a fractional one meets float32 boundaries.
    const castBoundary = Number.isInteger(step) ? Math.trunc : f32;
    const index = this.boundaries.findIndex((boundary) => step <= castBoundary(boundary));
    return f32(this.values[index === -1 ? this.values.length - 1 : index]!);
  }

  override getConfig(): PiecewiseConstantDecayConfig {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}
