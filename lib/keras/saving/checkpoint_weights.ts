// save_weights / load_weights to a TF checkpoint (any path not ending in .weights.h5 or .keras):
// the model and its optimizer tracked by tf.train.Checkpoint as `model` and `optimizer`.
import { Checkpoint } from '../../train/checkpoint';
import type { Model } from '../models/model';

function checkpointOf(model: Model): Checkpoint {
  return new Checkpoint(model.compiled ? { model, optimizer: model.optimizer } : { model });
}

/** Writes the model's (and its optimizer's) variables to the TF checkpoint at `path`, atomically. */
export function saveCheckpointWeights(model: Model, path: string): void {
  checkpointOf(model).write(path);
}

/** Restores them from the checkpoint at `path`: all or nothing. */
export function loadCheckpointWeights(model: Model, path: string): void {
  checkpointOf(model).restore(path);
}
