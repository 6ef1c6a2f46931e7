// tf.distribute: TensorFlow's own distributed runtime (gRPC servers, collective ops).
export { Server, ServerOptions, ALLOW_NETWORK_ENV } from './server';
export { ClusterSpec, ClusterDict } from './cluster_spec';
export * as clusterResolver from './cluster_resolver';
export {
  MultiWorkerMirroredStrategy,
  MultiWorkerMirroredStrategyOptions,
  CommunicationOptions,
  ReduceOp,
} from './multi_worker_mirrored_strategy';
export { MirroredStrategy, MirroredStrategyOptions, PerReplica } from './mirrored_strategy';
