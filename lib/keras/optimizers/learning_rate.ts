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
import { LearningRateLike, resolveLearningRate } from './schedules';

const NOT_SETTABLE =
  'This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, ' +
  'hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate ' +
  'the optimizer with a float `learning_rate` argument.';

type WriteKind = 'assign' | 'assignAdd' | 'assignSub';

/**
 * The value `variable` would hold after a write of `kind`: computed on the host when eager (to be
 * checked before anything changes), as graph ops when tracing (checked at run time by `Assert`).
 */
function valueAfter(variable: Variable, kind: WriteKind, value: TensorLike): TensorLike {
  if (kind === 'assign') return value;
  const delta = value instanceof Tensor ? value : constantTensor(value as HostValue, variable.dtype);
  if (kind === 'assignAdd') return AddV2({ x: variable.value(), y: delta });
  return Sub({ x: variable.value(), y: delta });
}

/** Inside a trace: `value`, after an op that fails the run (before any later write) unless `ok` holds. */
function assertedInTrace(value: Tensor, ok: Tensor, message: string): Tensor {
  Assert({ condition: ok, data: [message, value] });
  return value;
}

/** `optimizer.iterations`: the int64 count of updates applied (read as a number); never negative. */
export class IterationsVariable extends Variable {
  constructor(name: string) {
    super(BigInt(0), { name, trainable: false, dtype: 'int64' });
  }

  override numpy(): number {
    return Number(super.numpy());
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
    const message = 'optimizer.iterations must stay a non-negative integer';
    if (executingEagerly()) {
      const after = valueAfter(this, kind, value);
      const result = after instanceof Tensor && after.rank === 0 ? after.numpy() : after;
      if (typeof result !== 'number' && typeof result !== 'bigint') return super.assign(after);
      if (!((typeof result === 'bigint' && result >= 0n) || (typeof result === 'number' && Number.isSafeInteger(result) && result >= 0))) {
        throw new RangeError(`${message}. Received: ${String(result)} (after ${kind})`);
      }
      super.assign(typeof result === 'number' ? BigInt(result) : (result as bigint));
      return this;
    }
    // The optimizer's own `+= 1` needs no check; anything else written inside a tf.function does.
    if (kind === 'assignAdd' && typeof value === 'bigint' && value >= 0n) return super.assignAdd(value);
    const after = valueAfter(this, kind, value) as Tensor;
    super.assign(assertedInTrace(after, GreaterEqual({ x: after, y: BigInt(0) }), message));
    return this;
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
    super(schedule === undefined ? checkedRate(learningRate as number) : 0, { name, trainable: false, dtype: 'float32' });
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
    return this.checkedWrite('assign', value);
  }

  override assignAdd(delta: TensorLike): this {
    return this.checkedWrite('assignAdd', delta);
  }

  override assignSub(delta: TensorLike): this {
    return this.checkedWrite('assignSub', delta);
  }

  /** Every write, eager or traced, keeps the rate a finite non-negative float32 (checked in float32 terms). */
  private checkedWrite(kind: WriteKind, value: TensorLike): this {
    if (this.schedule !== undefined) throw new TypeError(NOT_SETTABLE);
    if (executingEagerly()) {
      const after = valueAfter(this, kind, value);
      // Numbers and eager scalars are checked here; anything else fails its conversion or shape check.
      const rate = after instanceof Tensor && after.rank === 0 ? after.numpy() : after;
      if (typeof rate === 'number' || typeof rate === 'bigint') return super.assign(checkedRate(rate));
      return super.assign(after);
    }
    const after = valueAfter(this, kind, value);
    const tensor = after instanceof Tensor ? after : constantTensor(after as HostValue, 'float32');
    const ok = LogicalAnd({ x: IsFinite({ x: tensor }), y: GreaterEqual({ x: tensor, y: 0 }) });
    return super.assign(assertedInTrace(tensor, ok, 'The learning rate must be a finite, non-negative number'));
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
