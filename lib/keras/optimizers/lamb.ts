// Lamb with Keras 3's defaults, as Keras' expression in ops (TF has no Lamb kernel): Adam's
// direction scaled per variable by the trust ratio ||w|| / ||update||.
import { AddV2, Greater, Mul, Pow, Range, Rank, RealDiv, SelectV2, Sqrt, Square, Sub, Sum } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { adamHyperparameters } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface LambOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** sqrt(sum(x^2)) over every axis. */
function norm(x: Tensor): Tensor {
  return Sqrt({ x: Sum({ input: Square({ x }), reductionIndices: Range({ start: 0, limit: Rank({ input: x }), delta: 1 }) }) });
}

/** Keras' leading parameters, in its order: `new Lamb(learningRate, beta1)`. */
const POSITIONAL = ['learningRate', 'beta1', 'beta2', 'epsilon'] as const;

export class Lamb extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2', 'epsilon'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(...args: PositionalArgs<LambOptions, typeof POSITIONAL>) {
    const options = positionalOptions<LambOptions>(new.target, args);
    const checked = adamHyperparameters(new.target, options);
    super(options, 0.001);
    this.beta1 = checked.beta1;
    this.beta2 = checked.beta2;
    this.epsilon = checked.epsilon;
  }

  protected slotNames(): string[] {
    return ['momentum', 'velocity'];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate, localStep }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    const step = castLike(localStep, variable);
    const beta1Power = Pow({ x: this.beta1, y: step });
    const beta2Power = Pow({ x: this.beta2, y: step });
    const momentum = this.getSlot(variable, 'momentum');
    const velocity = this.getSlot(variable, 'velocity');
    const m = momentum.value();
    const newM = AddV2({ x: m, y: Mul({ x: Sub({ x: gradient, y: m }), y: 1 - this.beta1 }) });
    momentum.assign(newM);
    const v = velocity.value();
    const newV = AddV2({ x: v, y: Mul({ x: Sub({ x: Square({ x: gradient }), y: v }), y: 1 - this.beta2 }) });
    velocity.assign(newV);
    const mHat = RealDiv({ x: newM, y: Sub({ x: 1, y: beta1Power }) });
    const vSqrt = AddV2({ x: Sqrt({ x: RealDiv({ x: newV, y: Sub({ x: 1, y: beta2Power }) }) }), y: this.epsilon });
    const update = RealDiv({ x: mHat, y: vSqrt });
    const wNorm = norm(variable.value());
    const gNorm = norm(update);
    // ratio = w_norm / g_norm if both are positive, else 1.
    const ratio = SelectV2({
      condition: Greater({ x: wNorm, y: 0 }),
      t: SelectV2({ condition: Greater({ x: gNorm, y: 0 }), t: RealDiv({ x: wNorm, y: gNorm }), e: 1 }),
      e: 1,
    });
    variable.assignSub(Mul({ x: Mul({ x: ratio, y: lr }), y: update }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

kerasExport('keras.optimizers', [Lamb]);
