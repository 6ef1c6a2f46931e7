// Adam on TF's ResourceApplyAdam / ResourceApplyAdamWithAmsgrad kernels, with Keras 3's defaults.
import { Pow, ResourceApplyAdam, ResourceApplyAdamWithAmsgrad } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { kerasExport } from '../saving/serialization_lib';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

function checkBeta(value: number, what: string): void {
  // In float32 terms: 0.99999999999 rounds to 1, and a beta of 1 divides by zero in the bias correction.
  if (typeof value !== 'number' || !(value >= 0 && Math.fround(value) < 1)) {
    throw new RangeError(`Argument \`${what}\` must be in [0, 1). Received: ${what}=${String(value)}`);
  }
}

export class Adam extends Optimizer {
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2', 'epsilon', 'amsgrad'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, amsgrad = false } = options;
    checkBeta(beta1, 'beta1');
    checkBeta(beta2, 'beta2');
    if (typeof epsilon !== 'number' || !(epsilon >= 0 && Number.isFinite(epsilon))) {
      throw new RangeError(`Argument \`epsilon\` must be a finite non-negative number. Received: epsilon=${String(epsilon)}`);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  protected slotNames(): string[] {
    return this.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate, localStep }: UpdateContext): void {
    const dtype = variable.dtype;
    const step = dtype === 'float32' ? localStep : castLike(localStep, variable);
    const common = {
      var: variable.handle,
      m: this.getSlot(variable, 'momentum').handle,
      v: this.getSlot(variable, 'velocity').handle,
      // β^(iterations+1), as Keras computes it.
      beta1Power: Pow({ x: this.beta1, y: step }),
      beta2Power: Pow({ x: this.beta2, y: step }),
      lr: castLike(learningRate, variable),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      grad: gradient,
    };
    if (this.amsgrad) ResourceApplyAdamWithAmsgrad({ ...common, vhat: this.getSlot(variable, 'velocity_hat').handle });
    else ResourceApplyAdam(common);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

kerasExport('keras.optimizers', [Adam]);
