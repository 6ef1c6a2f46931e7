// tf.train: checkpoints.
export {
  Checkpoint,
  CheckpointEntry,
  NamedVariables,
  Trackable,
  listVariables,
  loadVariables,
  readCheckpointIndex,
  saveVariables,
} from './checkpoint';
