// Adagrad with Keras 3's defaults, as Keras' expression in ops: TF's ResourceApplyAdagradV2 divides
// by sqrt(accumulator) + epsilon where Keras divides by sqrt(accumulator + epsilon), which differs
// far beyond float rounding while the accumulator is small (initialAccumulatorValue 0).
import { AddV2, Mul, RealDiv, Sqrt, Square } from '../../ops/generated';
import { fill } from '../../ops/creation';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkNumber, checkOptionKeys, NON_NEGATIVE } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Keras' leading parameters, in its order: `new Adagrad(learningRate, initialAccumulatorValue)`. */
const POSITIONAL = ['learningRate', 'initialAccumulatorValue', 'epsilon'] as const;

export class Adagrad extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'initialAccumulatorValue', 'epsilon'];
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(...args: PositionalArgs<AdagradOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdagradOptions>(new.target, args);
    const { initialAccumulatorValue = 0.1, epsilon = 1e-7 } = checkOptionKeys(new.target, options);
    const checked = {
      initialAccumulatorValue: checkNumber('initialAccumulatorValue', initialAccumulatorValue, NON_NEGATIVE),
      epsilon: checkNumber('epsilon', epsilon, NON_NEGATIVE),
    };
    super(options, 0.001);
    this.initialAccumulatorValue = checked.initialAccumulatorValue;
    this.epsilon = checked.epsilon;
  }

  protected slotNames(): string[] {
    return ['accumulator'];
  }

  protected override slotInitialValue(slot: string, variable: Variable): Tensor {
    return slot === 'accumulator'
      ? fill(variable.shape, this.initialAccumulatorValue, variable.dtype)
      : super.slotInitialValue(slot, variable);
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    const accumulator = this.getSlot(variable, 'accumulator');
    const newAccumulator = AddV2({ x: accumulator.value(), y: Square({ x: gradient }) });
    accumulator.assign(newAccumulator);
    variable.assignSub(RealDiv({ x: Mul({ x: lr, y: gradient }), y: Sqrt({ x: AddV2({ x: newAccumulator, y: this.epsilon }) }) }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

kerasExport('keras.optimizers', [Adagrad]);
