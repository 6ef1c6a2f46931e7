// keras.layers.Activation: applies an activation function by name or as a function.
import { Shape, Tensor } from '../../tensor';
import * as activations from '../activations';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';

export interface ActivationOptions extends LayerOptions {
  activation: activations.ActivationIdentifier;
}

export class Activation extends Layer {
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'activation'];
  readonly activation: activations.ActivationFunction;

  /** `new Activation('relu')`, or `new Activation({activation: 'relu', name})`. */
  constructor(options: ActivationOptions | activations.ActivationIdentifier) {
    const resolved: ActivationOptions = typeof options === 'object' && options !== null ? options : { activation: options };
    super(resolved);
    this.activation = activations.get(resolved.activation);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.activation(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}

kerasExport('keras.layers', [Activation]);
