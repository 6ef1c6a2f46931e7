// The addon's surface, typed, and the loaded instance. The addon is 1:1 with C API concepts; policy lives in TS.
import { PACKAGE_ROOT, loadAddon } from './loader';
import { loadOpLibrary } from './op_library';

/** A graph output: operation plus output index (the C API's TF_Output). */
export interface NativeOutput {
  op: NativeOperation;
  index: number;
}

export type NativeAttrValue = unknown;
export type NativeAttr = readonly [name: string, kind: string, value: NativeAttrValue];

/** What graph and eager op specs share (native/op_spec.h); an array input is a list arg. */
export interface NativeOpSpec<Input> {
  type: string;
  inputs?: readonly (Input | readonly Input[])[];
  attrs?: readonly NativeAttr[];
  device?: string;
}

export interface NativeOperationSpec extends NativeOpSpec<NativeOutput> {
  name: string;
  controlInputs?: readonly NativeOperation[];
  colocateWith?: readonly NativeOperation[];
}

export interface NativeTensor {
  readonly dtype: number;
  readonly shape: number[];
  readonly byteLength: number;
  readonly disposed: boolean;
  /** A copy of the contents: a TypedArray, or Buffers for string tensors. */
  data(): ArrayBufferView | Buffer[];
  dispose(): void;
}

export interface NativeOperation {
  readonly name: string;
  readonly type: string;
  readonly device: string;
  readonly numInputs: number;
  readonly numOutputs: number;
  readonly graph: NativeGraph;
  outputType(index: number): number;
  /** Dims with -1 for unknown, or null when even the rank is unknown. */
  outputShape(index: number): number[] | null;
  input(index: number): NativeOutput;
  controlInputs(): NativeOperation[];
  outputListLength(argName: string): number;
  inputListLength(argName: string): number;
  attrProto(name: string): Buffer;
}

export interface NativeGraph {
  addOperation(spec: NativeOperationSpec): NativeOperation;
  operation(name: string): NativeOperation | null;
  operations(): NativeOperation[];
  /** How many operations the graph holds (TF_GraphNextOperation's walk, no wrappers). */
  readonly numOperations: number;
  toGraphDef(): Buffer;
  importGraphDef(graphDef: Uint8Array, prefix?: string): void;
  addGradients(
    ys: readonly NativeOutput[],
    xs: readonly NativeOutput[],
    dxs?: readonly NativeOutput[] | null,
    prefix?: string | null,
  ): (NativeOutput | null)[];
}

export interface NativeDevice {
  name: string;
  type: string;
  memoryBytes: number;
}

export interface NativeSession {
  readonly closed: boolean;
  readonly metaGraphDef: Uint8Array | undefined;
  run(
    feeds: readonly NativeOutput[],
    feedTensors: readonly NativeTensor[],
    fetches: readonly NativeOutput[],
    targets: readonly NativeOperation[],
    runOptions?: Uint8Array,
  ): NativeTensor[];
  runAsync(
    feeds: readonly NativeOutput[],
    feedTensors: readonly NativeTensor[],
    fetches: readonly NativeOutput[],
    targets: readonly NativeOperation[],
    runOptions?: Uint8Array,
  ): Promise<NativeTensor[]>;
  listDevices(): NativeDevice[];
  close(): void;
}

/** TF_NewServer's server; a started one lives until the process ends (TF cannot shut it down). */
export interface NativeServer {
  readonly target: string;
  /** How many wildcard binds were narrowed to the listen address while the server was made. */
  readonly redirectedBinds: number;
  start(): void;
  stop(): void;
  join(): Promise<void>;
}

export interface NativeCallable {
  run(feedTensors: readonly NativeTensor[]): NativeTensor[];
  runAsync(feedTensors: readonly NativeTensor[]): Promise<NativeTensor[]>;
}

export interface NativeTensorHandle {
  readonly dtype: number;
  readonly shape: number[];
  readonly device: string;
  readonly disposed: boolean;
  /** The value as a host tensor (shares the buffer on the CPU). */
  resolve(): NativeTensor;
  dispose(): void;
}

export interface NativeEagerOpSpec extends NativeOpSpec<NativeTensorHandle> {
  /** Output arg names; the result has one array of handles per name. */
  outputs: readonly string[];
  /**
   * Run the op's shape function on the inputs' shapes first (TFE_InferShapes), as graph mode does:
   * its error is thrown before the kernel runs, and so is an output shape past TF's TensorShape
   * limits. Always done when an input has no elements and other dims multiplying past 2^31.
   */
  inferShapes?: boolean;
}

export interface NativeBinding {
  TensorHandle: new (tensor: NativeTensor) => NativeTensorHandle;
  eagerConfigure(config: Uint8Array): void;
  eagerExecute(spec: NativeEagerOpSpec): NativeTensorHandle[][];
  eagerListDevices(): NativeDevice[];
  liveHandleCount(): number;
  Tensor: new (dtype: number, shape: readonly number[], data: ArrayBufferView | readonly (string | Uint8Array)[]) => NativeTensor;
  Graph: new () => NativeGraph;
  Operation: abstract new () => NativeOperation;
  Session: new (
    graph: NativeGraph,
    config?: Uint8Array,
    savedModelDir?: string,
    tags?: readonly string[],
    target?: string,
  ) => NativeSession;
  Server: new (serverDef: Uint8Array, listenAddress?: string, port?: number) => NativeServer;
  Callable: new (
    session: NativeSession,
    feeds: readonly NativeOutput[],
    fetches: readonly NativeOutput[],
    targets: readonly NativeOperation[],
    runOptions?: Uint8Array,
  ) => NativeCallable;
  version(): string;
  opList(): Buffer;
  setErrorFactory(factory: (code: number, message: string) => Error): void;
  liveTensorCount(): number;
  sessionRunCount(): number;
  /** Closes the sessions of this environment's async runs in flight and waits until each has returned from TF (for process exit). */
  cancelRuns(): void;
}

export const binding: NativeBinding = loadAddon(PACKAGE_ROOT);
// tf-napi's custom ops register with this same TF now; a missing library only means TF's kernels.
loadOpLibrary(PACKAGE_ROOT);

export { PACKAGE_ROOT };
