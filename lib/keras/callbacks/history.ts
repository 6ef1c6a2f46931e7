// keras.callbacks.History: what fit() returns — every epoch's logs, by key.
import { Callback, type Logs } from './callback';

export class History extends Callback {
  /** Per key ('loss', 'val_loss', 'accuracy', ...), one value per epoch. */
  readonly history: Record<string, number[]> = {};
  /** The epoch indices that ran. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
    (this.model as { history?: History }).history = this;
  }
}
