// AdamW: Adam with decoupled weight decay (Keras 3: weight_decay defaults to 0.004 and is required).
import { Adam, AdamOptions } from './adam';
import { kerasExport } from '../saving/serialization_lib';

export class AdamW extends Adam {
  constructor(options: AdamOptions = {}) {
    const weightDecay = 'weightDecay' in options ? options.weightDecay : 0.004;
    if (weightDecay === null || weightDecay === undefined) {
      throw new RangeError(`Argument \`weightDecay\` must be a float. Received: weightDecay=${String(weightDecay)}`);
    }
    super({ ...options, weightDecay });
  }
}

kerasExport('keras.optimizers', [AdamW]);
