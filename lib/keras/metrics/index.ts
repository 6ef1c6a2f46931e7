// tf.keras.metrics: metric classes and functions, and `get` for compile() (with Keras' resolution of
// 'accuracy' from the shapes of the targets and predictions).
import { Shape } from '../../tensor';
import { getRegisteredObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { isPlainObject, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { meanAbsoluteError, meanSquaredError } from '../losses/losses';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy';
import { Mean, MeanMetricWrapper, MetricFunction } from './mean';
import { Metric, MetricOptions } from './metric';

export { Metric, type MetricOptions } from './metric';
export { Mean, MeanMetricWrapper, type MetricFunction } from './mean';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy';
import { METRIC_POSITIONAL } from './mean';
export { meanAbsoluteError, meanSquaredError } from '../losses/losses';

export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', direction: 'down', ...positionalOptions<MetricOptions>(new.target, args) });
  }
}

export class MeanSquaredError extends MeanMetricWrapper {
  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super(meanSquaredError, { name: 'mean_squared_error', direction: 'down', ...positionalOptions<MetricOptions>(new.target, args) });
  }
}

const FUNCTIONS: ReadonlyMap<string, [MetricFunction, 'up' | 'down']> = new Map<string, [MetricFunction, 'up' | 'down']>([
  ['mean_absolute_error', [meanAbsoluteError, 'down']],
  ['mae', [meanAbsoluteError, 'down']],
  ['mean_squared_error', [meanSquaredError, 'down']],
  ['mse', [meanSquaredError, 'down']],
  ['binary_accuracy', [(t, p) => binaryAccuracy(t, p), 'up']],
  ['categorical_accuracy', [categoricalAccuracy, 'up']],
  ['sparse_categorical_accuracy', [(t, p) => sparseCategoricalAccuracy(t, p), 'up']],
]);

const BUILT_INS = [Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, Mean, MeanAbsoluteError, MeanSquaredError];
const MODULE_OBJECTS = kerasExport('keras.metrics', BUILT_INS);

export type MetricIdentifier = string | Metric | MetricFunction | SerializedLike;

/** Keras' `metrics.serialize(metric)`. */
export function serialize(metric: Metric): SerializedKerasObject {
  return serializeKerasObject(metric);
}

/** Keras' `metrics.deserialize(dict)`: built-in classes, and classes registered with registerKerasSerializable(). */
export function deserialize(serialized: SerializedLike): Metric {
  return deserializeKerasObject(serialized, { moduleObjects: MODULE_OBJECTS, what: 'metric', base: Metric });
}

/**
 * Keras' compile-time `get_metric`: 'accuracy'/'acc' becomes binary accuracy for a single output
 * unit, sparse categorical accuracy when targets have one dim less (or a last dim of 1), else
 * categorical accuracy; other names are Keras' metric names; string metrics keep the given name.
 */
export function get(identifier: MetricIdentifier, yTrueShape?: Shape, yPredShape?: Shape): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier, { name: identifier.name || undefined });
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  if (typeof identifier === 'string') {
    if (identifier.toLowerCase() === 'accuracy' || identifier.toLowerCase() === 'acc') {
      const name = identifier;
      if (yTrueShape === undefined || yPredShape === undefined) return new Accuracy({ name });
      const isBinary = yPredShape[yPredShape.length - 1] === 1;
      const isSparse =
        yTrueShape.length < yPredShape.length || (yTrueShape[yTrueShape.length - 1] === 1 && (yPredShape[yPredShape.length - 1] ?? 0) > 1);
      if (isBinary) return new BinaryAccuracy({ name });
      if (isSparse) return new SparseCategoricalAccuracy({ name });
      return new CategoricalAccuracy({ name });
    }
    const fn = FUNCTIONS.get(identifier);
    if (fn !== undefined) return new MeanMetricWrapper(fn[0], { name: identifier, direction: fn[1] });
    const found = getRegisteredObject(identifier, null, MODULE_OBJECTS);
    if (found?.prototype instanceof Metric) return new (found as new () => Metric)();
    if (typeof found === 'function') return new MeanMetricWrapper(found as MetricFunction, { name: found.name || identifier });
  }
  throw new RangeError(`Could not interpret metric identifier: ${String(identifier)}`);
}
