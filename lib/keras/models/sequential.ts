// keras.Sequential: a stack of single-input layers. With an Input (or a first layer's inputShape)
// it is a functional graph from the start; otherwise it builds on the first data it sees.
import { Shape, Tensor } from '../../tensor';
import { InputLayer } from '../layers/input_layer';
import { KerasTensor } from '../layers/keras_tensor';
import { CallOptions, Layer } from '../layers/layer';
import { deserialize as deserializeLayer } from '../layers/serialization';
import { kerasExport, serializeKerasObject } from '../saving/serialization_lib';
import { describeValue } from '../utils/argument_validation';
import { Model } from './model';

export interface SequentialOptions {
  name?: string;
  trainable?: boolean;
}

export class Sequential extends Model {
  static override readonly optionKeys: readonly string[] = ['name', 'trainable'];
  private readonly stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;

  constructor(layers: readonly (Layer | KerasTensor)[] = [], options: SequentialOptions = {}) {
    super(options);
    for (const layer of layers) this.push(layer);
    this.rebuild();
  }

  /** Appends a layer (or an Input tensor, as the first entry). */
  add(layer: Layer | KerasTensor): void {
    this.push(layer);
    this.rebuild();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new RangeError('There are no layers in the model.');
    this.rebuild();
    return layer;
  }

  private push(entry: Layer | KerasTensor): void {
    let layer = entry;
    if (layer instanceof KerasTensor) {
      if (!(layer.node.layer instanceof InputLayer)) {
        throw new TypeError(`Only the output of tf.keras.Input can be added to a Sequential model. Received: ${String(layer)}`);
      }
      layer = layer.node.layer;
    }
    if (!(layer instanceof Layer))
      throw new TypeError(`Only instances of Layer can be added to a Sequential model. Received: ${String(entry)}`);
    if (layer instanceof InputLayer) {
      if (this.inputLayer !== null || this.stack.length > 0) {
        throw new RangeError(
          `Sequential model '${this.name}' has already been configured to use an input; an InputLayer can only come first.`,
        );
      }
      this.inputLayer = layer;
      return;
    }
    if (this.stack.includes(layer)) throw new RangeError(`Layer '${layer.name}' is already in Sequential model '${this.name}'.`);
    if (this.stack.length === 0 && this.inputLayer === null && layer.batchInputShape !== undefined) {
      this.inputLayer = new InputLayer({ batchShape: layer.batchInputShape });
    }
    this.stack.push(layer);
  }

  /** Rebuilds the graph when the input is known (Keras' _maybe_rebuild). */
  private rebuild(): void {
    this.graphVersion++;
    if (this.inputLayer === null || this.stack.length === 0) return;
    let x = this.inputLayer.output;
    for (const layer of this.stack) x = layer.apply(x);
    this.setGraph([this.inputLayer.output], [x]);
  }

  /** Builds for inputs of `inputShape` (batch first): Keras' `model.build((None, 784))`. */
  override build(inputShape: Shape): void {
    if (this.graph !== null) return;
    this.inputLayer ??= new InputLayer({ batchShape: inputShape });
    this.rebuild();
  }

  /** The layers, without the input layer (as in Keras). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  protected override sublayers(): Layer[] {
    return this.layers;
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    // Each layer reads the mask its input carries.
    const { mask: _mask, ...rest } = options;
    let x = inputs;
    for (const layer of this.stack) x = layer.apply(x, rest);
    return x;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.stack.reduce((shape, layer) => layer.computeOutputShape(shape) as Shape, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    const layers = [...(this.inputLayer ? [this.inputLayer] : []), ...this.stack].map((layer) => serializeKerasObject(layer));
    return {
      name: this.name,
      trainable: this.trainable,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: this.dtype }, registered_name: null },
      layers,
      ...(this.buildInputShape !== undefined ? { build_input_shape: this.buildInputShape } : {}),
    };
  }

  /** Keras' from_config: the layers deserialized and added in order, then built for `build_input_shape`. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const { name, trainable = true, layers, build_input_shape: buildInputShape } = config;
    if (!Array.isArray(layers))
      throw new TypeError(`A Sequential config needs a \`layers\` array. Received: layers=${describeValue(layers)}`);
    const cls = this as unknown as new (layers: Layer[], options: SequentialOptions) => Sequential;
    const model = new cls([], { name: name as string | undefined, trainable: trainable as boolean });
    for (const layerConfig of layers) model.add(deserializeLayer(layerConfig));
    if (Array.isArray(buildInputShape) && !model.built) model.build(buildInputShape);
    return model as unknown as T;
  }
}

kerasExport('keras', [Sequential]);
