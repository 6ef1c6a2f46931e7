// keras.layers.SimpleRNN: h = activation(x·kernel + bias + h_prev·recurrentKernel).
import { DType } from '../../../dtypes';
import { AddV2, MatMul, Mul } from '../../../ops/generated';
import { Shape, Tensor } from '../../../tensor';
import { Variable } from '../../../variable';
import * as activations from '../../activations';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../../initializers';
import { kerasExport } from '../../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { Layer } from '../layer';
import { projectSequence, RNN, RNN_OPTION_KEYS, RNN_UNSUPPORTED_CONFIG, RNNCell, RNNOptions, splitCellOptions, StepResult } from './rnn';

export interface SimpleRNNOptions extends RNNOptions {
  units: number;
  /** Default 'tanh'. */
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

export class SimpleRNNCell extends RNNCell {
  readonly stateCount = 1;
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;

  constructor(options: SimpleRNNOptions & { name: string; dtype?: DType; trainable?: boolean }) {
    super({ name: options.name, dtype: options.dtype, trainable: options.trainable });
    this.units = options.units;
    this.activation = activations.get(options.activation ?? 'tanh');
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = getInitializer(options.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
  }

  override build(inputShape: Shape): void {
    const features = inputShape[inputShape.length - 1] as number;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, this.units], initializer: this.kernelInitializer });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, this.units],
      initializer: this.recurrentInitializer,
    });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: this.biasInitializer });
  }

  projectInputs(inputs: Tensor): Tensor {
    return projectSequence(inputs, this.kernel.value(), this.bias?.value() ?? null);
  }

  step(projected: Tensor, [hPrev]: readonly Tensor[], recurrentMask: Tensor | null): StepResult {
    const h = recurrentMask === null ? hPrev : Mul({ x: hPrev, y: recurrentMask });
    const output = this.activation(AddV2({ x: projected, y: MatMul({ a: h, b: this.recurrentKernel.value() }) }));
    return { output, states: [output] };
  }

  cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      recurrent_initializer: serialize(this.recurrentInitializer),
      bias_initializer: serialize(this.biasInitializer),
    };
  }
}

const POSITIONAL = ['units', 'activation', 'useBias'] as const;

const CELL_KEYS = ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer'];

export class SimpleRNN extends RNN<SimpleRNNCell> {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, ...RNN_OPTION_KEYS, ...CELL_KEYS];
  static override readonly unsupportedConfig = RNN_UNSUPPORTED_CONFIG;

  constructor(...args: PositionalArgs<SimpleRNNOptions, typeof POSITIONAL>) {
    const options = positionalOptions<SimpleRNNOptions>(new.target, args);
    const [cellOptions, rnnOptions] = splitCellOptions(options, CELL_KEYS);
    super(
      new SimpleRNNCell({
        ...(cellOptions as unknown as SimpleRNNOptions),
        name: 'simple_rnn_cell',
        dtype: options.dtype,
        trainable: options.trainable,
      }),
      rnnOptions,
    );
  }
}

kerasExport('keras.layers', [SimpleRNN]);
