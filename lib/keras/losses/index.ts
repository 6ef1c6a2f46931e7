// tf.keras.losses: loss classes, the per-sample functions, `get` for compile(), serialize/deserialize.
import { Tensor } from '../../tensor';
import { getRegisteredObject } from '../saving/object_registration';
import {
  deserializeKerasObject,
  kerasExport,
  serializeKerasObject,
  SerializedKerasObject,
  SerializedLike,
} from '../saving/serialization_lib';
import { isPlainObject, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import {
  CrossentropyOptions,
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from './losses';
import { Loss, LossFunctionWrapper, LossOptions } from './loss';

export { Loss, LossFunctionWrapper, type LossOptions, type Reduction } from './loss';
export {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  type CrossentropyOptions,
} from './losses';

export type CrossentropyLossOptions = LossOptions & CrossentropyOptions;

/** Keras' leading parameters of the losses without options of their own. */
const LOSS_POSITIONAL = ['reduction', 'name'] as const;
const CROSSENTROPY_POSITIONAL = ['fromLogits', 'labelSmoothing'] as const;

export class MeanSquaredError extends LossFunctionWrapper {
  static override readonly positional: readonly string[] = LOSS_POSITIONAL;
  constructor(...args: PositionalArgs<LossOptions, typeof LOSS_POSITIONAL>) {
    super(meanSquaredError, { name: 'mean_squared_error', ...positionalOptions<LossOptions>(new.target, args) });
  }
}

export class MeanAbsoluteError extends LossFunctionWrapper {
  static override readonly positional: readonly string[] = LOSS_POSITIONAL;
  constructor(...args: PositionalArgs<LossOptions, typeof LOSS_POSITIONAL>) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...positionalOptions<LossOptions>(new.target, args) });
  }
}

function splitOptions(options: CrossentropyLossOptions, name: string): [LossOptions, CrossentropyOptions] {
  const { fromLogits = false, labelSmoothing = 0, ...lossOptions } = options;
  return [
    { name, ...lossOptions },
    { fromLogits, labelSmoothing },
  ];
}

export class BinaryCrossentropy extends LossFunctionWrapper<CrossentropyOptions> {
  static override readonly optionKeys: readonly string[] = [...Loss.optionKeys, 'fromLogits', 'labelSmoothing'];
  static override readonly positional: readonly string[] = CROSSENTROPY_POSITIONAL;
  constructor(...args: PositionalArgs<CrossentropyLossOptions, typeof CROSSENTROPY_POSITIONAL>) {
    super(binaryCrossentropy, ...splitOptions(positionalOptions(new.target, args), 'binary_crossentropy'));
  }
}

export class CategoricalCrossentropy extends LossFunctionWrapper<CrossentropyOptions> {
  static override readonly optionKeys: readonly string[] = [...Loss.optionKeys, 'fromLogits', 'labelSmoothing'];
  static override readonly positional: readonly string[] = CROSSENTROPY_POSITIONAL;
  constructor(...args: PositionalArgs<CrossentropyLossOptions, typeof CROSSENTROPY_POSITIONAL>) {
    super(categoricalCrossentropy, ...splitOptions(positionalOptions(new.target, args), 'categorical_crossentropy'));
  }
}

export class SparseCategoricalCrossentropy extends LossFunctionWrapper<Pick<CrossentropyOptions, 'fromLogits'>> {
  static override readonly optionKeys: readonly string[] = [...Loss.optionKeys, 'fromLogits'];
  static override readonly positional: readonly string[] = ['fromLogits'];
  constructor(...args: PositionalArgs<LossOptions & Pick<CrossentropyOptions, 'fromLogits'>, ['fromLogits']>) {
    const options = positionalOptions<LossOptions & Pick<CrossentropyOptions, 'fromLogits'>>(new.target, args);
    const { fromLogits = false, ...lossOptions } = options;
    super(sparseCategoricalCrossentropy, { name: 'sparse_categorical_crossentropy', ...lossOptions }, { fromLogits });
  }
}

type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

const FUNCTIONS: ReadonlyMap<string, LossFunction> = new Map<string, LossFunction>([
  ['mean_squared_error', meanSquaredError],
  ['mse', meanSquaredError],
  ['mean_absolute_error', meanAbsoluteError],
  ['mae', meanAbsoluteError],
  ['binary_crossentropy', binaryCrossentropy],
  ['categorical_crossentropy', categoricalCrossentropy],
  ['sparse_categorical_crossentropy', sparseCategoricalCrossentropy],
]);

const BUILT_INS = [MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy];
const MODULE_OBJECTS = kerasExport('keras.losses', BUILT_INS);

export type LossIdentifier = string | Loss | LossFunction | SerializedLike;

/** Keras' `losses.serialize(loss)`. */
export function serialize(loss: Loss): SerializedKerasObject {
  return serializeKerasObject(loss);
}

/** Keras' `losses.deserialize(dict)`: built-in classes, and classes registered with registerKerasSerializable(). */
export function deserialize(serialized: SerializedLike): Loss {
  return deserializeKerasObject(serialized, { moduleObjects: MODULE_OBJECTS, what: 'loss', base: Loss });
}

/**
 * Keras' `losses.get` as compile() uses it: a Loss from a function name ('mse'), a class name or
 * registered name (a registered function is wrapped), a serialized dict, a function or a Loss.
 */
export function get(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier, { name: identifier.name || undefined });
  if (isPlainObject(identifier)) return deserialize(identifier as SerializedLike);
  if (typeof identifier === 'string') {
    const fn = FUNCTIONS.get(identifier);
    if (fn !== undefined) return new LossFunctionWrapper(fn, { name: identifier });
    const found = getRegisteredObject(identifier, null, MODULE_OBJECTS);
    if (found?.prototype instanceof Loss) return new (found as new () => Loss)();
    if (typeof found === 'function') return new LossFunctionWrapper(found as LossFunction, { name: found.name || identifier });
  }
  throw new RangeError(`Could not interpret loss identifier: ${String(identifier)}`);
}
