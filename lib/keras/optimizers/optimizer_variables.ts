// The optimizer's own variables: the learning rate (float32) and the step counter (int64), each
// with the host-side knowledge that spares the training step an extra session run.
import { context } from '../../context';
import { Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { LearningRateLike, resolveLearningRate } from './schedules';

const NOT_SETTABLE =
  'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, ' +
  'hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate ' +
  'the optimizer with a float `learning_rate` argument.';

/** `optimizer.iterations`: an int64 variable whose value the host also tracks. */
export class IterationsVariable extends Variable {
  /** Completed updates, as the host knows them (kept equal to the variable). */
  hostValue = 0;
  /** Updates whose run has started but not finished (async steps in flight). */
  inFlight = 0;

  constructor(name: string) {
    super(BigInt(0), { name, trainable: false, dtype: 'int64' });
  }

  override numpy(): number {
    return Number(super.numpy());
  }

  override assign(value: TensorLike): this {
    super.assign(value);
    this.resync();
    return this;
  }

  override assignAdd(delta: TensorLike): this {
    super.assignAdd(delta);
    this.resync();
    return this;
  }

  override assignSub(delta: TensorLike): this {
    super.assignSub(delta);
    this.resync();
    return this;
  }

  /** Re-reads the variable after an eager write (a traced write is the optimizer's own +1). */
  private resync(): void {
    if (!context.trace) this.hostValue = this.numpy();
  }
}

/**
 * `optimizer.learningRate`: a float32 variable read by the apply ops. With a schedule, reading it
 * gives the rate of the next update (as Keras computes it) and assigning it is a TypeError.
 */
export class LearningRateVariable extends Variable {
  constructor(
    name: string,
    readonly schedule: Exclude<LearningRateLike, number> | undefined,
    initial: number,
    private readonly iterations: IterationsVariable,
  ) {
    super(Math.fround(initial), { name, trainable: false, dtype: 'float32' });
  }

  /** The learning rate the next update uses. */
  override numpy(): number {
    if (this.schedule !== undefined) return Math.fround(resolveLearningRate(this.schedule, this.iterations.hostValue));
    return super.numpy() as number;
  }

  override assign(value: TensorLike): this {
    if (this.schedule !== undefined) throw new TypeError(NOT_SETTABLE);
    // Numbers and eager scalars are checked here; anything else fails its conversion or shape check.
    const rate = value instanceof Tensor && !value.isSymbolic && value.rank === 0 ? value.numpy() : value;
    if ((typeof rate === 'number' || typeof rate === 'bigint') && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0)) {
      throw new RangeError(`The learning rate must be a finite, non-negative number. Received: ${String(rate)}`);
    }
    return super.assign(value);
  }

  override assignAdd(delta: TensorLike): this {
    if (this.schedule !== undefined) throw new TypeError(NOT_SETTABLE);
    return super.assignAdd(delta);
  }

  override assignSub(delta: TensorLike): this {
    if (this.schedule !== undefined) throw new TypeError(NOT_SETTABLE);
    return super.assignSub(delta);
  }

  /** Inside a trace: the scheduled rate is written from a host-fed value first, then read. */
  writeScheduled(value: Tensor): void {
    super.assign(value);
  }
}
