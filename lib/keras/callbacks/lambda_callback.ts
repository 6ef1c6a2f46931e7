import { checkClassOptions, describeValue, type OptionsClass, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { Callback, type Logs } from './callback';

type HookResult = void | Promise<void>;
type LogsHook = (logs?: Logs) => HookResult;
type IndexHook = (index: number, logs?: Logs) => HookResult;

/** Keras' LambdaCallback arguments camelCased; every other Callback hook may be given too (Keras' **kwargs). */
export interface LambdaCallbackOptions {
  onEpochBegin?: IndexHook;
  onEpochEnd?: IndexHook;
  onTrainBegin?: LogsHook;
  onTrainEnd?: LogsHook;
  onTrainBatchBegin?: IndexHook;
  onTrainBatchEnd?: IndexHook;
  onBatchBegin?: IndexHook;
  onBatchEnd?: IndexHook;
  onTestBegin?: LogsHook;
  onTestEnd?: LogsHook;
  onTestBatchBegin?: IndexHook;
  onTestBatchEnd?: IndexHook;
  onPredictBegin?: LogsHook;
  onPredictEnd?: LogsHook;
  onPredictBatchBegin?: IndexHook;
  onPredictBatchEnd?: IndexHook;
}

/** Keras' leading parameters, in its order: `new LambdaCallback(onEpochBegin, onEpochEnd)`. */
const POSITIONAL = ['onEpochBegin', 'onEpochEnd', 'onTrainBegin', 'onTrainEnd', 'onTrainBatchBegin', 'onTrainBatchEnd'] as const;

/**
 * A callback made of the functions given (Keras' `keras.callbacks.LambdaCallback`): each replaces
 * the hook of its name; hooks not given do nothing. Functions may return promises, which fit() awaits.
 */
export class LambdaCallback extends Callback {
  static readonly optionKeys: readonly string[] = [
    'onEpochBegin',
    'onEpochEnd',
    'onTrainBegin',
    'onTrainEnd',
    'onTrainBatchBegin',
    'onTrainBatchEnd',
    'onBatchBegin',
    'onBatchEnd',
    'onTestBegin',
    'onTestEnd',
    'onTestBatchBegin',
    'onTestBatchEnd',
    'onPredictBegin',
    'onPredictEnd',
    'onPredictBatchBegin',
    'onPredictBatchEnd',
  ];
  static readonly positional: readonly string[] = POSITIONAL;

  constructor(...args: PositionalArgs<LambdaCallbackOptions, typeof POSITIONAL>) {
    super();
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    for (const [name, hook] of Object.entries(o)) {
      if (hook === undefined || hook === null) continue;
      if (typeof hook !== 'function')
        throw new TypeError(`LambdaCallback \`${name}\` must be a function. Received: ${describeValue(hook)}`);
      // An own property shadows the base class's no-op, so the callback list sees the hook as overridden.
      Object.defineProperty(this, name, { value: hook, writable: true, configurable: true, enumerable: false });
    }
  }
}
