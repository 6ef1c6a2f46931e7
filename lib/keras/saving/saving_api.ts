// Keras' saving_api: model.save / load_model / save_weights / load_weights, by the path's extension.
import type { Model } from '../models/model';
import { describeValue } from '../utils/argument_validation';
import { kerasFileWeights, loadKerasFile, LoadModelOptions, saveKerasFile } from './keras_file';
import { loadWeightsFromStore, loadWeightsOnly, saveWeightsOnly } from './weights_file';
import { loadCheckpointWeights, saveCheckpointWeights } from './checkpoint_weights';

function checkPath(path: unknown, what: string): asserts path is string {
  if (typeof path !== 'string' || path === '') throw new TypeError(`${what} takes a non-empty file path. Received: ${describeValue(path)}`);
}

/** Keras' `keras.saving.save_model(model, 'm.keras')`: only the .keras format. */
export async function saveModel(model: Model, path: string): Promise<void> {
  checkPath(path, 'save()');
  if (!path.endsWith('.keras')) {
    throw new RangeError(
      `Invalid filepath extension for saving. Please add a \`.keras\` extension to the path (this port writes Keras 3's format only; ` +
        `use saveWeights() for '.weights.h5' files or TF checkpoints). Received: filepath=${path}`,
    );
  }
  await saveKerasFile(model, path);
}

/** Keras' `keras.saving.load_model('m.keras', {customObjects, compile})`. */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  checkPath(path, 'loadModel()');
  if (!path.endsWith('.keras')) {
    throw new RangeError(
      `File format not supported: filepath=${path}. This port loads Keras 3 \`.keras\` files; ` +
        'weights alone (.weights.h5, TF checkpoints) load into a model with model.loadWeights().',
    );
  }
  return loadKerasFile(path, options);
}

/** `.weights.h5`: Keras 3's HDF5 layout; any other path: a TF checkpoint at that prefix. */
export async function saveWeights(model: Model, path: string): Promise<void> {
  checkPath(path, 'saveWeights()');
  if (path.endsWith('.keras')) throw new RangeError(`saveWeights() does not write .keras files (use save()). Received: filepath=${path}`);
  if (path.endsWith('.weights.h5')) await saveWeightsOnly(model, path);
  else saveCheckpointWeights(model, path);
}

/** From a `.weights.h5` file, the weights of a `.keras` file, or a TF checkpoint prefix. */
export async function loadWeights(model: Model, path: string): Promise<void> {
  checkPath(path, 'loadWeights()');
  if (path.endsWith('.weights.h5')) await loadWeightsOnly(model, path);
  else if (path.endsWith('.keras')) loadWeightsFromStore(model, await kerasFileWeights(path), path);
  else loadCheckpointWeights(model, path);
}
