// The recurrent layers' loop (Keras' RNN over a cell): the sequence unrolled step by step, in
// time order or backwards, with masked steps keeping the previous output and states, the inputs'
// x·kernel computed for all steps in one matmul, and dropout masks drawn once per call.
import { int32Vector } from '../../../ops/convert';
import {
  BiasAdd,
  MatMul,
  Reshape,
  ExpandDims,
  Fill,
  GreaterEqual,
  Mul,
  Pack,
  SelectV2,
  Shape as ShapeOp,
  Slice,
  StatelessRandomGetKeyCounter,
  StatelessRandomUniformV2,
  Unpack,
  ZerosLike,
} from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../../tensor';
import type { Variable } from '../../../variable';
import { KerasTensor, Node } from '../keras_tensor';
import { CallOptions, isInputList, Layer, LayerOptions, ListCallOptions } from '../layer';
import { SeedGenerator } from '../seed_generator';

export interface RNNOptions extends LayerOptions {
  /** Return every step's output ([batch, time, units]) rather than the last one. Default false. */
  returnSequences?: boolean;
  /** Also return the final states: apply() gives [output, ...states]. Default false. */
  returnState?: boolean;
  /** Process the sequence backwards (a returned sequence is then in reverse order). Default false. */
  goBackwards?: boolean;
  /** Masked steps output zeros instead of the previous output. Default false. */
  zeroOutputForMask?: boolean;
  /** Fraction of the inputs' units dropped (one mask per call, shared by all steps). Default 0. */
  dropout?: number;
  /** Fraction of the recurrent state's units dropped. Default 0. */
  recurrentDropout?: number;
  seed?: number | null;
  /** Accepted for Keras configs; the loop is always unrolled into the graph. */
  unroll?: boolean;
}

export const RNN_OPTION_KEYS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'zeroOutputForMask',
  'dropout',
  'recurrentDropout',
  'seed',
  'unroll',
] as const;

const REGULARIZERS_AND_CONSTRAINTS = {
  kernel_regularizer: null,
  recurrent_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  recurrent_constraint: null,
  bias_constraint: null,
};

/** Keras config entries for what the recurrent layers lack, at the value that turns each off. */
export const RNN_UNSUPPORTED_CONFIG = {
  stateful: false,
  ...REGULARIZERS_AND_CONSTRAINTS,
};

/** Python's `layer(x, initial_state=...)`: the states the first step starts from. */
export interface RNNCallOptions extends CallOptions {
  /** One tensor per state of the cell ([batch, units] each; LSTM: [h, c]), or one tensor for one state. Default zeros. */
  initialState?: TensorLike | KerasTensor | (TensorLike | KerasTensor)[] | null;
}

/** The result of a whole-sequence computation. */
export interface SequenceResult {
  outputs: Tensor | null;
  last: Tensor;
  states: Tensor[];
}

/** TF's `alg="auto_select"` for the stateless random ops (Philox on CPU). */
const ALG_AUTO_SELECT = 3;

function rate(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(
      `Invalid value received for argument \`${name}\`. Expected a float value in [0, 1). Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

/** What a cell computes per step from the inputs' projection of that step. */
export interface StepResult {
  output: Tensor;
  states: Tensor[];
}

/**
 * Keras' RNN cell (LSTMCell, GRUCell, SimpleRNNCell): the weights, built for [batch, features],
 * and one step. The loop asks it for every step's x·kernel at once, then steps.
 */
export abstract class RNNCell extends Layer {
  abstract readonly units: number;
  /** The number of state tensors (LSTM: h and c). */
  abstract readonly stateCount: number;

  /** x·kernel (+ input bias) for every step at once: [batch, time, features] → [batch, time, k]. */
  abstract projectInputs(inputs: Tensor): Tensor;

  /** One step: the step's projected inputs and the previous states (recurrentMask multiplies h). */
  abstract step(projected: Tensor, states: readonly Tensor[], recurrentMask: Tensor | null): StepResult;

  override call(_inputs: Tensor, _options: CallOptions): Tensor {
    throw new TypeError(`${this.constructor.name} runs inside its recurrent layer; call the layer (e.g. LSTM) on sequences`);
  }

  /** Keras' cell config entries (merged into the layer's). */
  abstract cellConfig(): Record<string, unknown>;
}

export abstract class RNN<C extends RNNCell = RNNCell> extends Layer {
  readonly cell: C;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  /** Mutable: Bidirectional sets it to returnSequences (as Keras does). */
  zeroOutputForMask: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly unroll: boolean;
  readonly seedGenerator: SeedGenerator | null;

  protected constructor(cell: C, options: RNNOptions) {
    super(options);
    this.cell = cell;
    this.returnSequences = options.returnSequences ?? false;
    this.returnState = options.returnState ?? false;
    this.goBackwards = options.goBackwards ?? false;
    this.zeroOutputForMask = options.zeroOutputForMask ?? false;
    this.dropout = rate('dropout', options.dropout ?? 0);
    this.recurrentDropout = rate('recurrent_dropout', options.recurrentDropout ?? 0);
    this.seed = options.seed ?? null;
    this.unroll = options.unroll ?? false;
    this.seedGenerator = this.dropout > 0 || this.recurrentDropout > 0 ? new SeedGenerator(this.seed) : null;
    if (this.seedGenerator) this.trackState(this.seedGenerator.state, 'seed_generator_state');
    this.supportsMasking = true;
    this.inputSpec = { ndim: 3 };
  }

  get units(): number {
    return this.cell.units;
  }

  override build(inputShape: Shape): void {
    this.cell.build([inputShape[0], inputShape[2]]);
  }

  /** A fused whole-sequence computation for the call (from `initial` states, or zeros), or null for the generic loop. */
  protected fusedCall(_inputs: Tensor, _options: CallOptions, _initial: Tensor[] | null): SequenceResult | null {
    return null;
  }

  /** The initialState option as the cell's state tensors (Keras' checks), or null. */
  private initialStates(options: RNNCallOptions, inputs: Tensor): Tensor[] | null {
    const given = options.initialState;
    if (given === undefined || given === null) return null;
    if (given instanceof KerasTensor || (Array.isArray(given) && given.some((s) => s instanceof KerasTensor))) {
      throw new TypeError(`Layer '${this.name}': initialState must be tensors when the layer is called on tensors`);
    }
    // A list of states (tensors, or 2-D host arrays), or one state (a tensor or a 2-D host array).
    const isList = Array.isArray(given) && (given[0] instanceof Tensor || (Array.isArray(given[0]) && Array.isArray(given[0][0])));
    const list = (isList ? given : [given]) as TensorLike[];
    const states = list.map((s) => this.toInputTensor(s));
    if (states.length !== this.cell.stateCount) {
      throw new RangeError(
        `Layer '${this.name}' expects ${this.cell.stateCount} initial state(s) (one per cell state), but it received ${states.length} initial state(s).`,
      );
    }
    const batch = inputs.shape[0];
    states.forEach((state, i) => {
      const [b, units] = state.shape;
      if (state.rank !== 2 || units !== this.units || (b !== null && batch !== null && b !== batch)) {
        throw new RangeError(
          `Layer '${this.name}': initial state ${i} must have shape (${batch ?? 'None'}, ${this.units}); received shape (${state.shape.map((d) => d ?? 'None').join(', ')})`,
        );
      }
    });
    return states;
  }

  private dropoutMask(like: Tensor, rateValue: number): Tensor {
    const { key, counter } = StatelessRandomGetKeyCounter({ seed: (this.seedGenerator as SeedGenerator).next() });
    const random = StatelessRandomUniformV2({
      shape: ShapeOp({ input: like }),
      key,
      counter,
      alg: constantTensor(ALG_AUTO_SELECT, 'int32'),
      dtype: like.dtype as 'float32',
    });
    return SelectV2({
      condition: GreaterEqual({ x: random, y: constantTensor(rateValue, like.dtype) }),
      t: constantTensor(1 / (1 - rateValue), like.dtype),
      e: constantTensor(0, like.dtype),
    });
  }

  /** Output, last output and final states of the sequence. */
  protected runSequence(inputs: Tensor, options: RNNCallOptions): SequenceResult {
    const timesteps = inputs.shape[1];
    if (timesteps === null) {
      throw new RangeError(
        `Layer '${this.name}' needs a known number of timesteps; got inputs of shape (${inputs.shape.map((d) => d ?? 'None').join(', ')})`,
      );
    }
    const mask = options.mask ?? null;
    const training = options.training ?? false;
    const initial = this.initialStates(options, inputs);
    if (mask === null && !(training && (this.dropout > 0 || this.recurrentDropout > 0))) {
      const fused = this.fusedCall(inputs, options, initial);
      if (fused !== null) return fused;
    }
    let x = inputs;
    if (training && this.dropout > 0) {
      const first = Slice({ input: inputs, begin: int32Vector([0, 0, 0]), size: int32Vector([-1, 1, -1]) });
      x = Mul({ x: inputs, y: this.dropoutMask(first, this.dropout) });
    }
    // Zero states shaped [batch, units], the batch taken from the inputs at run time.
    const batch = Slice({ input: ShapeOp({ input: inputs }), begin: int32Vector([0]), size: int32Vector([1]) });
    const dims = Pack({ values: [Unpack({ value: batch, num: 1 })[0], constantTensor(this.units, 'int32')] });
    const zeros = Fill({ dims, value: constantTensor(0, inputs.dtype) });
    const recurrentMask = training && this.recurrentDropout > 0 ? this.dropoutMask(zeros, this.recurrentDropout) : null;
    let steps = Unpack({ value: this.cell.projectInputs(x), num: timesteps, axis: 1 });
    let masks =
      mask === null ? null : Unpack({ value: ExpandDims({ input: mask, dim: constantTensor(-1, 'int32') }), num: timesteps, axis: 1 });
    if (this.goBackwards) {
      // Copies: reverse() in place would reorder the op's recorded outputs.
      steps = [...steps].reverse();
      masks = masks === null ? null : [...masks].reverse();
    }
    let states: Tensor[] = initial ?? Array.from({ length: this.cell.stateCount }, () => zeros);
    let previous = zeros;
    const outputs: Tensor[] = [];
    steps.forEach((projected, t) => {
      const result = this.cell.step(projected, states, recurrentMask);
      let output = result.output;
      if (masks !== null) {
        const m = masks[t];
        // Keras' masked rnn: a masked step keeps the states, and its output is the previous one (or zeros).
        states = result.states.map((s, i) => SelectV2({ condition: m, t: s, e: states[i] }));
        output = SelectV2({ condition: m, t: output, e: this.zeroOutputForMask ? ZerosLike({ x: output }) : previous });
        previous = output;
      } else {
        states = result.states;
        previous = output;
      }
      outputs.push(output);
    });
    return { outputs: this.returnSequences ? Pack({ values: outputs, axis: 1 }) : null, last: previous, states };
  }

  override call(inputs: Tensor, options: RNNCallOptions): Tensor {
    return this.callWithStates(inputs, options)[0];
  }

  /** [output, ...final states]. */
  callWithStates(inputs: Tensor, options: RNNCallOptions): Tensor[] {
    const { outputs, last, states } = this.runSequence(inputs, options);
    return [this.returnSequences ? (outputs as Tensor) : last, ...states];
  }

  /** With returnState, apply() gives [output, ...states] (eagerly and on KerasTensors). */
  override apply(inputs: KerasTensor, options?: RNNCallOptions): KerasTensor;
  override apply(inputs: readonly KerasTensor[], options?: ListCallOptions): KerasTensor;
  override apply(inputs: TensorLike, options?: RNNCallOptions): Tensor;
  override apply(inputs: readonly (Tensor | Variable)[], options?: ListCallOptions): Tensor;
  override apply(
    inputs: TensorLike | KerasTensor | readonly (KerasTensor | Tensor | Variable)[],
    options: RNNCallOptions | ListCallOptions = {},
  ): Tensor | KerasTensor {
    // A list of inputs is Layer's (call() gets the list).
    if (isInputList(inputs)) return super.apply(inputs as never, options as never);
    return this.applyOne(inputs as TensorLike | KerasTensor, options as RNNCallOptions);
  }

  private applyOne(inputs: TensorLike | KerasTensor, options: RNNCallOptions): Tensor | KerasTensor {
    return applyRecurrent(
      this,
      inputs,
      options,
      this.cell.stateCount,
      (x, o) => this.callWithStates(x, o),
      () => super.apply(inputs as never, options),
    );
  }

  override computeMask(_inputs: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
      ...this.cell.cellConfig(),
      ...REGULARIZERS_AND_CONSTRAINTS,
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
    };
  }
}

/**
 * apply() of a recurrent layer (an RNN, or Bidirectional) on one input: with returnState it gives
 * [output, ...states], with initialState it starts from those states. On KerasTensors one node
 * records the call (the initial states as its last inputs: Keras' `initial_state` keyword); on
 * tensors, every output of one call.
 */
export function applyRecurrent(
  layer: Layer & { readonly units: number; readonly returnState: boolean },
  inputs: TensorLike | KerasTensor,
  options: RNNCallOptions,
  stateCount: number,
  callWithStates: (inputs: Tensor, options: RNNCallOptions) => Tensor[],
  plainApply: () => Tensor | KerasTensor,
): Tensor | KerasTensor {
  const internals = layer as unknown as {
    checkNotDisposed(): void;
    toInputTensor(value: TensorLike): Tensor;
    applyToTensor(inputs: Tensor, options: CallOptions): Tensor;
    call: (x: Tensor, o: CallOptions) => Tensor;
  };
  internals.checkNotDisposed();
  const { initialState, ...callOptions } = options;
  const given = initialState !== undefined && initialState !== null;
  const stateList = (Array.isArray(initialState) ? initialState : [initialState]) as unknown[];
  const symbolicStates = given && stateList.some((s) => s instanceof KerasTensor);
  if (inputs instanceof KerasTensor) {
    if (given && !symbolicStates) {
      throw new TypeError(
        `Layer '${layer.name}': on KerasTensors, initialState must be KerasTensors (the outputs of other layers or Inputs)`,
      );
    }
    if (!symbolicStates && !layer.returnState) return plainApply();
    const states = (symbolicStates ? stateList : []) as KerasTensor[];
    const stateShape: Shape = [inputs.shape[0], layer.units];
    if (states.length > 0 && (states.length !== stateCount || !states.every((s) => s instanceof KerasTensor))) {
      throw new RangeError(
        `Layer '${layer.name}' expects ${stateCount} initial state(s) as KerasTensors, but it received ${states.length}.`,
      );
    }
    states.forEach((state, i) => {
      const [b, units] = state.shape;
      if (state.rank !== 2 || units !== layer.units || (b !== null && stateShape[0] !== null && b !== stateShape[0])) {
        throw new RangeError(
          `Layer '${layer.name}': initial state ${i} must have shape (${stateShape[0] ?? 'None'}, ${layer.units}); received shape (${state.shape.map((d) => d ?? 'None').join(', ')})`,
        );
      }
    });
    layer.assertInputCompatible(inputs.shape);
    layer.maybeBuild(inputs.shape);
    const out = layer.computeOutputShape(inputs.shape) as Shape;
    const shapes = [out, ...(layer.returnState ? Array.from({ length: stateCount }, () => stateShape) : [])];
    const kwarg = states.length === 0 ? null : { name: 'initial_state', key: 'initialState', count: states.length };
    const node = new Node(
      layer,
      [inputs, ...states],
      shapes.map((shape) => ({ shape, dtype: layer.dtype })),
      callOptions,
      undefined,
      false,
      false,
      kwarg,
    );
    layer.inboundNodes.push(node);
    return (layer.returnState ? node.outputs : node.outputs[0]) as unknown as KerasTensor;
  }
  if (!layer.returnState) return plainApply();
  let all: Tensor[] = [];
  const saved = internals.call;
  // Layer.applyToTensor runs call(); keep every output of that one run.
  internals.call = (x, o) => {
    all = callWithStates(x, o);
    return all[0];
  };
  try {
    internals.applyToTensor(internals.toInputTensor(inputs), options);
  } finally {
    internals.call = saved;
  }
  return all as unknown as Tensor;
}

/** [batch, time, features]·kernel (+ bias) in one matmul: [batch, time, kernel columns]. */
export function projectSequence(inputs: Tensor, kernel: Tensor, bias: Tensor | null): Tensor {
  const [features, columns] = kernel.shape as number[];
  let flat = MatMul({ a: Reshape({ tensor: inputs, shape: int32Vector([-1, features]) }), b: kernel });
  if (bias !== null) flat = BiasAdd({ value: flat, bias });
  return Reshape({ tensor: flat, shape: int32Vector([inputs.shape[0] ?? -1, inputs.shape[1] as number, columns]) });
}

/** A recurrent layer's options split into its cell's (`cellKeys`, units checked) and the loop's. */
export function splitCellOptions(options: object, cellKeys: readonly string[]): [Record<string, unknown>, RNNOptions] {
  const cell: Record<string, unknown> = {};
  const rnn: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) (cellKeys.includes(key) ? cell : rnn)[key] = value;
  const units = cell.units;
  if (!Number.isInteger(units) || (units as number) <= 0) {
    throw new RangeError(`Received an invalid value for argument \`units\`, expected a positive integer, got ${String(units)}.`);
  }
  return [cell, rnn as RNNOptions];
}
