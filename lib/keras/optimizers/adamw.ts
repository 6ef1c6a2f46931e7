// AdamW: Adam with decoupled weight decay (Keras 3: weight_decay defaults to 0.004 and is required).
import { Adam, AdamOptions } from './adam';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

/** Keras' leading parameters, in its order: `new AdamW(learningRate, weightDecay)`. */
const POSITIONAL = ['learningRate', 'weightDecay', 'beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

export class AdamW extends Adam {
  static override readonly positional: readonly string[] = POSITIONAL;
  constructor(...args: PositionalArgs<AdamOptions, typeof POSITIONAL>) {
    const options = positionalOptions<AdamOptions>(new.target, args);
    const weightDecay = 'weightDecay' in options ? options.weightDecay : 0.004;
    if (weightDecay === null || weightDecay === undefined) {
      throw new RangeError(`Argument \`weightDecay\` must be a float. Received: weightDecay=${String(weightDecay)}`);
    }
    super({ ...options, weightDecay });
  }
}

kerasExport('keras.optimizers', [AdamW]);
