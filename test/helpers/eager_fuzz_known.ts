// Ops whose eager kernels kill the process on some inputs in Python TF's eager mode as well (each
// replayed there with eager_fuzz_replay.py), where no check before TFE_Execute catches the input
// (their shape functions do not): the fuzz tolerates their deaths, and docs/RELIABILITY.md lists them.
export const TF_EAGER_DEATHS: Readonly<Record<string, string>> = {
  AudioSpectrogram: 'std::bad_alloc: memory in proportion to window_size (its shape function catches other cases)',
  Batch: 'CHECK env.cc:84: a thread per num_batch_threads, pthread_create fails',
  ConjugateTranspose: 'CHECK tensor.cc:1593 (DataTypeCanUseMemcpy): a string input',
  CreateSummaryDbWriter: 'CHECK tensor.cc:904: a non-scalar input read as a scalar',
  CustomAggregator: 'CHECK tensor_shape.cc:204: a negative dim from its attrs',
  DebugIdentityV3: 'SIGSEGV',
  FixedUnigramCandidateSampler: 'std::bad_alloc: memory in proportion to range_max (its shape function catches other cases)',
  LoadAndRemapMatrix: 'CHECK tensor_shape.cc:47: a scalar where a vector belongs (its shape function catches other cases)',
  MultiDeviceIteratorGetNextFromShard: 'CHECK tensor.cc:904: a non-scalar input read as a scalar',
  MultiDeviceIteratorInit: 'CHECK tensor.cc:904: a non-scalar input read as a scalar',
  RaggedTensorToVariantGradient: 'CHECK tensor_shape.cc:47: a scalar where a vector belongs (its shape function catches other cases)',
  RandomIndexShuffle: 'std::bad_alloc: memory in proportion to the rounds attr',
  RandomShuffleQueueV2: 'std::bad_alloc: memory in proportion to its capacity attr',
  RemoteCall: 'CHECK tensor.cc:904: a non-scalar target read as a scalar',
  ResourceGather: "CHECK tensor.cc:890: dtype differs from the variable's",
  ResourceGatherNd: "CHECK tensor.cc:890: dtype differs from the variable's",
  ResourceScatterNdAdd: "CHECK tensor.cc:896: dtype differs from the variable's",
  ResourceScatterNdMax: "CHECK tensor.cc:896: dtype differs from the variable's",
  ResourceScatterNdMin: "CHECK tensor.cc:896: dtype differs from the variable's",
  ResourceScatterNdSub: "CHECK tensor.cc:896: dtype differs from the variable's",
  ResourceScatterNdUpdate: "CHECK tensor.cc:896: dtype differs from the variable's",
  Skipgram: "SIGSEGV in the kernel's constructor on an empty file",
  TensorArrayV3: 'std::bad_alloc: memory in proportion to its size input',
  TensorListGetItem: 'CHECK tensor.cc:904: a non-scalar input read as a scalar',
  TensorListResize: 'std::bad_alloc: memory in proportion to its size input',
  TensorListSetItem: 'std::length_error: a negative index with resize_if_index_out_of_bounds',
  Unbatch: 'CHECK tensor_shape.cc:362: a dim past the rank of its input',
  XlaDynamicSlice: 'SIGSEGV (its shape function catches other cases)',
  XlaReplicaId: 'SIGSEGV: no XLA device context',
  XlaSvd: 'std::bad_alloc compiling it',
};

/**
 * TF deaths known by where they happen rather than by op: any XLA-compiled op, once an earlier XLA
 * op has compiled, can CHECK-fail hashing a string constant for its compilation cache (replayed in
 * Python: XlaCallModule, then XlaScatter).
 */
export const TF_EAGER_DEATH_FRAMES: readonly RegExp[] = [/DeviceCompilationClusterSignature::Hash/];
