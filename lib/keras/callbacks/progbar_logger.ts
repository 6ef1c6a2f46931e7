// keras.callbacks.ProgbarLogger: the progress output of fit/evaluate/predict ('Epoch 1/5' and a
// Progbar per epoch; during fit, validation is not shown).
import { Callback, type CallbackParams, type Logs } from './callback';
import { Progbar, ProgressStream } from '../utils/progbar';

export class ProgbarLogger extends Callback {
  private progbar: Progbar | null = null;
  private target: number | null = null;
  private verbose = 1;
  private epochs = 1;
  private seen = 0;
  private calledInFit = false;

  constructor(private readonly stream: ProgressStream = process.stdout) {
    super();
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    this.verbose = params.verbose ?? 1;
    this.epochs = params.epochs ?? 1;
    this.target = params.steps ?? null;
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onTestBegin(): void {
    if (!this.calledInFit) this.resetProgbar();
  }

  override onPredictBegin(): void {
    this.resetProgbar();
  }

  override onEpochBegin(epoch: number): void {
    this.resetProgbar();
    if (this.verbose && this.epochs > 1) this.stream.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.updateProgbar(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateProgbar(batch, logs);
  }

  override onPredictBatchEnd(batch: number): void {
    this.updateProgbar(batch);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (!this.calledInFit) this.finalizeProgbar(logs);
  }

  override onPredictEnd(): void {
    this.finalizeProgbar();
  }

  /** The number of steps, once a dataset's first epoch has told it. */
  setTarget(steps: number | null): void {
    this.target = steps;
  }

  private resetProgbar(): void {
    this.seen = 0;
    this.progbar = new Progbar(this.target, this.verbose, this.stream);
  }

  private updateProgbar(batch: number, logs?: Logs): void {
    this.seen = batch + 1;
    // Keras times verbose-2 epochs as a whole: only a live bar records steps.
    if (this.verbose === 1) this.bar().update(this.seen, logs, false);
  }

  private finalizeProgbar(logs?: Logs): void {
    const bar = this.bar();
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.target, logs, true);
  }

  private bar(): Progbar {
    this.progbar ??= new Progbar(this.target, this.verbose, this.stream);
    return this.progbar;
  }
}
