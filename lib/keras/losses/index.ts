// tf.keras.losses: loss classes, the per-sample functions, and `get` for compile().
import { Tensor } from '../../tensor';
import { CrossentropyOptions, binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy } from './losses';
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

export class MeanSquaredError extends LossFunctionWrapper {
  constructor(options: LossOptions = {}) {
    super(meanSquaredError, { name: 'mean_squared_error', ...options });
  }
}

export class MeanAbsoluteError extends LossFunctionWrapper {
  constructor(options: LossOptions = {}) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...options });
  }
}

function splitOptions(options: CrossentropyLossOptions, name: string): [LossOptions, CrossentropyOptions] {
  const { fromLogits = false, labelSmoothing = 0, ...lossOptions } = options;
  return [{ name, ...lossOptions }, { fromLogits, labelSmoothing }];
}

export class BinaryCrossentropy extends LossFunctionWrapper<CrossentropyOptions> {
  constructor(options: CrossentropyLossOptions = {}) {
    super(binaryCrossentropy, ...splitOptions(options, 'binary_crossentropy'));
  }
}

export class CategoricalCrossentropy extends LossFunctionWrapper<CrossentropyOptions> {
  constructor(options: CrossentropyLossOptions = {}) {
    super(categoricalCrossentropy, ...splitOptions(options, 'categorical_crossentropy'));
  }
}

export class SparseCategoricalCrossentropy extends LossFunctionWrapper<Pick<CrossentropyOptions, 'fromLogits'>> {
  constructor(options: LossOptions & Pick<CrossentropyOptions, 'fromLogits'> = {}) {
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

const CLASSES: ReadonlyMap<string, new () => Loss> = new Map<string, new () => Loss>([
  ['MeanSquaredError', MeanSquaredError],
  ['MeanAbsoluteError', MeanAbsoluteError],
  ['BinaryCrossentropy', BinaryCrossentropy],
  ['CategoricalCrossentropy', CategoricalCrossentropy],
  ['SparseCategoricalCrossentropy', SparseCategoricalCrossentropy],
]);

export type LossIdentifier = string | Loss | LossFunction;

/** Keras' `losses.get` as compile() uses it: a Loss from a name, a class name, a function or a Loss. */
export function get(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier, { name: identifier.name || undefined });
  if (typeof identifier === 'string') {
    const fn = FUNCTIONS.get(identifier);
    if (fn !== undefined) return new LossFunctionWrapper(fn, { name: identifier });
    const cls = CLASSES.get(identifier);
    if (cls !== undefined) return new cls();
  }
  throw new RangeError(`Could not interpret loss identifier: ${String(identifier)}`);
}
