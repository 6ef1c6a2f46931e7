// Adadelta with Keras 3's defaults, on TF's ResourceApplyAdadelta kernel (Keras' update, to float rounding).
import { ResourceApplyAdadelta } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkNumber, checkOptionKeys, NON_NEGATIVE, UNIT_OPEN } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface AdadeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/** Keras' leading parameters, in its order: `new Adadelta(learningRate, rho)`. */
const POSITIONAL = ['learningRate', 'rho', 'epsilon'] as const;

export class Adadelta extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'rho', 'epsilon'];
  readonly rho: number;
  readonly epsilon: number;

  constructor(...args: PositionalArgs<AdadeltaOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdadeltaOptions>(new.target, args);
    const { rho = 0.95, epsilon = 1e-7 } = checkOptionKeys(new.target, options);
    const checked = { rho: checkNumber('rho', rho, UNIT_OPEN), epsilon: checkNumber('epsilon', epsilon, NON_NEGATIVE) };
    super(options, 0.001);
    this.rho = checked.rho;
    this.epsilon = checked.epsilon;
  }

  protected slotNames(): string[] {
    return ['accumulated_grad', 'accumulated_delta_var'];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    ResourceApplyAdadelta({
      var: variable.handle,
      accum: this.getSlot(variable, 'accumulated_grad').handle,
      accumUpdate: this.getSlot(variable, 'accumulated_delta_var').handle,
      lr: castLike(learningRate, variable),
      rho: this.rho,
      epsilon: this.epsilon,
      grad: gradient,
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

kerasExport('keras.optimizers', [Adadelta]);
