// Lion with Keras 3's defaults, as Keras' expression in ops (TF has no Lion kernel).
import { AddV2, Mul, Sign } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkNumber, checkOptionKeys, inDtype, UNIT } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface LionOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
}

/** Keras' leading parameters, in its order: `new Lion(learningRate, beta1)`. */
const POSITIONAL = ['learningRate', 'beta1', 'beta2'] as const;

export class Lion extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2'];
  readonly beta1: number;
  readonly beta2: number;

  constructor(...args: PositionalArgs<LionOptions, typeof POSITIONAL>) {
    const options = positionalOptions<LionOptions>(new.target, args);
    const { beta1 = 0.9, beta2 = 0.99 } = checkOptionKeys(new.target, options);
    // Keras: beta_1 = 0 degenerates to SignSGD.
    const checked = { beta1: checkNumber('beta1', beta1, { min: 0, max: 1, minOpen: true }), beta2: checkNumber('beta2', beta2, UNIT) };
    super(options, 0.001);
    this.beta1 = checked.beta1;
    this.beta2 = checked.beta2;
  }

  protected slotNames(): string[] {
    return ['momentum'];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    const momentum = this.getSlot(variable, 'momentum');
    const m = momentum.value();
    // Keras casts the betas to the variable's dtype before taking 1 - beta.
    const b1 = inDtype(this.beta1, variable);
    const b2 = inDtype(this.beta2, variable);
    const direction = Sign({ x: AddV2({ x: Mul({ x: m, y: b1 }), y: Mul({ x: gradient, y: 1 - b1 }) }) });
    variable.assignSub(Mul({ x: lr, y: direction }));
    momentum.assign(AddV2({ x: Mul({ x: m, y: b2 }), y: Mul({ x: gradient, y: 1 - b2 }) }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }
}

kerasExport('keras.optimizers', [Lion]);
