// keras.layers.Embedding: rows of an (inputDim, outputDim) table looked up by integer ids; with
// `maskZero` id 0 is padding and the outputs carry a mask of the other positions.

import { Cast, GatherV2, NotEqual } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface EmbeddingOptions extends LayerOptions {
  /** The vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  outputDim: number;
  /** Default 'uniform' (RandomUniform(-0.05, 0.05)). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Id 0 is padding: the outputs carry a mask (and inputDim counts it). */
  maskZero?: boolean;
}

const UNSUPPORTED_CONFIG = {
  embeddings_regularizer: null,
  activity_regularizer: null,
  embeddings_constraint: null,
  quantization_config: null,
};

const POSITIONAL = ['inputDim', 'outputDim', 'embeddingsInitializer'] as const;

function positiveInteger(name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new RangeError(`Received an invalid value for \`${name}\`, expected a positive integer. Received: ${name}=${String(value)}`);
  }
  return value as number;
}

export class Embedding extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    'inputDim',
    'outputDim',
    'embeddingsInitializer',
    'maskZero',
  ];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly maskZero: boolean;
  embeddings!: Variable;

  constructor(...args: PositionalArgs<EmbeddingOptions, typeof POSITIONAL>) {
    const options = positionalOptions<EmbeddingOptions>(new.target, args);
    super(options);
    this.inputDim = positiveInteger('input_dim', options.inputDim);
    this.outputDim = positiveInteger('output_dim', options.outputDim);
    this.embeddingsInitializer = getInitializer(options.embeddingsInitializer ?? 'uniform');
    this.maskZero = options.maskZero ?? false;
    this.supportsMasking = this.maskZero;
  }

  override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
    });
  }

  // Ids stay integers: no cast to the layer's float dtype.
  protected override toInputTensor(value: TensorLike): Tensor {
    return value instanceof Tensor ? value : constantTensor(value as never, 'int32');
  }

  private ids(inputs: Tensor): Tensor {
    return inputs.dtype === 'int32' || inputs.dtype === 'int64' ? inputs : Cast({ x: inputs, DstT: 'int32' });
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return GatherV2({ params: this.embeddings.value(), indices: this.ids(inputs), axis: constantTensor(0, 'int32') });
  }

  override computeMask(inputs: Tensor, _mask: Tensor | null): Tensor | null {
    if (!this.maskZero) return null;
    const ids = this.ids(inputs);
    return NotEqual({ x: ids, y: constantTensor(0, ids.dtype) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    const { activity_regularizer, embeddings_constraint, quantization_config, embeddings_regularizer } = UNSUPPORTED_CONFIG;
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serialize(this.embeddingsInitializer),
      embeddings_regularizer,
      activity_regularizer,
      embeddings_constraint,
      mask_zero: this.maskZero,
      quantization_config,
    };
  }
}

kerasExport('keras.layers', [Embedding]);
