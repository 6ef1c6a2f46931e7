// The optimizer's learning rate in one place: the float32 resource variable the apply ops read,
// its schedule, and the step each update takes. `iterations` is the one step count; the host keeps a
// private copy of it, checked against the variable's write count, so that a scheduled update costs
// no extra session run and no outside code ever has to resynchronize it.
import { TensorSpec, executingEagerly, hostInput } from '../../function';
import { AddV2, Cast } from '../../ops/generated';
import { Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { LearningRateLike, resolveLearningRate } from './schedules';

const NOT_SETTABLE =
  'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, ' +
  'hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate ' +
  'the optimizer with a float `learning_rate` argument.';

/** `optimizer.iterations`: the int64 count of updates applied (read as a number). */
export class IterationsVariable extends Variable {
  constructor(name: string) {
    super(BigInt(0), { name, trainable: false, dtype: 'int64' });
  }

  override numpy(): number {
    return Number(super.numpy());
  }
}

/**
 * `optimizer.learningRate`: a float32 variable read by the apply ops. With a schedule, reading it
 * gives the rate of the next update (as Keras computes it) and assigning it is a TypeError.
 */
export class LearningRateVariable extends Variable {
  readonly schedule: Exclude<LearningRateLike, number> | undefined;
  /** Completed updates as the host knows them; valid while `iterations.writeCount === knownWrites`. */
  private step = 0;
  private knownWrites = -1;
  /** Scheduled updates whose run has started but not finished (async steps in flight). */
  private inFlight = 0;

  constructor(
    name: string,
    learningRate: LearningRateLike,
    private readonly iterations: IterationsVariable,
  ) {
    const schedule = typeof learningRate === 'number' ? undefined : learningRate;
    // A scheduled rate is written before each update; until then the variable holds 0.
    super(Math.fround(schedule === undefined ? (learningRate as number) : 0), { name, trainable: false, dtype: 'float32' });
    this.schedule = schedule;
  }

  /** Updates completed so far: the host copy, read again from `iterations` after any other write to it. */
  private completedSteps(): number {
    if (this.iterations.writeCount !== this.knownWrites) {
      this.step = this.iterations.numpy();
      this.knownWrites = this.iterations.writeCount;
    }
    return this.step;
  }

  /** The learning rate the next update uses. */
  override numpy(): number {
    if (this.schedule !== undefined) return Math.fround(resolveLearningRate(this.schedule, this.completedSteps()));
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

  /**
   * Adds one update to the tf.function being traced: the scheduled rate is written (a host input,
   * evaluated at the step this run will be), `apply` adds the update ops given the rate and the
   * 1-based step, then `iterations += 1`. All of it runs in the caller's one session run.
   */
  addUpdate(apply: (learningRate: Tensor, localStep: Tensor) => void): void {
    if (executingEagerly()) throw new TypeError('LearningRateVariable.addUpdate() builds graph ops: call it while tracing');
    const schedule = this.schedule;
    if (schedule !== undefined) {
      const rate = hostInput(new TensorSpec([], 'float32', 'scheduled_learning_rate'), {
        // Steps in flight together (callAsync) each reserve their own step of the schedule.
        value: () => {
          const value = Math.fround(resolveLearningRate(schedule, this.completedSteps() + this.inFlight));
          this.inFlight += 1;
          return value;
        },
        // The run wrote iterations once (below): the host copy follows without a read.
        commit: () => {
          this.inFlight -= 1;
          this.step += 1;
          this.knownWrites += 1;
        },
        abort: () => void (this.inFlight -= 1),
      });
      super.assign(rate);
    }
    const learningRate = this.value();
    apply(learningRate, Cast({ x: AddV2({ x: this.iterations.value(), y: BigInt(1) }), DstT: 'float32' }));
    this.iterations.assignAdd(BigInt(1));
  }
}
