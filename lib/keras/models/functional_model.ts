// Keras' Functional class: what `keras.Model(inputs, outputs)` is, and what a functional config
// (class_name 'Functional') deserializes to.
import { kerasExport } from '../saving/serialization_lib';
import { describeValue } from '../utils/argument_validation';
import { functionalFromConfig } from './functional_config';
import { Model } from './model';

export class Functional extends Model {
  /** Keras' functional_from_config: the layers deserialized and called as the config's nodes say. */
  static override fromConfig<T>(this: unknown, config: Record<string, unknown>): T {
    const { inputs, outputs } = functionalFromConfig(config);
    const { name, trainable } = config;
    if (name !== undefined && typeof name !== 'string')
      throw new TypeError(`A functional config's name must be a string. Received: ${describeValue(name)}`);
    return new Functional({ inputs, outputs, name, trainable: trainable === undefined ? undefined : Boolean(trainable) }) as T;
  }
}

kerasExport('keras.src.models.functional', [Functional]);
