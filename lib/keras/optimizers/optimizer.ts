// Keras 3's BaseOptimizer: clipping, weight decay, the learning-rate variable and `iterations`,
// with the whole update (LR write, decay, apply ops, iterations += 1) built as graph ops that run in
// one session run: inside the caller's tf.function, or in a cached tf.function of our own.
import { InvalidArgumentError } from '../../errors';
import { condInTrace, disposeTogether, executingEagerly, initScope, tfFunction, TracedFunction } from '../../function';
import {
  AddN,
  AddV2,
  Cast,
  ClipByValue,
  FloorMod,
  Equal,
  FloorDiv,
  Greater,
  Maximum,
  Minimum,
  Mul,
  NotEqual,
  OnesLike,
  Range,
  Rank,
  RealDiv,
  SelectV2,
  Sqrt,
  Square,
  Sub,
  Sum,
} from '../../ops/generated';
import { DType } from '../../dtypes';
import { Tensor } from '../../tensor';
import { disposeVariables, Variable } from '../../variable';
import { zeros } from '../../ops/creation';
import { Config, optionsFromConfig } from '../saving/serialization_lib';
import { checkClassOptions, isPlainObject } from '../utils/argument_validation';
import { autoName } from '../utils/naming';
import { IterationsVariable, LearningRateVariable } from './learning_rate';
import { deserialize, LearningRateLike, LearningRateSchedule, serialize } from './schedules';

export interface OptimizerOptions {
  learningRate?: LearningRateLike;
  weightDecay?: number | null;
  clipnorm?: number | null;
  clipvalue?: number | null;
  globalClipnorm?: number | null;
  /** Keras' exponential moving average of the weights: kept in an 'average' slot of each variable. */
  useEma?: boolean;
  emaMomentum?: number;
  /** Every this many updates the weights are overwritten with their averages (null: only by finalizeVariableValues). */
  emaOverwriteFrequency?: number | null;
  /** The gradients are divided by it (and `scaleLoss(loss)` multiplies by it, as fit does). */
  lossScaleFactor?: number | null;
  /**
   * Keras' gradient accumulation: the gradients of this many steps are summed in a
   * 'gradient_accumulator' slot and applied (averaged) at every this-many-th step; null: every step.
   */
  gradientAccumulationSteps?: number | null;
  name?: string;
}

export type GradientAndVariable = readonly [Tensor | null | undefined, Variable];

/** Python's zip, for `optimizer.applyGradients(zip(grads, vars))`. */
export function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  if (!Array.isArray(a) || !Array.isArray(b)) throw new TypeError('zip takes two arrays');
  return a.slice(0, Math.min(a.length, b.length)).map((x, i) => [x, b[i]]);
}

function checkNumber(value: number | null | undefined, what: string, { positive = false } = {}): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(
      `Argument \`${what}\` must be a finite ${positive ? 'positive' : 'non-negative'} number. Received: ${what}=${String(value)}`,
    );
  }
}

/** Everything the update ops of one apply share. */
export interface UpdateContext {
  learningRate: Tensor;
  /** iterations + 1 as float32, for the beta powers. */
  localStep: Tensor;
}

export abstract class Optimizer {
  /** The options every optimizer takes; subclasses extend the list (see checkClassOptions). */
  static readonly optionKeys: readonly string[] = [
    'learningRate',
    'weightDecay',
    'clipnorm',
    'clipvalue',
    'globalClipnorm',
    'useEma',
    'emaMomentum',
    'emaOverwriteFrequency',
    'lossScaleFactor',
    'gradientAccumulationSteps',
    'name',
  ];
  /** The options a subclass also takes positionally, in Keras' order (see positionalOptions). */
  static readonly positional: readonly string[] = ['learningRate'];
  readonly name: string;
  readonly iterations: IterationsVariable;
  private readonly learningRate_: LearningRateVariable;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;
  /** The variables build() was given, in order (Keras' _trainable_variables: the EMA covers all of them). */
  private builtVariables: Variable[] = [];
  private readonly slots = new Map<string, Map<string, Variable>>();
  private builtFor?: Set<string>;
  private readonly eagerSteps = new Map<string, TracedFunction<Tensor[], null>>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    checkClassOptions(new.target, options);
    const { learningRate = defaultLearningRate, weightDecay = null, clipnorm = null, clipvalue = null, globalClipnorm = null } = options;
    checkNumber(weightDecay, 'weightDecay');
    checkNumber(clipnorm, 'clipnorm');
    checkNumber(clipvalue, 'clipvalue');
    checkNumber(globalClipnorm, 'globalClipnorm');
    const { useEma = false, emaMomentum = 0.99, emaOverwriteFrequency = null, lossScaleFactor = null } = options;
    checkBaseOptions(useEma, emaMomentum, emaOverwriteFrequency, lossScaleFactor);
    const { gradientAccumulationSteps = null } = options;
    // Keras: a falsy value turns accumulation off; anything else must be an integer >= 2.
    if (
      gradientAccumulationSteps !== null &&
      gradientAccumulationSteps !== 0 &&
      !(Number.isSafeInteger(gradientAccumulationSteps) && gradientAccumulationSteps >= 2)
    ) {
      throw new RangeError(
        `\`gradientAccumulationSteps\` must be an integer >= 2. Received: gradientAccumulationSteps=${String(gradientAccumulationSteps)}`,
      );
    }
    if ([clipnorm, clipvalue, globalClipnorm].filter((c) => c !== null).length > 1) {
      throw new RangeError(
        'Only one of `clipnorm`, `clipvalue` and `globalClipnorm` can be set. ' +
          `Received: clipnorm=${clipnorm}, clipvalue=${clipvalue}, globalClipnorm=${globalClipnorm}`,
      );
    }
    if (typeof learningRate === 'number') checkNumber(learningRate, 'learningRate');
    else if (!(learningRate instanceof LearningRateSchedule) && typeof learningRate !== 'function') {
      throw new TypeError(
        `Argument \`learningRate\` must be a number, a LearningRateSchedule or a function. Received: ${String(learningRate)}`,
      );
    }
    this.name = options.name ?? autoName(this.constructor.name);
    this.weightDecay = weightDecay;
    this.clipnorm = clipnorm;
    this.clipvalue = clipvalue;
    this.globalClipnorm = globalClipnorm;
    this.useEma = useEma;
    this.emaMomentum = emaMomentum;
    this.emaOverwriteFrequency = emaOverwriteFrequency;
    this.lossScaleFactor = lossScaleFactor;
    this.gradientAccumulationSteps = gradientAccumulationSteps || null;
    this.iterations = new IterationsVariable(`${this.name}/iteration`);
    this.learningRate_ = new LearningRateVariable(`${this.name}/learning_rate`, learningRate, this.iterations);
  }

  /** The float32 learning-rate variable the updates read (with a schedule, `numpy()` is the next update's rate). */
  get learningRate(): LearningRateVariable {
    return this.learningRate_;
  }

  /**
   * Keras 3's `optimizer.learning_rate = value`: a number or tensor is assigned to the variable (checked
   * as every write is; with a schedule, Keras' TypeError), a schedule or function replaces the rate.
   */
  set learningRate(value: LearningRateLike | Tensor) {
    if (value instanceof LearningRateSchedule || typeof value === 'function') this.learningRate_.setSchedule(value);
    else this.learningRate_.assign(value);
  }

  /** Every variable the optimizer owns, in Keras' order: iterations, learning rate, the EMA averages, the gradient accumulators, then the slots in build order. */
  get variables(): Variable[] {
    const slots = [...this.slots.values()];
    const named = (name: string) => slots.flatMap((m) => [...m].filter(([slot]) => slot === name).map(([, v]) => v));
    const rest = slots.flatMap((m) => [...m].filter(([name]) => !BASE_SLOTS.includes(name)).map(([, v]) => v));
    return [this.iterations, this.learningRate, ...named('average'), ...named('gradient_accumulator'), ...rest];
  }

  /**
   * Frees the optimizer's variables (iterations, learning rate, slots) and its eager apply steps;
   * later updates throw. Twice is a no-op. model.dispose() calls it when no other model uses it.
   */
  dispose(): void {
    disposeTogether(() => {
      for (const step of this.eagerSteps.values()) step.dispose();
      this.eagerSteps.clear();
      disposeVariables(this.variables);
    });
  }

  /** A slot variable (e.g. Adam's 'momentum', 'velocity', 'velocity_hat') of `variable`. */
  getSlot(variable: Variable, slotName: string): Variable {
    const slot = this.slots.get(variable.handleOp.name)?.get(slotName);
    if (!slot) throw new RangeError(`No slot '${slotName}' for variable '${variable.name}' in optimizer '${this.name}'`);
    return slot;
  }

  /** Every built variable's slot `name`, in build order. */
  protected builtVariablesSlots(name: string): Variable[] {
    return [...this.slots.values()].flatMap((m) => (m.has(name) ? [m.get(name) as Variable] : []));
  }

  /** The slots of `variable` by name (empty before the optimizer is built for it). */
  slotsOf(variable: Variable): ReadonlyMap<string, Variable> {
    return this.slots.get(variable.handleOp.name) ?? new Map();
  }

  /** Whether build() has made slots for any variable yet. */
  get built(): boolean {
    return this.builtFor !== undefined;
  }

  /** Slot names each variable gets. */
  protected abstract slotNames(): string[];

  /** The shape and dtype of a slot of `variable`: the variable's unless a subclass says otherwise. */
  protected slotSpec(_slot: string, variable: Variable): { shape: number[]; dtype: DType } {
    return { shape: variable.shape, dtype: variable.dtype };
  }

  /** The initial value of a slot of `variable`, made eagerly: zeros of its slotSpec() unless a subclass says otherwise. */
  protected slotInitialValue(slot: string, variable: Variable): Tensor {
    const { shape, dtype } = this.slotSpec(slot, variable);
    return zeros(shape, dtype);
  }

  /** The slots build() makes for `variable`, in order (the EMA average and gradient accumulator first): what a checkpoint restore plans before building. */
  slotSpecs(variable: Variable): { name: string; shape: number[]; dtype: DType }[] {
    const base = [...(this.useEma ? ['average'] : []), ...(this.gradientAccumulationSteps !== null ? ['gradient_accumulator'] : [])];
    return [...base, ...this.slotNames()].map((name) => ({
      name,
      ...(BASE_SLOTS.includes(name) ? { shape: variable.shape, dtype: variable.dtype } : this.slotSpec(name, variable)),
    }));
  }

  /** The optimizer's variables besides iterations, the learning rate and the slots (Nadam's u_product), by name: checkpoints save them. */
  get stateVariables(): ReadonlyMap<string, Variable> {
    return new Map();
  }

  /** Adds the update of one variable to the trace being built. */
  protected abstract updateStep(gradient: Tensor, variable: Variable, update: UpdateContext): void;

  /**
   * Adds one fused op for the variables it can update at once (weight decay included) and returns
   * the indices of those left to weight decay + updateStep; by default, all of them.
   */
  protected fusedUpdate(_grads: Tensor[], variables: Variable[]): number[] {
    return variables.map((_, i) => i);
  }

  /** Keras' config dict (snake_case keys). */
  getConfig(): Record<string, unknown> {
    const schedule = this.learningRate.schedule;
    return {
      name: this.name,
      learning_rate:
        schedule === undefined ? this.learningRate.numpy() : schedule instanceof LearningRateSchedule ? serialize(schedule) : schedule,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /** Keras' `from_config`: the config's keys camelCased, a serialized schedule deserialized. */
  static fromConfig<T extends Optimizer>(this: new (options: never) => T, config: Config): T {
    const options = optionsFromConfig(this.name, config);
    if (isPlainObject(options.learningRate)) options.learningRate = deserialize(options.learningRate as never);
    return new this(options as never);
  }

  /** Creates the slots of `variables` (EMA averages, then slotNames(), each from slotInitialValue()), once. */
  build(variables: readonly Variable[]): void {
    this.builtFor = new Set(variables.map((v) => v.handleOp.name));
    this.builtVariables = [...variables];
    for (const variable of variables) {
      if (this.slots.has(variable.handleOp.name)) continue;
      const slotsOfVar = new Map<string, Variable>();
      const base = variable.name.replace(/:\d+$/, '').replace(/\//g, '_');
      for (const { name: slot } of this.slotSpecs(variable)) {
        slotsOfVar.set(
          slot,
          new Variable(
            () =>
              initScope(() => (BASE_SLOTS.includes(slot) ? zeros(variable.shape, variable.dtype) : this.slotInitialValue(slot, variable))),
            {
              name: `${this.name}/${base}_${slot}`,
              trainable: false,
            },
          ),
        );
      }
      this.slots.set(variable.handleOp.name, slotsOfVar);
    }
  }

  /**
   * Keras 3's `optimizer.apply(grads, trainable_variables)`: the same update as applyGradients; without
   * variables, those the optimizer was built with, in that order.
   */
  apply(grads: readonly (Tensor | null | undefined)[], variables?: readonly Variable[]): void {
    const targets = variables ?? (this.built ? this.builtVariables : undefined);
    if (targets === undefined) throw new TypeError('apply() needs the variables the first time: optimizer.apply(grads, variables)');
    if (!Array.isArray(grads) || grads.length !== targets.length) {
      throw new RangeError(`apply() got ${Array.isArray(grads) ? grads.length : String(grads)} gradients for ${targets.length} variables`);
    }
    this.applyGradients(grads.map((g, i) => [g, targets[i]] as const));
  }

  /**
   * Python's `optimizer.apply_gradients(zip(grads, vars))`. Gradients that are null are skipped
   * (with Keras' warning). Eagerly this is one session run; inside tf.function it adds the update to
   * the traced graph.
   */
  applyGradients(gradsAndVars: Iterable<GradientAndVariable>): void {
    const pairs = [...gradsAndVars];
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || !(pair[1] instanceof Variable)) {
        throw new TypeError('applyGradients takes [gradient, variable] pairs, e.g. zip(grads, model.trainableVariables)');
      }
      if (pair[0] !== null && pair[0] !== undefined && !(pair[0] instanceof Tensor)) {
        throw new TypeError(`The gradient of variable '${pair[1].name}' must be a Tensor or null`);
      }
    }
    if (this.builtFor === undefined) this.build(pairs.map(([, v]) => v));
    for (const [, v] of pairs) {
      if (!(this.builtFor as Set<string>).has(v.handleOp.name)) {
        throw new RangeError(
          `Unknown variable: ${v}. This optimizer can only be called for the variables it was originally built with. ` +
            'When working with a new set of variables, you should recreate a new optimizer instance.',
        );
      }
    }
    const present = pairs.filter((p): p is readonly [Tensor, Variable] => p[0] instanceof Tensor);
    // Checked before anything is built or run, so a bad gradient never leaves half an update behind.
    for (const [g, v] of present) {
      const shape = g.shape;
      const fits = shape.length === v.shape.length && shape.every((d, i) => d === null || d === v.shape[i]);
      if (!fits || g.dtype !== v.dtype) {
        const message =
          `The gradient of variable '${v.name}' has dtype ${g.dtype} and shape [${shape.map((d) => d ?? 'None').join(', ')}], ` +
          `but the variable has dtype ${v.dtype} and shape [${v.shape.join(', ')}]`;
        throw g.dtype !== v.dtype ? new TypeError(message) : new InvalidArgumentError(message);
      }
    }
    if (present.length < pairs.length) {
      const missing = pairs.filter((p) => !(p[0] instanceof Tensor)).map(([, v]) => v.name);
      process.emitWarning(`Gradients do not exist for variables ${JSON.stringify(missing)} when minimizing the loss.`);
    }
    if (!executingEagerly()) {
      this.addUpdate(
        present.map(([g]) => g),
        present.map(([, v]) => v),
      );
      return;
    }
    for (const [g] of present) {
      if (g.isSymbolic) throw new TypeError('Symbolic gradients can only be applied inside the tf.function that made them');
    }
    const variables = present.map(([, v]) => v);
    const key = variables.map((v) => v.handleOp.name).join('|');
    let step = this.eagerSteps.get(key);
    if (!step) {
      step = tfFunction<Tensor[], null>(
        (...grads: Tensor[]) => {
          this.addUpdate(grads, variables);
          return null;
        },
        { name: `${this.name}/apply` },
      );
      this.eagerSteps.set(key, step);
    }
    step(...present.map(([g]) => g));
  }

  /**
   * The update graph: LR write (for schedules) → weight decay → apply ops → iterations += 1. With
   * gradient accumulation (Keras' _backend_apply_gradients), a cond in the same run either adds the
   * gradients to the accumulators or applies their average and zeroes them.
   */
  private addUpdate(scaledGrads: Tensor[], variables: Variable[]): void {
    this.learningRate.addUpdate((learningRate, localStep) => {
      // Keras divides by loss_scale_factor first.
      const scale = this.lossScaleFactor;
      const grads = scale === null ? scaledGrads : scaledGrads.map((g) => RealDiv({ x: g, y: scale }));
      const steps = this.gradientAccumulationSteps;
      if (steps === null) {
        this.addApply(grads, variables, { learningRate, localStep }, true);
        return;
      }
      const iterations = this.iterations.value();
      const accumulators = variables.map((v) => this.getSlot(v, 'gradient_accumulator'));
      const isUpdateStep = Equal({ x: FloorMod({ x: AddV2({ x: iterations, y: BigInt(1) }), y: BigInt(steps) }), y: BigInt(0) });
      condInTrace(
        isUpdateStep,
        () => {
          const averaged = grads.map((g, i) => RealDiv({ x: AddV2({ x: g, y: accumulators[i].value() }), y: steps }));
          // Keras' `iterations` counts updates here: the step the bias corrections see.
          const updates = Cast({ x: AddV2({ x: FloorDiv({ x: iterations, y: BigInt(steps) }), y: BigInt(1) }), DstT: 'float32' });
          this.addApply(averaged, variables, { learningRate, localStep: updates }, false);
          for (const accumulator of accumulators) accumulator.assign(zeros(accumulator.shape, accumulator.dtype));
        },
        () => {
          grads.forEach((g, i) => accumulators[i].assign(AddV2({ x: g, y: accumulators[i].value() })));
        },
      );
    });
    if (this.useEma) this.addEmaUpdate();
    // Keras' optimizer.apply: each variable's constraint after the update, in the same run.
    for (const variable of variables) if (variable.constraint !== null) variable.assign(variable.constraint(variable.value()));
  }

  /**
   * Keras' _update_model_variables_moving_average (and the overwrite every emaOverwriteFrequency
   * updates), after this update's `iterations += 1`: average = m * average + (1 - m) * variable,
   * with m = emaMomentum except before the first update is done (0: the average starts at the variable).
   */
  private addEmaUpdate(): void {
    // Keras reads its `iterations` property before the increment: with accumulation, the updates made.
    const before = Sub({ x: this.iterations.value(), y: BigInt(1) });
    const steps = this.gradientAccumulationSteps;
    const updates = steps === null ? before : FloorDiv({ x: before, y: BigInt(steps) });
    const notFirst = NotEqual({ x: updates, y: BigInt(0) });
    const overwrite =
      this.emaOverwriteFrequency === null
        ? undefined
        : Equal({ x: FloorMod({ x: AddV2({ x: updates, y: BigInt(1) }), y: BigInt(this.emaOverwriteFrequency) }), y: BigInt(0) });
    for (const variable of this.builtVariables) {
      const average = this.getSlot(variable, 'average');
      const value = variable.value();
      const momentum = Mul({ x: Cast({ x: notFirst, DstT: variable.dtype }), y: this.emaMomentum });
      const next = AddV2({ x: Mul({ x: momentum, y: average.value() }), y: Mul({ x: Sub({ x: 1, y: momentum }), y: value }) });
      average.assign(next);
      if (overwrite !== undefined) variable.assign(SelectV2({ condition: overwrite, t: next, e: value }));
    }
  }

  /** Keras' finalize_variable_values: with EMA, `variables` are overwritten with their averages (fit does this at its end). */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    for (const variable of variables) {
      const average = this.slotsOf(variable).get('average');
      if (average !== undefined) variable.assign(average.value());
    }
  }

  /** Keras' scale_loss: the loss times lossScaleFactor (fit differentiates this; applyGradients divides the gradients back). */
  scaleLoss(loss: Tensor): Tensor {
    return this.lossScaleFactor === null ? loss : Mul({ x: loss, y: this.lossScaleFactor });
  }

  /** Clipping, weight decay and the apply ops of one update (the fused op only when it reads the step Keras uses). */
  private addApply(grads: Tensor[], variables: Variable[], update: UpdateContext, fusable: boolean): void {
    const clipped = this.clipGradients(grads);
    const rest = fusable ? this.fusedUpdate(clipped, variables) : variables.map((_, i) => i);
    if (this.weightDecay !== null && this.weightDecay > 0) {
      for (const variable of rest.map((i) => variables[i])) {
        const value = variable.value();
        variable.assign(
          Sub({ x: value, y: Mul({ x: Mul({ x: value, y: this.weightDecay }), y: castLike(update.learningRate, variable) }) }),
        );
      }
    }
    for (const i of rest) this.updateStep(clipped[i], variables[i], update);
  }

  /** Keras' _clip_gradients: clipnorm per gradient, else the global norm, else clipvalue. */
  private clipGradients(grads: Tensor[]): Tensor[] {
    const allAxes = (g: Tensor) => Range({ start: 0, limit: Rank({ input: g }), delta: 1 });
    if (this.clipnorm !== null && this.clipnorm > 0) {
      const clipnorm = this.clipnorm;
      return grads.map((g) => {
        const l2sum = Sum({ input: Square({ x: g }), reductionIndices: allAxes(g), keepDims: true });
        const positive = Greater({ x: l2sum, y: 0 });
        const safe = SelectV2({ condition: positive, t: l2sum, e: OnesLike({ x: l2sum }) });
        const l2norm = SelectV2({ condition: positive, t: Sqrt({ x: safe }), e: l2sum });
        return RealDiv({ x: Mul({ x: g, y: clipnorm }), y: Maximum({ x: l2norm, y: clipnorm }) });
      });
    }
    if (this.globalClipnorm !== null && this.globalClipnorm > 0) {
      const clip = this.globalClipnorm;
      const squared = grads.map((g) => Sum({ input: Square({ x: g }), reductionIndices: allAxes(g) }));
      const norm = Sqrt({ x: squared.length === 1 ? squared[0] : AddN({ inputs: squared }) });
      const scaleForFinite = Mul({ x: clip, y: Minimum({ x: RealDiv({ x: 1, y: norm }), y: 1 / clip }) });
      // NaN/inf norms make the scale NaN, as in Keras.
      const scale = AddV2({ x: scaleForFinite, y: Sub({ x: norm, y: norm }) });
      return grads.map((g) => Mul({ x: g, y: scale }));
    }
    if (this.clipvalue !== null && this.clipvalue > 0) {
      const v = this.clipvalue;
      return grads.map((g) => ClipByValue({ t: g, clipValueMin: -v, clipValueMax: v }));
    }
    return grads;
  }
}

/** Slots every optimizer may give a variable, in its shape and dtype, made as zeros. */
const BASE_SLOTS: readonly string[] = ['average', 'gradient_accumulator'];

/** The float32 learning rate in the variable's dtype. */
export function castLike(learningRate: Tensor, variable: Variable): Tensor {
  return variable.dtype === 'float32' ? learningRate : Cast({ x: learningRate, DstT: variable.dtype });
}

function checkBaseOptions(useEma: unknown, emaMomentum: unknown, emaOverwriteFrequency: unknown, lossScaleFactor: unknown): void {
  if (typeof useEma !== 'boolean') throw new TypeError(`Argument \`useEma\` must be a boolean. Received: useEma=${String(useEma)}`);
  if (typeof emaMomentum !== 'number' || !(emaMomentum >= 0 && emaMomentum <= 1)) {
    throw new RangeError(`\`emaMomentum\` must be in the range [0, 1]. Received: emaMomentum=${String(emaMomentum)}`);
  }
  if (emaOverwriteFrequency !== null && !(Number.isSafeInteger(emaOverwriteFrequency) && (emaOverwriteFrequency as number) >= 1)) {
    throw new RangeError(
      `\`emaOverwriteFrequency\` must be an integer >= 1 or null. Received: emaOverwriteFrequency=${String(emaOverwriteFrequency)}`,
    );
  }
  if (lossScaleFactor !== null && !(typeof lossScaleFactor === 'number' && Number.isFinite(lossScaleFactor) && lossScaleFactor > 0)) {
    throw new RangeError(
      `Argument \`lossScaleFactor\` must be a finite positive number or null. Received: lossScaleFactor=${String(lossScaleFactor)}`,
    );
  }
}
