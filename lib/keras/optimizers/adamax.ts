// Adamax with Keras 3's defaults, on TF's ResourceApplyAdaMax kernel (Keras' update, to float rounding).
import { Pow, ResourceApplyAdaMax } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { adamHyperparameters } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras' leading parameters, in its order: `new Adamax(learningRate, beta1)`. */
const POSITIONAL = ['learningRate', 'beta1', 'beta2', 'epsilon'] as const;

export class Adamax extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2', 'epsilon'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(...args: PositionalArgs<AdamaxOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdamaxOptions>(new.target, args);
    const checked = adamHyperparameters(new.target, options);
    super(options, 0.001);
    this.beta1 = checked.beta1;
    this.beta2 = checked.beta2;
    this.epsilon = checked.epsilon;
  }

  protected slotNames(): string[] {
    return ['momentum', 'norm'];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate, localStep }: UpdateContext): void {
    ResourceApplyAdaMax({
      var: variable.handle,
      m: this.getSlot(variable, 'momentum').handle,
      v: this.getSlot(variable, 'norm').handle,
      // β₁^(iterations+1), as Keras computes it.
      beta1Power: Pow({ x: this.beta1, y: castLike(localStep, variable) }),
      lr: castLike(learningRate, variable),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      grad: gradient,
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

kerasExport('keras.optimizers', [Adamax]);
