// Nadam with Keras 3's defaults, as Keras' expression in ops (TF's kernels have no Nadam: Adam's
// use_nesterov is another formula). Keras' u_product (the running product of the momentum schedule)
// is an optimizer variable, advanced once per update before any variable's step.
import { initScope } from '../../function';
import { scalar } from '../../ops/creation';
import { AddV2, Cast, Mul, Pow, RealDiv, Sqrt, Square, Sub } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { adamHyperparameters, inDtype } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface NadamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras' leading parameters, in its order: `new Nadam(learningRate, beta1)`. */
const POSITIONAL = ['learningRate', 'beta1', 'beta2', 'epsilon'] as const;

export class Nadam extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2', 'epsilon'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /**
   * Keras' `_u_product`: prod over steps t of beta1 (1 - 0.5 * 0.96^t); 1 before the first update.
   * Made with the optimizer (Keras makes it in build(), in the first variable's dtype; here it is
   * float32 from the start, so that a checkpoint restore can plan it), listed in `variables` once built.
   */
  readonly uProduct: Variable;
  /** The apply whose u_product update is in the trace (its localStep tensor), and the new value. */
  private advanced?: { localStep: Tensor; uProduct: Tensor };

  constructor(...args: PositionalArgs<NadamOptions, typeof POSITIONAL>) {
    const options = positionalOptions<NadamOptions>(new.target, args);
    const checked = adamHyperparameters(new.target, options);
    super(options, 0.001);
    this.uProduct = new Variable(() => initScope(() => scalar(1, 'float32')), { name: `${this.name}/variable`, trainable: false });
    this.beta1 = checked.beta1;
    this.beta2 = checked.beta2;
    this.epsilon = checked.epsilon;
  }

  protected slotNames(): string[] {
    return ['momentum', 'velocity'];
  }

  /** Keras' order: the slots, then u_product (once built). */
  override get variables(): Variable[] {
    return this.built ? [...super.variables, this.uProduct] : super.variables;
  }

  override get stateVariables(): ReadonlyMap<string, Variable> {
    return new Map([['u_product', this.uProduct]]);
  }

  /** u_product after this update: written once, by the first variable's step of each apply (Keras' _backend_update_step). */
  private advanceUProduct(localStep: Tensor): Tensor {
    if (this.advanced?.localStep === localStep) return this.advanced.uProduct;
    const uProduct = this.uProduct;
    const step = castLike(localStep, uProduct);
    // u_product * beta_1 * (1 - 0.5 * 0.96^t), evaluated left to right as Keras does.
    const next = Mul({
      x: Mul({ x: uProduct.value(), y: this.beta1 }),
      y: Sub({ x: 1, y: Mul({ x: 0.5, y: Pow({ x: 0.96, y: step }) }) }),
    });
    uProduct.assign(next);
    this.advanced = { localStep, uProduct: next };
    return next;
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate, localStep }: UpdateContext): void {
    const uProduct = this.advanceUProduct(localStep);
    const lr = castLike(learningRate, variable);
    const step = castLike(localStep, variable);
    const nextStep = AddV2({ x: step, y: 1 });
    const beta1 = inDtype(this.beta1, variable);
    const beta2 = inDtype(this.beta2, variable);
    const uT = Mul({ x: beta1, y: Sub({ x: 1, y: Mul({ x: 0.5, y: Pow({ x: 0.96, y: step }) }) }) });
    const uT1 = Mul({ x: beta1, y: Sub({ x: 1, y: Mul({ x: 0.5, y: Pow({ x: 0.96, y: nextStep }) }) }) });
    const uProductT = uProduct.dtype === variable.dtype ? uProduct : Cast({ x: uProduct, DstT: variable.dtype });
    const uProductT1 = Mul({ x: uProductT, y: uT1 });
    const beta2Power = Pow({ x: beta2, y: step });
    const momentum = this.getSlot(variable, 'momentum');
    const velocity = this.getSlot(variable, 'velocity');
    const m = momentum.value();
    const newM = AddV2({ x: m, y: Mul({ x: Sub({ x: gradient, y: m }), y: 1 - beta1 }) });
    momentum.assign(newM);
    const v = velocity.value();
    const newV = AddV2({ x: v, y: Mul({ x: Sub({ x: Square({ x: gradient }), y: v }), y: 1 - beta2 }) });
    velocity.assign(newV);
    const mHat = AddV2({
      x: RealDiv({ x: Mul({ x: uT1, y: newM }), y: Sub({ x: 1, y: uProductT1 }) }),
      y: RealDiv({ x: Mul({ x: Sub({ x: 1, y: uT }), y: gradient }), y: Sub({ x: 1, y: uProductT }) }),
    });
    const vHat = RealDiv({ x: newV, y: Sub({ x: 1, y: beta2Power }) });
    variable.assignSub(RealDiv({ x: Mul({ x: mHat, y: lr }), y: AddV2({ x: Sqrt({ x: vHat }), y: this.epsilon }) }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

kerasExport('keras.optimizers', [Nadam]);
