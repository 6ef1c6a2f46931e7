// keras.Input / keras.layers.InputLayer: the placeholder a functional model starts from.
import { DType } from '../../dtypes';
import { Shape } from '../../tensor';
import { KerasTensor, Node } from './keras_tensor';
import { checkClassOptions, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { autoName } from '../utils/naming';
import { Layer } from './layer';
import { kerasExport } from '../saving/serialization_lib';

export interface InputOptions {
  /** The shape of one sample (no batch dim); null for sizes that vary. */
  shape?: Shape;
  batchSize?: number | null;
  /** The full shape, batch dim first (instead of shape/batchSize). */
  batchShape?: Shape;
  dtype?: DType;
  name?: string;
}

/** Keras' leading parameters, in its order: `Input([28, 28], null, 'float32')`. */
const POSITIONAL = ['shape', 'batchSize', 'dtype'] as const;

export class InputLayer extends Layer {
  static override readonly optionKeys: readonly string[] = ['shape', 'batchSize', 'batchShape', 'dtype', 'name'];
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly unsupportedConfig = { sparse: false, ragged: false, optional: false };
  /** [batch, ...shape], batch null unless fixed. */
  readonly batchShape: Shape;
  /** The KerasTensor this layer provides. */
  readonly output: KerasTensor;

  constructor(...args: PositionalArgs<InputOptions, typeof POSITIONAL>) {
    const options = positionalOptions<InputOptions>(new.target, args);
    // Checked here: only name and dtype reach Layer's constructor.
    checkClassOptions(new.target, options);
    const { shape, batchSize = null, batchShape, dtype = 'float32' } = options;
    if ((shape === undefined) === (batchShape === undefined)) {
      throw new TypeError('You must pass exactly one of `shape` or `batchShape` to Input/InputLayer.');
    }
    super({ name: options.name ?? autoName('input_layer'), dtype });
    const full = batchShape ?? [batchSize, ...(shape as Shape)];
    for (const d of full) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new RangeError(`Input shapes must be non-negative integers or null. Received: shape=${JSON.stringify(full)}`);
      }
    }
    this.batchShape = [...full];
    this.built = true;
    const node = new Node(this, [], [{ shape: this.batchShape, dtype }], {}, this.name);
    this.inboundNodes.push(node);
    this.output = node.outputs[0];
  }

  override computeOutputShape(): Shape {
    return [...this.batchShape];
  }

  override getConfig(): Record<string, unknown> {
    return { batch_shape: this.batchShape, dtype: this.dtype, sparse: false, ragged: false, name: this.name, optional: false };
  }
}

/**
 * keras.Input: a symbolic input of `shape` (one sample's shape) to build functional models from;
 * `Input([4], {name: 'features'})`, `Input([4], null, 'int32')` or `Input({shape: [4], name: 'features'})`,
 * as Python's `Input((4,), name="features")`, `Input((4,), None, "int32")` and `Input(shape=(4,), name="features")`.
 */
export function Input(...args: PositionalArgs<InputOptions, typeof POSITIONAL>): KerasTensor {
  return new InputLayer(positionalOptions<InputOptions>({ name: 'Input', positional: POSITIONAL }, args)).output;
}

kerasExport('keras.layers', [InputLayer]);
