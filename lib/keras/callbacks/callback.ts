/** Per-epoch/per-batch metric values handed to the hooks; callbacks may add entries (e.g. `learning_rate`). */
export type Logs = Record<string, number>;

/** What `fit()`/`evaluate()`/`predict()` tell callbacks about the run (Keras' `callback.params`). */
export interface CallbackParams {
  epochs?: number;
  steps?: number | null;
  verbose?: number;
  [key: string]: unknown;
}

/** A compiled metric as callbacks see it: `direction` 'up' means higher is better. */
export interface CallbackMetric {
  readonly name: string;
  readonly direction?: 'up' | 'down';
}

/**
 * The part of a model that the built-in callbacks drive: the optimizer's learning rate (a float32
 * variable), the stop flag, and the compiled metrics that auto-mode monitoring reads directions from.
 */
export interface CallbackModel {
  optimizer: { learningRate: { numpy(): number; assign(value: number): void } };
  stopTraining?: boolean;
  metrics?: readonly CallbackMetric[];
}

type HookResult = void | Promise<void>;

/** Base class of callbacks (Keras' `keras.callbacks.Callback`): every hook is a no-op until overridden. */
export class Callback {
  params: CallbackParams = {};
  private attachedModel: CallbackModel | null = null;

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  setModel(model: CallbackModel): void {
    this.attachedModel = model;
  }

  get model(): CallbackModel {
    if (this.attachedModel === null) {
      throw new Error(`${this.constructor.name} has no model: call setModel(model) first (fit() does this).`);
    }
    return this.attachedModel;
  }

  onTrainBegin(_logs?: Logs): HookResult {}
  onTrainEnd(_logs?: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs?: Logs): HookResult {}
  onEpochEnd(_epoch: number, _logs?: Logs): HookResult {}
  /** Keras' on_batch_begin: the old name of onTrainBatchBegin, which calls it unless overridden. */
  onBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  /** Keras' on_batch_end: the old name of onTrainBatchEnd, which calls it unless overridden. */
  onBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  onTrainBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.onBatchBegin(batch, logs);
  }
  onTrainBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.onBatchEnd(batch, logs);
  }
  onTestBegin(_logs?: Logs): HookResult {}
  onTestEnd(_logs?: Logs): HookResult {}
  onTestBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onTestBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  onPredictBegin(_logs?: Logs): HookResult {}
  onPredictEnd(_logs?: Logs): HookResult {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): HookResult {}
}
