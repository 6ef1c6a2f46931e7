import { LearningRateSchedule } from './learning_rate_schedule';

/** What an optimizer accepts as its learning rate. */
export type LearningRateLike = number | LearningRateSchedule | ((step: number) => number);

/**
 * The learning rate for optimizer step `step`. Checked here, before any variable is touched, so a
 * bad schedule fails loudly instead of writing NaN into the weights.
 */
export function resolveLearningRate(learningRate: LearningRateLike, step: number): number {
  if (!Number.isSafeInteger(step) || step < 0) {
    throw new RangeError(`The optimizer step must be a non-negative integer. Received: step=${String(step)}`);
  }
  let value: unknown;
  if (typeof learningRate === 'number') value = learningRate;
  else if (learningRate instanceof LearningRateSchedule) value = learningRate.call(step);
  else if (typeof learningRate === 'function') value = learningRate(step);
  else {
    throw new TypeError(
      'The learning rate must be a number, a LearningRateSchedule or a function of the step. ' + `Received: ${String(learningRate)}`,
    );
  }
  // Checked as the float32 the variable will hold: 1e39 is finite in JS but Infinity there.
  if (typeof value !== 'number' || !Number.isFinite(Math.fround(value)) || value < 0) {
    const shown =
      typeof value === 'number'
        ? `${value}${Number.isFinite(value) && value >= 0 ? ' (it overflows float32)' : ''}`
        : `${String(value)} (${typeof value})`;
    throw new RangeError(`The learning rate at step ${step} is ${shown}; it must be a finite, non-negative number.`);
  }
  return value;
}
