import { booleanOption, checkClassOptions, type OptionsClass, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Callback, type Logs } from './callback';
import { pythonFloatRepr } from './python_float_repr';

export interface TerminateOnNaNOptions {
  /** Throw at once instead of stopping gracefully (which lets every callback's onTrainEnd run). Default false. */
  raiseError?: boolean;
}

/** Stops training when a batch's loss is NaN or infinite (Keras' `keras.callbacks.TerminateOnNaN`). */
export class TerminateOnNaN extends Callback {
  static readonly optionKeys: readonly string[] = ['raiseError'];
  static readonly positional: readonly string[] = ['raiseError'];
  readonly raiseError: boolean;

  constructor(...args: PositionalArgs<TerminateOnNaNOptions, ['raiseError']>) {
    super();
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    this.raiseError = booleanOption('raiseError', o.raiseError ?? false);
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || loss === null || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new Error(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${pythonFloatRepr(loss)}. Terminating training immediately.`,
      );
    }
    console.log(`Batch ${batch}: Invalid loss, terminating training`);
    this.model.stopTraining = true;
  }
}
