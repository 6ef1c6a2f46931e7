// Adam on TF's ResourceApplyAdam / ResourceApplyAdamWithAmsgrad kernels, with Keras 3's defaults;
// or, where tf-napi's op library has a kernel for the variables' device and dtype, on one
// TfNapiFusedApplyAdam op for all of them (the same numbers, lib/ops/fused_adam.ts).
import { Pow, ResourceApplyAdam, ResourceApplyAdamWithAmsgrad } from '../../ops/generated';
import { defaultVariableDeviceType, fusedAdamUnavailable, fusedApplyAdam } from '../../ops/fused_adam';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
  /**
   * tf-napi only (not in Keras, nor in getConfig()): true applies every variable's update in one
   * fused op (an error where it cannot), false uses TF's per-variable kernels, undefined (the
   * default) fuses the variables the op library has a kernel for. TF_NAPI_FUSED_ADAM=0 or 1
   * changes the default.
   */
  fused?: boolean;
}

function checkBeta(value: number, what: string): void {
  // In float32 terms: 0.99999999999 rounds to 1, and a beta of 1 divides by zero in the bias correction.
  if (typeof value !== 'number' || !(value >= 0 && Math.fround(value) < 1)) {
    throw new RangeError(`Argument \`${what}\` must be in [0, 1). Received: ${what}=${String(value)}`);
  }
}

/** Keras' leading parameters, in its order: `new Adam(learningRate, beta1)`. */
const POSITIONAL = ['learningRate', 'beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

export class Adam extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Optimizer.optionKeys, 'beta1', 'beta2', 'epsilon', 'amsgrad', 'fused'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  /** The `fused` option as resolved: true, false, or undefined (where available). */
  readonly fused: boolean | undefined;

  constructor(...args: PositionalArgs<AdamOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdamOptions>(new.target, args);
    super(options, 0.001);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, amsgrad = false } = options;
    const fused = options.fused ?? fusedFromEnv();
    if (fused !== undefined && typeof fused !== 'boolean') {
      throw new TypeError(`Argument \`fused\` must be a boolean or undefined. Received: fused=${String(fused)}`);
    }
    checkBeta(beta1, 'beta1');
    checkBeta(beta2, 'beta2');
    if (typeof epsilon !== 'number' || !(epsilon >= 0 && Number.isFinite(epsilon))) {
      throw new RangeError(`Argument \`epsilon\` must be a finite non-negative number. Received: epsilon=${String(epsilon)}`);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
    this.fused = fused;
  }

  protected slotNames(): string[] {
    return this.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }

  /** Keras' order: every variable's velocity_hat after all momentums and velocities (Keras makes them in a second pass). */
  override get variables(): Variable[] {
    const all = super.variables;
    if (!this.amsgrad) return all;
    const hats = new Set([...this.builtVariablesSlots('velocity_hat')]);
    return [...all.filter((v) => !hats.has(v)), ...all.filter((v) => hats.has(v))];
  }

  protected override fusedUpdate(grads: Tensor[], variables: Variable[]): number[] {
    const all = variables.map((_, i) => i);
    if (this.fused === false) return all;
    const deviceType = defaultVariableDeviceType();
    const fusable: number[] = [];
    const rest: number[] = [];
    for (const i of all) {
      const why = fusedAdamUnavailable(deviceType, variables[i].dtype);
      if (why === undefined) fusable.push(i);
      else if (this.fused === true) throw new TypeError(`Adam({fused: true}) cannot update variable '${variables[i].name}': ${why}`);
      else rest.push(i);
    }
    if (fusable.length === 0) return rest;
    const slot = (name: string) => fusable.map((i) => this.getSlot(variables[i], name).handle);
    fusedApplyAdam({
      var: fusable.map((i) => variables[i].handle),
      grad: fusable.map((i) => grads[i]),
      m: slot('momentum'),
      v: slot('velocity'),
      vhat: this.amsgrad ? slot('velocity_hat') : [],
      lr: this.learningRate.handle,
      iterations: this.iterations.handle,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay !== null && this.weightDecay > 0 ? this.weightDecay : 0,
      amsgrad: this.amsgrad,
    });
    return rest;
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

/** TF_NAPI_FUSED_ADAM: '1' forces the fused op, '0' TF's per-variable kernels; unset: where available. */
function fusedFromEnv(): boolean | undefined {
  const value = process.env.TF_NAPI_FUSED_ADAM;
  if (value === undefined || value === '') return undefined;
  if (value === '0' || value === '1') return value === '1';
  throw new RangeError(`TF_NAPI_FUSED_ADAM must be 0 or 1, got '${value}'`);
}

kerasExport('keras.optimizers', [Adam]);
