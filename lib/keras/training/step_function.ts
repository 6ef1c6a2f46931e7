// Keras' _make_function, for train, test and predict alike: the step traced as one tf.function with
// reduce_retracing (the first batch shape gets static shapes, so grappler folds the shape arithmetic
// of the gradients; another batch size gets one trace with a free batch dim), traced again only when
// the model's layer graph changes.
import { Structure, tfFunction, TracedFunction } from '../../function';
import type { Tensor } from '../../tensor';
import type { Model } from '../models/model';

export class StepFunction<A extends Tensor[], R extends Structure> {
  private fn?: TracedFunction<A, R>;
  private version = -1;
  private disposed = false;

  constructor(
    private readonly model: Model,
    private readonly kind: 'train' | 'test' | 'predict',
    private readonly step: (...args: A) => R,
  ) {}

  /** The traced step for the model as it is now. */
  get function(): TracedFunction<A, R> {
    if (this.disposed) throw new Error(`Model '${this.model.name}' was disposed`);
    if (this.fn === undefined || this.version !== this.model.graphVersion) {
      this.fn = tfFunction<A, R>(this.step as (...args: Tensor[]) => R, {
        reduceRetracing: true,
        name: `${this.model.name}_${this.kind}_step`,
      });
      this.version = this.model.graphVersion;
    }
    return this.fn;
  }

  /** Frees the traced step; later use throws. */
  dispose(): void {
    this.disposed = true;
    this.fn?.dispose();
    this.fn = undefined;
  }
}
