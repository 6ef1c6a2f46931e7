// FTRL-Proximal with Keras 3's defaults, on TF's ResourceApplyFtrlV2 kernel: Keras' update (with
// l2_shrinkage, and beta folded into the l2 strength as Keras does: l2 + beta / (2 lr)), bit for bit
// on the parity fixtures.
import { AddV2, Mul, RealDiv, ResourceApplyFtrlV2 } from '../../ops/generated';
import { fill } from '../../ops/creation';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkNumber, checkOptionKeys, NON_NEGATIVE } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface FtrlOptions extends OptimizerOptions {
  learningRatePower?: number;
  initialAccumulatorValue?: number;
  l1RegularizationStrength?: number;
  l2RegularizationStrength?: number;
  l2ShrinkageRegularizationStrength?: number;
  beta?: number;
}

/** Keras' leading parameters, in its order: `new Ftrl(learningRate, learningRatePower)`. */
const POSITIONAL = [
  'learningRate',
  'learningRatePower',
  'initialAccumulatorValue',
  'l1RegularizationStrength',
  'l2RegularizationStrength',
  'l2ShrinkageRegularizationStrength',
  'beta',
] as const;

export class Ftrl extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Optimizer.optionKeys,
    'learningRatePower',
    'initialAccumulatorValue',
    'l1RegularizationStrength',
    'l2RegularizationStrength',
    'l2ShrinkageRegularizationStrength',
    'beta',
  ];
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(...args: PositionalArgs<FtrlOptions, typeof POSITIONAL>) {
    const options = positionalOptions<FtrlOptions>(new.target, args);
    const {
      learningRatePower = -0.5,
      initialAccumulatorValue = 0.1,
      l1RegularizationStrength = 0,
      l2RegularizationStrength = 0,
      l2ShrinkageRegularizationStrength = 0,
      beta = 0,
    } = checkOptionKeys(new.target, options);
    const checked = {
      learningRatePower: checkNumber('learningRatePower', learningRatePower, { max: 0 }),
      initialAccumulatorValue: checkNumber('initialAccumulatorValue', initialAccumulatorValue, NON_NEGATIVE),
      l1RegularizationStrength: checkNumber('l1RegularizationStrength', l1RegularizationStrength, NON_NEGATIVE),
      l2RegularizationStrength: checkNumber('l2RegularizationStrength', l2RegularizationStrength, NON_NEGATIVE),
      l2ShrinkageRegularizationStrength: checkNumber('l2ShrinkageRegularizationStrength', l2ShrinkageRegularizationStrength, NON_NEGATIVE),
      beta: checkNumber('beta', beta, NON_NEGATIVE),
    };
    super(options, 0.001);
    this.learningRatePower = checked.learningRatePower;
    this.initialAccumulatorValue = checked.initialAccumulatorValue;
    this.l1RegularizationStrength = checked.l1RegularizationStrength;
    this.l2RegularizationStrength = checked.l2RegularizationStrength;
    this.l2ShrinkageRegularizationStrength = checked.l2ShrinkageRegularizationStrength;
    this.beta = checked.beta;
  }

  protected slotNames(): string[] {
    return ['accumulator', 'linear'];
  }

  protected override slotInitialValue(slot: string, variable: Variable): Tensor {
    return slot === 'accumulator'
      ? fill(variable.shape, this.initialAccumulatorValue, variable.dtype)
      : super.slotInitialValue(slot, variable);
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    ResourceApplyFtrlV2({
      var: variable.handle,
      accum: this.getSlot(variable, 'accumulator').handle,
      linear: this.getSlot(variable, 'linear').handle,
      grad: gradient,
      lr,
      l1: this.l1RegularizationStrength,
      l2:
        this.beta === 0
          ? this.l2RegularizationStrength
          : AddV2({ x: this.l2RegularizationStrength, y: RealDiv({ x: this.beta, y: Mul({ x: 2, y: lr }) }) }),
      l2Shrinkage: this.l2ShrinkageRegularizationStrength,
      lrPower: this.learningRatePower,
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}

kerasExport('keras.optimizers', [Ftrl]);
