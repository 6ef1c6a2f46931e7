// Keras 3's save_weights_only / load_weights_only (saving_lib.py): a model's variables (and its
// optimizer's) in the HDF5 layout of h5_io_store.ts, by the walk of saveable_walk.ts.
import type { DType } from '../../dtypes';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { tensor } from '../../ops/creation';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import type { Model } from '../models/model';
import { replaceFileAtomically } from './atomic_file';
import { readWeightsStore, StoredArray, WeightsStore, writeWeightsStore } from './h5_io_store';
import { Saveable, saveablesOf } from './saveable_walk';

function requireBuilt(model: Model, doing: string): void {
  if (!model.built) {
    throw new RangeError(
      `You are ${doing} a model that has not yet been built. Try building the model first by calling it on some data or by using \`build()\`.`,
    );
  }
}

function hostArray(variable: Variable): StoredArray {
  const value = variable.value();
  const data = value.dataSync();
  if (!ArrayBuffer.isView(data))
    throw new TypeError(`Cannot save variable '${variable.name}' of dtype ${variable.dtype} in a weights file`);
  return { dtype: variable.dtype, shape: [...variable.shape], data };
}

/** The model's weights store: each saveable's name and host values. */
export function weightsStoreOf(model: Model): WeightsStore {
  requireBuilt(model, 'saving');
  const store: WeightsStore = new Map();
  for (const { path, name, variables } of saveablesOf(model)) store.set(path, { name, values: variables.map(hostArray) });
  return store;
}

/** Writes the model's weights to `path` (a `.weights.h5` file), atomically. */
export async function saveWeightsOnly(model: Model, path: string): Promise<void> {
  const store = weightsStoreOf(model);
  await replaceFileAtomically(path, (temporary) => writeWeightsStore(temporary, store));
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Why `stored` cannot go into `variable`, or undefined. */
function mismatch(stored: StoredArray, variable: Variable): string | undefined {
  if (stored.dtype !== variable.dtype) return `the file holds ${stored.dtype}, the variable is ${variable.dtype}`;
  if (stored.shape.length !== variable.shape.length || stored.shape.some((d, i) => d !== variable.shape[i])) {
    return `the file holds shape ${shapeText(stored.shape)}, the variable has shape ${shapeText(variable.shape)}`;
  }
  return undefined;
}

/** Builds an optimizer that has no slots yet when the file holds its state, as Keras' compile_from_config does. */
function buildOptimizers(model: Model, saveables: readonly Saveable[], store: WeightsStore): boolean {
  let built = false;
  for (const { path, optimizer, variables } of saveables) {
    if (optimizer === undefined || optimizer.built) continue;
    const stored = store.get(path);
    if (stored !== undefined && stored.values.length > variables.length) {
      optimizer.build(model.trainableVariables);
      built = true;
    }
  }
  return built;
}

/**
 * Assigns the weights in `store` to the model (and its optimizer). Every saveable's count, dtypes
 * and shapes are checked first; a mismatch throws before any variable changes.
 */
export function loadWeightsFromStore(model: Model, store: WeightsStore, source: string): void {
  requireBuilt(model, 'loading weights into');
  // The layers are checked before an unbuilt optimizer makes its slots, so a wrong file changes nothing.
  planAssignments(
    saveablesOf(model).filter((s) => s.optimizer === undefined),
    store,
    source,
  );
  let saveables = saveablesOf(model);
  if (buildOptimizers(model, saveables, store)) saveables = saveablesOf(model);
  const assignments = planAssignments(saveables, store, source);
  const tensors: Tensor[] = assignments.map(([, { data, shape, dtype }]) => tensor(data, shape, dtype as DType));
  try {
    assignments.forEach(([variable], i) => variable.assign(tensors[i]));
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** Each variable with the stored value it takes; throws on the first count, dtype or shape that differs. */
function planAssignments(saveables: readonly Saveable[], store: WeightsStore, source: string): [Variable, StoredArray][] {
  const assignments: [Variable, StoredArray][] = [];
  for (const { path, name, variables, optimizer } of saveables) {
    const stored = store.get(path);
    const count = stored?.values.length ?? 0;
    const what = optimizer !== undefined ? `Optimizer '${name}'` : `Layer '${name}'`;
    // An optimizer saved before it made its slots holds only iterations and the learning rate.
    const unbuiltState = optimizer !== undefined && count === (optimizer.learningRate.schedule === undefined ? 2 : 1);
    if (count !== variables.length && !unbuiltState) {
      const where = stored === undefined ? ` (the file has no group '${path === '' ? 'vars' : `${path}/vars`}')` : '';
      throw new InvalidArgumentError(
        `${what} expected ${variables.length} variables, but received ${count} variables during loading from '${source}'${where}.`,
      );
    }
    variables.slice(0, count).forEach((variable, i) => {
      const value = (stored as { values: StoredArray[] }).values[i];
      const why = mismatch(value, variable);
      if (why !== undefined) {
        throw new InvalidArgumentError(`${what}: cannot load variable ${i} ('${variable.name}') from '${source}': ${why}`);
      }
      assignments.push([variable, value]);
    });
  }
  return assignments;
}

/** Reads `path` (a `.weights.h5` file) into the model's weights and optimizer state. */
export async function loadWeightsOnly(model: Model, path: string): Promise<void> {
  requireBuilt(model, 'loading weights into');
  const store = await readWeightsStore(path);
  if (store.size === 0) throw new NotFoundError(`'${path}' holds no Keras weights (no 'vars' groups)`);
  loadWeightsFromStore(model, store, path);
}
