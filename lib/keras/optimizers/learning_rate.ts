// The optimizer's learning rate in one place: the float32 resource variable the apply ops read,
// its schedule, and the step each update takes. `iterations` is the one step count; the host keeps a
// private copy of it, checked against the variable's write count, so that a scheduled update costs
// no extra session run and no outside code ever has to resynchronize it.
import { TensorSpec, executingEagerly, hostInput } from '../../function';
import { AddV2, Assert, Cast, GreaterEqual, IsFinite, LogicalAnd, Sub } from '../../ops/generated';
import { HostValue } from '../../host_data';
import { constantTensor } from '../../ops/run_op';
import { Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { LearningRateLike, LearningRateSchedule, resolveLearningRate } from './schedules';

const NOT_SETTABLE =
  'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, ' +
  'hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate ' +
  'the optimizer with a float `learning_rate` argument.';

type WriteKind = 'assign' | 'assignAdd' | 'assignSub';

/**
 * A variable whose every write is checked, through assign, assignAdd and assignSub alike: eagerly on
 * the host before anything changes, and inside a tf.function by an `Assert` that fails the run first.
 */
abstract class CheckedVariable extends Variable {
  /** Why a value is refused (the run-time message). */
  protected abstract readonly refusal: string;

  /** The host value to store for `value` (the result of a write of `kind`), or a RangeError. */
  protected abstract checkHost(value: number | bigint, kind: WriteKind): number | bigint;

  /** Inside a trace: whether `value` may be stored. */
  protected abstract validInGraph(value: Tensor): Tensor;

  /** Called before every write (e.g. to refuse all of them). */
  protected beforeWrite(): void {}

  /** A traced write that needs no check (the optimizer's own `iterations += 1`). */
  protected trusted(_kind: WriteKind, _value: TensorLike): boolean {
    return false;
  }

  override assign(value: TensorLike): this {
    return this.checkedWrite('assign', value);
  }

  override assignAdd(delta: TensorLike): this {
    return this.checkedWrite('assignAdd', delta);
  }

  override assignSub(delta: TensorLike): this {
    return this.checkedWrite('assignSub', delta);
  }

  private checkedWrite(kind: WriteKind, value: TensorLike): this {
    this.beforeWrite();
    if (executingEagerly()) {
      const after = this.valueAfter(kind, value);
      const host = after instanceof Tensor && after.rank === 0 ? after.numpy() : after;
      // Anything but a scalar number fails its own conversion or shape check in Variable.assign.
      if (typeof host !== 'number' && typeof host !== 'bigint') return super.assign(after);
      return super.assign(this.checkHost(host, kind));
    }
    if (this.trusted(kind, value)) return kind === 'assignAdd' ? super.assignAdd(value) : super.assign(value);
    const after = this.valueAfter(kind, value);
    const tensor = after instanceof Tensor ? after : constantTensor(after as HostValue, this.dtype);
    Assert({ condition: this.validInGraph(tensor), data: [this.refusal, tensor] });
    return super.assign(tensor);
  }

  /** The value after a write of `kind`: a host value or eager tensor when eager, graph ops when tracing. */
  private valueAfter(kind: WriteKind, value: TensorLike): TensorLike {
    if (kind === 'assign') return value;
    const delta = value instanceof Tensor ? value : constantTensor(value as HostValue, this.dtype);
    return kind === 'assignAdd' ? AddV2({ x: this.value(), y: delta }) : Sub({ x: this.value(), y: delta });
  }
}

/** `optimizer.iterations`: the int64 count of updates applied (read as a number); never negative. */
export class IterationsVariable extends CheckedVariable {
  protected readonly refusal = 'optimizer.iterations must stay a non-negative integer';

  constructor(name: string) {
    super(BigInt(0), { name, trainable: false, dtype: 'int64' });
  }

  override numpy(): number {
    return Number(super.numpy());
  }

  protected checkHost(value: number | bigint, kind: WriteKind): bigint {
    if ((typeof value === 'bigint' && value >= 0n) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0))
      return BigInt(value);
    throw new RangeError(`${this.refusal}. Received: ${String(value)} (after ${kind})`);
  }

  protected validInGraph(value: Tensor): Tensor {
    return GreaterEqual({ x: value, y: BigInt(0) });
  }

  protected override trusted(kind: WriteKind, value: TensorLike): boolean {
    return kind === 'assignAdd' && typeof value === 'bigint' && value >= 0n;
  }
}

/** `value` as the float32 the variable will hold, or a RangeError (NaN, infinite, negative, or overflowing float32). */
function checkedRate(value: number | bigint): number {
  const rate = Number(value);
  if (!(typeof value === 'number' && Number.isFinite(Math.fround(rate)) && rate >= 0)) {
    const why = typeof value === 'number' && Number.isFinite(rate) && rate >= 0 ? ' (it overflows float32)' : '';
    throw new RangeError(`The learning rate must be a finite, non-negative number. Received: ${String(value)}${why}`);
  }
  return Math.fround(rate);
}

/**
 * `optimizer.learningRate`: a float32 variable read by the apply ops. With a schedule, reading it
 * gives the rate of the next update (as Keras computes it) and assigning it is a TypeError.
 */
export class LearningRateVariable extends CheckedVariable {
  protected readonly refusal = 'The learning rate must be a finite, non-negative number';
  private schedule_: Exclude<LearningRateLike, number> | undefined;
  /** Whether an update reading this variable was built (a trace bakes in whether a schedule writes it). */
  private updateBuilt = false;
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
    super(schedule === undefined ? checkedRate(learningRate as number) : 0, { name, trainable: false, dtype: 'float32' });
    this.schedule_ = schedule;
  }

  get schedule(): Exclude<LearningRateLike, number> | undefined {
    return this.schedule_;
  }

  /**
   * Keras' `optimizer.learning_rate = schedule`: the schedule (or function of the step) replaces the
   * rate. Only before the first update is built: traced updates read the variable without writing
   * it, and would go on using the old rate (Keras' TF backend does, silently).
   */
  setSchedule(schedule: Exclude<LearningRateLike, number>): void {
    if (!(schedule instanceof LearningRateSchedule) && typeof schedule !== 'function') {
      throw new TypeError(
        `The learning rate must be a number, a Tensor, a LearningRateSchedule or a function. Received: ${String(schedule)}`,
      );
    }
    if (this.updateBuilt) {
      throw new TypeError(
        "An optimizer's learning rate can become a schedule only before its first update: the updates already built read " +
          'the learning-rate variable. Create a new optimizer with `learningRate: schedule` (and compile again).',
      );
    }
    this.schedule_ = schedule;
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

  protected override beforeWrite(): void {
    if (this.schedule !== undefined) throw new TypeError(NOT_SETTABLE);
  }

  protected checkHost(value: number | bigint): number {
    return checkedRate(value);
  }

  protected validInGraph(value: Tensor): Tensor {
    return LogicalAnd({ x: IsFinite({ x: value }), y: GreaterEqual({ x: value, y: 0 }) });
  }

  /**
   * Adds one update to the tf.function being traced: the scheduled rate is written (a host input,
   * evaluated at the step this run will be), `apply` adds the update ops given the rate and the
   * 1-based step, then `iterations += 1`. All of it runs in the caller's one session run.
   */
  addUpdate(apply: (learningRate: Tensor, localStep: Tensor) => void): void {
    if (executingEagerly()) throw new TypeError('LearningRateVariable.addUpdate() builds graph ops: call it while tracing');
    this.updateBuilt = true;
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
      // Written past the checks: the schedule's value was checked on the host, and assign() refuses schedules.
      Variable.prototype.assign.call(this, rate);
    }
    const learningRate = this.value();
    apply(learningRate, Cast({ x: AddV2({ x: this.iterations.value(), y: BigInt(1) }), DstT: 'float32' }));
    this.iterations.assignAdd(BigInt(1));
  }
}
