// Keras' CallbackList: the user's callbacks, then History and ProgbarLogger, called hook by hook
// (awaiting hooks that return promises). Batch hooks a callback does not override are skipped, and
// batch values are read from the step's tensors only for callbacks that look at them.
import { Callback, type CallbackModel, type CallbackParams, type Logs } from './callback';
import { History } from './history';
import { ProgbarLogger } from './progbar_logger';
import { ProgressStream } from '../utils/progbar';
import { StepLogs } from '../training/step_logs';

type BatchHook =
  | 'onTrainBatchBegin'
  | 'onTrainBatchEnd'
  | 'onTestBatchBegin'
  | 'onTestBatchEnd'
  | 'onPredictBatchBegin'
  | 'onPredictBatchEnd';

export interface CallbackListOptions {
  addHistory?: boolean;
  addProgbar?: boolean;
  verbose: number;
  epochs: number;
  steps: number | null;
  model: CallbackModel;
  stream?: ProgressStream;
}

function isPromise(value: unknown): value is Promise<void> {
  return typeof (value as Promise<void> | undefined)?.then === 'function';
}

export class CallbackList {
  readonly callbacks: Callback[];
  readonly history?: History;
  readonly progbar?: ProgbarLogger;
  private readonly overriding = new Map<BatchHook, Callback[]>();

  constructor(callbacks: readonly Callback[] = [], options: CallbackListOptions) {
    for (const cb of callbacks) {
      if (!(cb instanceof Callback)) throw new TypeError(`callbacks must be tf.keras.callbacks.Callback instances; got ${String(cb)}`);
    }
    this.callbacks = [...callbacks];
    this.history = this.callbacks.find((cb): cb is History => cb instanceof History);
    if (this.history === undefined && options.addHistory) this.callbacks.push((this.history = new History()));
    this.progbar = this.callbacks.find((cb): cb is ProgbarLogger => cb instanceof ProgbarLogger);
    if (this.progbar === undefined && options.addProgbar) this.callbacks.push((this.progbar = new ProgbarLogger(options.stream)));
    const params: CallbackParams = { verbose: options.verbose, epochs: options.epochs, steps: options.steps };
    for (const cb of this.callbacks) {
      cb.setParams(params);
      cb.setModel(options.model);
    }
    const hooks: BatchHook[] = [
      'onTrainBatchBegin',
      'onTrainBatchEnd',
      'onTestBatchBegin',
      'onTestBatchEnd',
      'onPredictBatchBegin',
      'onPredictBatchEnd',
    ];
    // The train hooks also reach callbacks that override only Keras' old names (onBatchBegin/End).
    const aliases: Partial<Record<BatchHook, 'onBatchBegin' | 'onBatchEnd'>> = {
      onTrainBatchBegin: 'onBatchBegin',
      onTrainBatchEnd: 'onBatchEnd',
    };
    const overrides = (cb: Callback, hook: BatchHook): boolean => {
      const alias = aliases[hook];
      return cb[hook] !== Callback.prototype[hook] || (alias !== undefined && cb[alias] !== Callback.prototype[alias]);
    };
    for (const hook of hooks)
      this.overriding.set(
        hook,
        this.callbacks.filter((cb) => overrides(cb, hook)),
      );
  }

  /** Whether a callback other than the progress bar (which reads only when it redraws) gets each train or test step's values. */
  readsEveryBatchLogs(kind: 'train' | 'test'): boolean {
    const callbacks = this.overriding.get(kind === 'train' ? 'onTrainBatchEnd' : 'onTestBatchEnd') as Callback[];
    return callbacks.some((cb) => cb !== this.progbar);
  }

  /** Tells every callback the steps per epoch (known after a dataset's first epoch). */
  setSteps(steps: number | null): void {
    for (const cb of this.callbacks) cb.params.steps = steps;
    this.progbar?.setTarget(steps);
  }

  private async each(call: (cb: Callback) => void | Promise<void>, callbacks: readonly Callback[] = this.callbacks): Promise<void> {
    for (const cb of callbacks) {
      const result = call(cb);
      if (isPromise(result)) await result;
    }
  }

  /** Nothing to await (undefined) when no callback overrides the hook: fit's steps then never wait on a promise. */
  private batch(hook: BatchHook, batch: number, logs?: StepLogs): Promise<void> | undefined {
    const callbacks = this.overriding.get(hook) as Callback[];
    if (callbacks.length === 0) return undefined;
    // The progress bar reads values only when it redraws; other callbacks get plain numbers.
    return this.each((cb) => cb[hook](batch, logs === undefined ? undefined : cb === this.progbar ? logs.lazy() : logs.read()), callbacks);
  }

  onTrainBegin(logs?: Logs): Promise<void> {
    return this.each((cb) => cb.onTrainBegin(logs));
  }

  onTrainEnd(logs?: Logs): Promise<void> {
    return this.each((cb) => cb.onTrainEnd(logs));
  }

  onEpochBegin(epoch: number): Promise<void> {
    return this.each((cb) => cb.onEpochBegin(epoch));
  }

  onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onEpochEnd(epoch, logs));
  }

  onTestBegin(): Promise<void> {
    return this.each((cb) => cb.onTestBegin());
  }

  onTestEnd(logs: Logs): Promise<void> {
    return this.each((cb) => cb.onTestEnd(logs));
  }

  onPredictBegin(): Promise<void> {
    return this.each((cb) => cb.onPredictBegin());
  }

  onPredictEnd(): Promise<void> {
    return this.each((cb) => cb.onPredictEnd());
  }

  onTrainBatchBegin(batch: number): Promise<void> | undefined {
    return this.batch('onTrainBatchBegin', batch);
  }

  onTrainBatchEnd(batch: number, logs: StepLogs): Promise<void> | undefined {
    return this.batch('onTrainBatchEnd', batch, logs);
  }

  onTestBatchBegin(batch: number): Promise<void> | undefined {
    return this.batch('onTestBatchBegin', batch);
  }

  onTestBatchEnd(batch: number, logs: StepLogs): Promise<void> | undefined {
    return this.batch('onTestBatchEnd', batch, logs);
  }

  onPredictBatchBegin(batch: number): Promise<void> | undefined {
    return this.batch('onPredictBatchBegin', batch);
  }

  onPredictBatchEnd(batch: number): Promise<void> | undefined {
    return this.batch('onPredictBatchEnd', batch);
  }
}
