// Adafactor with Keras 3's defaults, as Keras' expression in ops (TF has no Adafactor kernel): the
// second moment of a matrix (or of the last two axes of a higher-rank variable) factored into a row
// accumulator 'r' and a column accumulator 'c'; vectors and scalars keep a full 'velocity'.
import { DType } from '../../dtypes';
import { AddV2, ExpandDims, Maximum, Mean, Minimum, Mul, Pow, Range, Rank, RealDiv, Sqrt, Square, Sub } from '../../ops/generated';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { kerasExport } from '../saving/serialization_lib';
import { checkBoolean, checkNumber, checkOptionKeys, NON_NEGATIVE } from './arguments';
import { castLike, Optimizer, OptimizerOptions, UpdateContext } from './optimizer';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface AdafactorOptions extends OptimizerOptions {
  beta2Decay?: number;
  epsilon1?: number;
  epsilon2?: number;
  clipThreshold?: number;
  relativeStep?: boolean;
}

/** sqrt(mean(x^2)) over every axis. */
function rms(x: Tensor): Tensor {
  return Sqrt({ x: Mean({ input: Square({ x }), reductionIndices: Range({ start: 0, limit: Rank({ input: x }), delta: 1 }) }) });
}

/** Keras' leading parameters, in its order: `new Adafactor(learningRate, beta2Decay)`. */
const POSITIONAL = ['learningRate', 'beta2Decay', 'epsilon1', 'epsilon2', 'clipThreshold', 'relativeStep'] as const;

export class Adafactor extends Optimizer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Optimizer.optionKeys,
    'beta2Decay',
    'epsilon1',
    'epsilon2',
    'clipThreshold',
    'relativeStep',
  ];
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  /**
   * Caps the rate at 1/sqrt(step). Keras applies that cap to every update in any case (rho_t), so
   * the option changes nothing but the config.
   */
  readonly relativeStep: boolean;

  constructor(...args: PositionalArgs<AdafactorOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdafactorOptions>(new.target, args);
    const {
      beta2Decay = -0.8,
      epsilon1 = 1e-30,
      epsilon2 = 1e-3,
      clipThreshold = 1,
      relativeStep = true,
    } = checkOptionKeys(new.target, options);
    const checked = {
      // A positive decay makes beta_2_t = 1 - t^decay negative.
      beta2Decay: checkNumber('beta2Decay', beta2Decay, { max: 0 }),
      epsilon1: checkNumber('epsilon1', epsilon1, NON_NEGATIVE),
      epsilon2: checkNumber('epsilon2', epsilon2, NON_NEGATIVE),
      clipThreshold: checkNumber('clipThreshold', clipThreshold, { min: 0, minOpen: true }),
      relativeStep: checkBoolean('relativeStep', relativeStep),
    };
    super(options, 0.001);
    this.beta2Decay = checked.beta2Decay;
    this.epsilon1 = checked.epsilon1;
    this.epsilon2 = checked.epsilon2;
    this.clipThreshold = checked.clipThreshold;
    this.relativeStep = checked.relativeStep;
  }

  protected slotNames(): string[] {
    return ['r', 'c', 'velocity'];
  }

  /**
   * 'r' has the variable's shape without its last axis, 'c' without its second-to-last; a variable
   * of rank < 2 gets Keras' placeholders for both instead (int32 scalars, never used).
   */
  protected override slotSpec(slot: string, variable: Variable): { shape: number[]; dtype: DType } {
    const shape = variable.shape;
    if (slot !== 'r' && slot !== 'c') return super.slotSpec(slot, variable);
    if (shape.length < 2) return { shape: [], dtype: 'int32' };
    return { shape: slot === 'r' ? shape.slice(0, -1) : [...shape.slice(0, -2), shape[shape.length - 1]], dtype: variable.dtype };
  }

  protected updateStep(gradient: Tensor, variable: Variable, { learningRate, localStep }: UpdateContext): void {
    const lr = castLike(learningRate, variable);
    const step = castLike(localStep, variable);
    const rhoT = Minimum({ x: lr, y: RealDiv({ x: 1, y: Sqrt({ x: step }) }) });
    const alphaT = Mul({ x: Maximum({ x: this.epsilon2, y: rms(variable.value()) }), y: rhoT });
    const regulatedGradSquare = AddV2({ x: Square({ x: gradient }), y: this.epsilon1 });
    const beta2T = Sub({ x: 1, y: Pow({ x: step, y: this.beta2Decay }) });
    const oneMinusBeta2T = Sub({ x: 1, y: beta2T });
    const velocity = this.getSlot(variable, 'velocity');
    let v: Tensor;
    if (variable.shape.length >= 2) {
      const r = this.getSlot(variable, 'r');
      const c = this.getSlot(variable, 'c');
      const newR = AddV2({
        x: Mul({ x: beta2T, y: r.value() }),
        y: Mul({ x: oneMinusBeta2T, y: Mean({ input: regulatedGradSquare, reductionIndices: -1 }) }),
      });
      r.assign(newR);
      const newC = AddV2({
        x: Mul({ x: beta2T, y: c.value() }),
        y: Mul({ x: oneMinusBeta2T, y: Mean({ input: regulatedGradSquare, reductionIndices: -2 }) }),
      });
      c.assign(newC);
      v = Mul({
        x: ExpandDims({ input: RealDiv({ x: newR, y: Mean({ input: newR, reductionIndices: -1, keepDims: true }) }), dim: -1 }),
        y: ExpandDims({ input: newC, dim: -2 }),
      });
    } else {
      v = AddV2({ x: Mul({ x: beta2T, y: velocity.value() }), y: Mul({ x: oneMinusBeta2T, y: regulatedGradSquare }) });
    }
    velocity.assign(v);
    const uT = RealDiv({ x: gradient, y: Sqrt({ x: v }) });
    const uTHat = RealDiv({ x: uT, y: Maximum({ x: 1, y: RealDiv({ x: rms(uT), y: this.clipThreshold }) }) });
    variable.assignSub(Mul({ x: alphaT, y: uTHat }));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta_2_decay: this.beta2Decay,
      epsilon_1: this.epsilon1,
      epsilon_2: this.epsilon2,
      clip_threshold: this.clipThreshold,
      relative_step: this.relativeStep,
    };
  }
}

kerasExport('keras.optimizers', [Adafactor]);
