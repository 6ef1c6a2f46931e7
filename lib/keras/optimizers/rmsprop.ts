// RMSprop with Keras 3's defaults. With momentum, TF's ResourceApplyRMSProp /
// ResourceApplyCenteredRMSProp kernels compute Keras' update; without it Keras keeps no momentum
// slot for those kernels to write, and the update is Keras' expression in ops.
import { AddV2, Mul, RealDiv, ResourceApplyCenteredRMSProp, ResourceApplyRMSProp, Sqrt, Square, Sub } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkBoolean, checkNumber, checkOptionKeys, NON_NEGATIVE, UNIT, UNIT_OPEN } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** Keras' leading parameters, in its order: `new RMSprop(learningRate, rho)`. */
const POSITIONAL = ['learningRate', 'rho', 'momentum', 'epsilon', 'centered'] as const;

export class RMSprop extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'rho', 'momentum', 'epsilon', 'centered'];
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(...args: PositionalArgs<RMSpropOptions, typeof POSITIONAL>) {
    const options = positionalOptions<RMSpropOptions>(new.target, args);
    const { rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false } = checkOptionKeys(new.target, options);
    const checked = {
      rho: checkNumber('rho', rho, UNIT_OPEN),
      momentum: checkNumber('momentum', momentum, UNIT),
      epsilon: checkNumber('epsilon', epsilon, NON_NEGATIVE),
      centered: checkBoolean('centered', centered),
    };
    super(options, 0.001);
    this.rho = checked.rho;
    this.momentum = checked.momentum;
    this.epsilon = checked.epsilon;
    this.centered = checked.centered;
  }

  protected slotNames(): string[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }

  /** Keras' order: (the EMA averages,) every variable's velocity, then every momentum, then every average_gradient. */
  override get variables(): Variable[] {
    const all = super.variables;
    const perVariable = this.slotNames().length;
    // super's order: iterations, learning rate, one average and one gradient accumulator per variable
    // when enabled, then each variable's slots.
    const baseSlots = (this.useEma ? 1 : 0) + (this.gradientAccumulationSteps !== null ? 1 : 0);
    const averages = baseSlots === 0 ? 0 : ((all.length - 2) / (perVariable + baseSlots)) * baseSlots;
    const slots = all.slice(2 + averages);
    const order: Variable[] = [];
    for (let s = 0; s < perVariable; s++) for (let i = s; i < slots.length; i += perVariable) order.push(slots[i]);
    return [...all.slice(0, 2 + averages), ...order];
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    const velocity = this.getSlot(variable, 'velocity');
    if (this.momentum > 0) {
      const common = {
        var: variable.handle,
        ms: velocity.handle,
        mom: this.getSlot(variable, 'momentum').handle,
        lr,
        rho: this.rho,
        momentum: this.momentum,
        epsilon: this.epsilon,
        grad: gradient,
      };
      if (this.centered) ResourceApplyCenteredRMSProp({ ...common, mg: this.getSlot(variable, 'average_gradient').handle });
      else ResourceApplyRMSProp(common);
      return;
    }
    const newVelocity = AddV2({ x: Mul({ x: this.rho, y: velocity.value() }), y: Mul({ x: 1 - this.rho, y: Square({ x: gradient }) }) });
    velocity.assign(newVelocity);
    let denominator: Tensor;
    if (this.centered) {
      const average = this.getSlot(variable, 'average_gradient');
      const newAverage = AddV2({ x: Mul({ x: this.rho, y: average.value() }), y: Mul({ x: 1 - this.rho, y: gradient }) });
      average.assign(newAverage);
      denominator = AddV2({ x: Sub({ x: newVelocity, y: Square({ x: newAverage }) }), y: this.epsilon });
    } else {
      denominator = AddV2({ x: newVelocity, y: this.epsilon });
    }
    variable.assignSub(RealDiv({ x: Mul({ x: lr, y: gradient }), y: Sqrt({ x: denominator }) }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

kerasExport('keras.optimizers', [RMSprop]);
