// keras.layers.Activation: applies an activation function by name or as a function.
import { Shape, Tensor } from '../../tensor';
import * as activations from '../activations';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface ActivationOptions extends LayerOptions {
  activation: activations.ActivationIdentifier;
}

export class Activation extends Layer {
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'activation'];
  readonly activation: activations.ActivationFunction;

  static override readonly positional: readonly string[] = ['activation'];

  /** `new Activation('relu')`, `new Activation('relu', {name})`, or `new Activation({activation: 'relu', name})`. */
  constructor(...args: PositionalArgs<ActivationOptions, ['activation']>) {
    const resolved = positionalOptions<ActivationOptions>(new.target, args);
    super(resolved);
    this.supportsMasking = true;
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
