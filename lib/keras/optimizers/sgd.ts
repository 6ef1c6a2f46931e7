// SGD with optional (Nesterov) momentum, on TF's ResourceApplyGradientDescent /
// ResourceApplyKerasMomentum kernels, which compute exactly Keras 3's update.
import { ResourceApplyGradientDescent, ResourceApplyKerasMomentum } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { kerasExport } from '../saving/serialization_lib';
import { checkBoolean } from './arguments';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

/** Keras' leading parameters, in its order: `new SGD(learningRate, momentum)`. */
const POSITIONAL = ['learningRate', 'momentum', 'nesterov'] as const;

export class SGD extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'momentum', 'nesterov'];
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(...args: PositionalArgs<SGDOptions, typeof POSITIONAL>) {
    const options = positionalOptions<SGDOptions>(new.target, args);
    super(options, 0.01);
    const { momentum = 0, nesterov = false } = options;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(`\`momentum\` must be a float between [0, 1]. Received: momentum=${String(momentum)}`);
    }
    this.momentum = momentum;
    this.nesterov = checkBoolean('nesterov', nesterov);
  }

  protected slotNames(): string[] {
    return this.momentum !== 0 ? ['momentum'] : [];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    if (this.momentum === 0) {
      ResourceApplyGradientDescent({ var: variable.handle, alpha: lr, delta: gradient });
      return;
    }
    ResourceApplyKerasMomentum({
      var: variable.handle,
      accum: this.getSlot(variable, 'momentum').handle,
      lr,
      grad: gradient,
      momentum: this.momentum,
      useNesterov: this.nesterov,
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

kerasExport('keras.optimizers', [SGD]);
