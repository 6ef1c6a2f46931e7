// keras.layers.LSTM (Keras 3 defaults): gates i, f, c, o from x·kernel + h·recurrentKernel + bias.
// With Keras' default activations, no mask and no dropout, the whole sequence runs as TF's fused
// BlockLSTMV2 op (as Keras uses cuDNN on GPU); it shares Keras' i, f, c, o gate layout.
import { DType } from '../../../dtypes';
import { int32Vector } from '../../../ops/convert';
import {
  AddV2,
  BlockLSTMV2,
  ConcatV2,
  Fill,
  MatMul,
  Mul,
  Pack,
  ReverseV2,
  Shape as ShapeOp,
  Slice,
  Split,
  Transpose,
  Unpack,
} from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Tensor } from '../../../tensor';
import { Variable } from '../../../variable';
import * as activations from '../../activations';
import { get as getInitializer, Initializer, InitializerIdentifier, Ones, serialize } from '../../initializers';
import { kerasExport } from '../../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { CallOptions, Layer } from '../layer';
import {
  projectSequence,
  RNN,
  RNN_OPTION_KEYS,
  RNN_UNSUPPORTED_CONFIG,
  RNNCell,
  RNNOptions,
  SequenceResult,
  splitCellOptions,
  StepResult,
} from './rnn';

export interface LSTMOptions extends RNNOptions {
  units: number;
  /** Default 'tanh'. */
  activation?: activations.ActivationIdentifier;
  /** The gates' activation; default 'sigmoid'. */
  recurrentActivation?: activations.ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** The forget gate's bias starts at 1. Default true. */
  unitForgetBias?: boolean;
}

/** Keras' unit_forget_bias: [bias_init(units), ones(units), bias_init(2·units)]. */
class UnitForgetBias extends Initializer {
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
  }

  call(_shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const u = this.units;
    return ConcatV2({
      values: [this.base.call([u], dtype), new Ones().call([u], dtype), this.base.call([2 * u], dtype)],
      axis: constantTensor(0, 'int32'),
    });
  }
}

export class LSTMCell extends RNNCell {
  readonly stateCount = 2;
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly recurrentActivation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly unitForgetBias: boolean;
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;

  constructor(options: LSTMOptions & { name: string; dtype?: DType; trainable?: boolean }) {
    super({ name: options.name, dtype: options.dtype, trainable: options.trainable });
    this.units = options.units;
    this.activation = activations.get(options.activation ?? 'tanh');
    this.recurrentActivation = activations.get(options.recurrentActivation ?? 'sigmoid');
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = getInitializer(options.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.unitForgetBias = options.unitForgetBias ?? true;
  }

  override build(inputShape: readonly (number | null)[]): void {
    const features = inputShape[inputShape.length - 1] as number;
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, 4 * u], initializer: this.kernelInitializer });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, 4 * u], initializer: this.recurrentInitializer });
    if (this.useBias) {
      const initializer = this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, u) : this.biasInitializer;
      this.bias = this.addWeight({ name: 'bias', shape: [4 * u], initializer });
    }
  }

  projectInputs(inputs: Tensor): Tensor {
    return projectSequence(inputs, this.kernel.value(), this.bias?.value() ?? null);
  }

  step(projected: Tensor, [hPrev, cPrev]: readonly Tensor[], recurrentMask: Tensor | null): StepResult {
    const h = recurrentMask === null ? hPrev : Mul({ x: hPrev, y: recurrentMask });
    const z = AddV2({ x: projected, y: MatMul({ a: h, b: this.recurrentKernel.value() }) });
    const [zi, zf, zc, zo] = Split({ splitDim: constantTensor(1, 'int32'), value: z, numSplit: 4 });
    const i = this.recurrentActivation(zi);
    const f = this.recurrentActivation(zf);
    const c = AddV2({ x: Mul({ x: f, y: cPrev }), y: Mul({ x: i, y: this.activation(zc) }) });
    const o = this.recurrentActivation(zo);
    const hNew = Mul({ x: o, y: this.activation(c) });
    return { output: hNew, states: [hNew, c] };
  }

  cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: activations.serialize(this.activation),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      recurrent_initializer: serialize(this.recurrentInitializer),
      bias_initializer: serialize(this.biasInitializer),
      unit_forget_bias: this.unitForgetBias,
    };
  }
}

const POSITIONAL = ['units', 'activation', 'recurrentActivation', 'useBias'] as const;

const CELL_KEYS = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'unitForgetBias',
] as const;

export class LSTM extends RNN<LSTMCell> {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...RNN_OPTION_KEYS, ...CELL_KEYS];
  static override readonly unsupportedConfig = RNN_UNSUPPORTED_CONFIG;

  constructor(...args: PositionalArgs<LSTMOptions, typeof POSITIONAL>) {
    const options = positionalOptions<LSTMOptions>(new.target, args);
    const [cellOptions, rnnOptions] = splitCellOptions(options, CELL_KEYS);
    super(
      new LSTMCell({ ...(cellOptions as unknown as LSTMOptions), name: 'lstm_cell', dtype: options.dtype, trainable: options.trainable }),
      rnnOptions,
    );
  }

  /** Keras' defaults run as one BlockLSTMV2 op over the sequence. */
  protected override fusedCall(inputs: Tensor, _options: CallOptions, initial: Tensor[] | null): SequenceResult | null {
    const cell = this.cell;
    if (activations.serialize(cell.activation) !== 'tanh' || activations.serialize(cell.recurrentActivation) !== 'sigmoid') return null;
    if (inputs.dtype !== 'float32') return null;
    const u = cell.units;
    const timesteps = inputs.shape[1] as number;
    // BlockLSTMV2 takes Keras' i, f, c, o gate layout and [x, h]·w: the kernels stacked.
    const w = ConcatV2({ values: [cell.kernel.value(), cell.recurrentKernel.value()], axis: constantTensor(0, 'int32') });
    const b = cell.bias === null ? Fill({ dims: int32Vector([4 * u]), value: constantTensor(0, 'float32') }) : cell.bias.value();
    const peephole = Fill({ dims: int32Vector([u]), value: constantTensor(0, 'float32') });
    const batch = Unpack({
      value: Slice({ input: ShapeOp({ input: inputs }), begin: int32Vector([0]), size: int32Vector([1]) }),
      num: 1,
    })[0];
    const zeros = Fill({ dims: Pack({ values: [batch, constantTensor(u, 'int32')] }), value: constantTensor(0, 'float32') });
    let x = Transpose({ x: inputs, perm: int32Vector([1, 0, 2]) });
    if (this.goBackwards) x = ReverseV2({ tensor: x, axis: int32Vector([0]) });
    const { h, cs } = BlockLSTMV2({
      seqLenMax: constantTensor(timesteps, 'int64'),
      x,
      // Keras' LSTM states are [h, c].
      csPrev: initial === null ? zeros : initial[1],
      hPrev: initial === null ? zeros : initial[0],
      w,
      wci: peephole,
      wcf: peephole,
      wco: peephole,
      b,
      cellClip: 0,
      usePeephole: false,
    });
    const lastOf = (t: Tensor): Tensor =>
      Unpack({ value: Slice({ input: t, begin: int32Vector([timesteps - 1, 0, 0]), size: int32Vector([1, -1, -1]) }), num: 1 })[0];
    const last = lastOf(h);
    return {
      outputs: this.returnSequences ? Transpose({ x: h, perm: int32Vector([1, 0, 2]) }) : null,
      last,
      states: [last, lastOf(cs)],
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed };
  }
}

kerasExport('keras.layers', [LSTM]);
