// keras.layers.GRU (Keras 3 defaults, resetAfter true): update and reset gates z, r and the
// candidate h̃ from x·kernel and h·recurrentKernel, each with its own bias when resetAfter.
import { DType } from '../../../dtypes';
import { int32Vector } from '../../../ops/convert';
import { AddV2, BiasAdd, MatMul, Mul, Slice, Split, Sub, Unpack } from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Shape, Tensor } from '../../../tensor';
import { Variable } from '../../../variable';
import * as activations from '../../activations';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../../initializers';
import { kerasExport } from '../../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { Layer } from '../layer';
import { projectSequence, RNN, RNN_OPTION_KEYS, RNN_UNSUPPORTED_CONFIG, RNNCell, RNNOptions, splitCellOptions, StepResult } from './rnn';

export interface GRUOptions extends RNNOptions {
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
  /** Apply the reset gate after the recurrent matmul (Keras 3's and cuDNN's convention). Default true. */
  resetAfter?: boolean;
}

export class GRUCell extends RNNCell {
  readonly stateCount = 1;
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly recurrentActivation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly resetAfter: boolean;
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;

  constructor(options: GRUOptions & { name: string; dtype?: DType; trainable?: boolean }) {
    super({ name: options.name, dtype: options.dtype, trainable: options.trainable });
    this.units = options.units;
    this.activation = activations.get(options.activation ?? 'tanh');
    this.recurrentActivation = activations.get(options.recurrentActivation ?? 'sigmoid');
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = getInitializer(options.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.resetAfter = options.resetAfter ?? true;
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    const u = this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, 3 * u], initializer: this.kernelInitializer });
    this.recurrentKernel = this.addWeight({ name: 'recurrent_kernel', shape: [u, 3 * u], initializer: this.recurrentInitializer });
    if (this.useBias)
      this.bias = this.addWeight({ name: 'bias', shape: this.resetAfter ? [2, 3 * u] : [3 * u], initializer: this.biasInitializer });
  }

  /** Row `row` of the [2, 3u] bias (resetAfter), or the whole [3u] one. */
  private biasRow(row: number): Tensor | null {
    if (this.bias === null) return null;
    if (!this.resetAfter) return row === 0 ? this.bias.value() : null;
    return Unpack({ value: Slice({ input: this.bias.value(), begin: int32Vector([row, 0]), size: int32Vector([1, -1]) }), num: 1 })[0];
  }

  projectInputs(inputs: Tensor): Tensor {
    return projectSequence(inputs, this.kernel.value(), this.biasRow(0));
  }

  step(projected: Tensor, [hPrev]: readonly Tensor[], recurrentMask: Tensor | null): StepResult {
    const u = this.units;
    const h = recurrentMask === null ? hPrev : Mul({ x: hPrev, y: recurrentMask });
    const axis = constantTensor(1, 'int32');
    const [xz, xr, xh] = Split({ splitDim: axis, value: projected, numSplit: 3 });
    const kernel = this.recurrentKernel.value();
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let inner = MatMul({ a: h, b: kernel });
      const recurrentBias = this.biasRow(1);
      if (recurrentBias !== null) inner = BiasAdd({ value: inner, bias: recurrentBias });
      const [rz, rr, rh] = Split({ splitDim: axis, value: inner, numSplit: 3 });
      z = this.recurrentActivation(AddV2({ x: xz, y: rz }));
      const r = this.recurrentActivation(AddV2({ x: xr, y: rr }));
      hh = this.activation(AddV2({ x: xh, y: Mul({ x: r, y: rh }) }));
    } else {
      const columns = (from: number): Tensor => Slice({ input: kernel, begin: int32Vector([0, from]), size: int32Vector([-1, u]) });
      z = this.recurrentActivation(AddV2({ x: xz, y: MatMul({ a: h, b: columns(0) }) }));
      const r = this.recurrentActivation(AddV2({ x: xr, y: MatMul({ a: h, b: columns(u) }) }));
      hh = this.activation(AddV2({ x: xh, y: MatMul({ a: Mul({ x: r, y: h }), b: columns(2 * u) }) }));
    }
    // Keras: h = z·h_prev + (1 − z)·h̃ (with the undropped h_prev).
    const hNew = AddV2({ x: Mul({ x: z, y: hPrev }), y: Mul({ x: Sub({ x: constantTensor(1, z.dtype), y: z }), y: hh }) });
    return { output: hNew, states: [hNew] };
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
  'resetAfter',
];

export class GRU extends RNN<GRUCell> {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...RNN_OPTION_KEYS, ...CELL_KEYS];
  static override readonly unsupportedConfig = RNN_UNSUPPORTED_CONFIG;

  constructor(...args: PositionalArgs<GRUOptions, typeof POSITIONAL>) {
    const options = positionalOptions<GRUOptions>(new.target, args);
    const [cellOptions, rnnOptions] = splitCellOptions(options, CELL_KEYS);
    super(
      new GRUCell({ ...(cellOptions as unknown as GRUOptions), name: 'gru_cell', dtype: options.dtype, trainable: options.trainable }),
      rnnOptions,
    );
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), reset_after: this.cell.resetAfter, seed: this.seed };
  }
}

kerasExport('keras.layers', [GRU]);
