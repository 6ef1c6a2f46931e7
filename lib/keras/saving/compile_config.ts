// Keras' compile config (Trainer.get_compile_config / compile_from_config): what compile() was
// given, serialized, saved in a .keras file so that the loaded model is compiled the same.
import { Loss } from '../losses/loss';
import { Metric } from '../metrics/metric';
import type { Model } from '../models/model';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import { serializeKerasObject } from './serialization_lib';

function serializeEntry(value: unknown, what: string): unknown {
  if (typeof value === 'string' || isPlainObject(value)) return value;
  if (value instanceof Loss || value instanceof Metric) return serializeKerasObject(value);
  if (typeof value === 'function' && value.name !== '') return value.name;
  throw new TypeError(`Cannot save the compile config: the ${what} ${describeValue(value)} cannot be serialized`);
}

/** A loss or metrics entry as Keras saves it: each leaf serialized, lists and dicts by output kept. */
function serializeNested(value: unknown, what: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => serializeNested(v, what));
  if (isPlainObject(value) && !('class_name' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serializeNested(v, what)]));
  }
  return serializeEntry(value, what);
}

/** Keras' get_compile_config: null for a model that was not compiled. */
export function compileConfigOf(model: Model): Record<string, unknown> | null {
  const args = model.compileArguments;
  if (args === null) return null;
  return {
    optimizer: serializeKerasObject(model.optimizer),
    loss: serializeNested(args.loss, 'loss'),
    loss_weights: args.lossWeights === undefined ? null : args.lossWeights,
    metrics: serializeNested(args.metrics, 'metric'),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** Entries Keras saves that this port takes only at the value that turns them off (run_eagerly and jit_compile change no result). */
const FIXED: Readonly<Record<string, unknown>> = { weighted_metrics: null, steps_per_execution: 1 };
const IGNORED = new Set(['run_eagerly', 'jit_compile', 'auto_scale_loss']);

/** Keras' compile_from_config: compiles `model` as the config says, then builds the optimizer for its variables. */
export function compileFromConfig(model: Model, config: unknown): void {
  if (!isPlainObject(config)) throw new TypeError(`A compile_config must be an object. Received: ${describeValue(config)}`);
  for (const [key, value] of Object.entries(config)) {
    if (key === 'optimizer' || key === 'loss' || key === 'loss_weights' || key === 'metrics' || IGNORED.has(key)) continue;
    if (!Object.hasOwn(FIXED, key)) throw new RangeError(`Unknown compile_config entry '${key}'.`);
    if (value !== FIXED[key] && value !== undefined) {
      throw new RangeError(
        `compile() does not support \`${key}\` other than ${describeValue(FIXED[key])}. Received: ${key}=${describeValue(value)}`,
      );
    }
  }
  const { optimizer, loss, metrics, loss_weights: lossWeights } = config;
  model.compile({
    optimizer: optimizer as never,
    ...(loss === null || loss === undefined ? {} : { loss: loss as never }),
    ...(lossWeights === null || lossWeights === undefined ? {} : { lossWeights: lossWeights as never }),
    ...(metrics === null || metrics === undefined ? {} : { metrics: metrics as never }),
  });
  if (model.built) model.optimizer.build(model.trainableVariables);
}
