// TensorFlow's own protocol buffers (vendored under proto/), and the project's wire-compatible schema of
// TensorBoard's event files (proto/tf_napi/), read and written with protobufjs.
// The .proto files are parsed on first use, so importing this module costs nothing.
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

/** The package's proto/ folder; this file runs as dist/lib/proto.js. */
const PROTO_DIR = path.join(__dirname, '..', '..', 'proto');

/** Plain objects: camelCase keys, every field present, int64 as number, enums by name. */
const PLAIN: protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, arrays: true, oneofs: true };

let root: protobuf.Root | undefined;

function messageType(name: string): protobuf.Type {
  if (!root) {
    const loading = new protobuf.Root();
    // Imports are written relative to TF's source root ("tensorflow/core/...", "xla/tsl/..."): proto/ mirrors it.
    loading.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
    loading
      .loadSync([
        'tensorflow/core/framework/op_def.proto',
        'tensorflow/core/protobuf/config.proto',
        'tf_napi/summary_event.proto',
        'tf_napi/saved_model.proto',
        'tf_napi/tensorflow_server.proto',
      ])
      .resolveAll();
    root = loading;
  }
  return root.lookupType(name);
}

function decode<T>(typeName: string, bytes: Uint8Array): T {
  const type = messageType(typeName);
  return type.toObject(type.decode(bytes), PLAIN) as T;
}

function encode(typeName: string, value: object): Uint8Array {
  const type = messageType(typeName);
  return type.encode(type.fromObject(value)).finish();
}

/** A DataType (or other enum) by name, e.g. 'DT_FLOAT'; a value the vendored protos do not name stays a number. */
export type EnumValue = string | number;

export interface TensorShapeObject {
  /** Sizes, -1 for unknown. */
  dim: { size: number; name: string }[];
  unknownRank: boolean;
}

export interface TensorObject {
  dtype: EnumValue;
  tensorShape: TensorShapeObject | null;
  versionNumber: number;
  tensorContent: Uint8Array;
  halfVal: number[];
  floatVal: number[];
  doubleVal: number[];
  intVal: number[];
  stringVal: Uint8Array[];
  scomplexVal: number[];
  int64Val: number[];
  boolVal: boolean[];
  dcomplexVal: number[];
  resourceHandleVal: Record<string, unknown>[];
  variantVal: Record<string, unknown>[];
  uint32Val: number[];
  uint64Val: number[];
}

export interface NameAttrListObject {
  name: string;
  attr: Record<string, AttrValueObject>;
}

export interface ListValueObject {
  s: Uint8Array[];
  i: number[];
  f: number[];
  b: boolean[];
  type: EnumValue[];
  shape: TensorShapeObject[];
  tensor: TensorObject[];
  func: NameAttrListObject[];
}

/** A tensorflow.AttrValue: `value` names the one field that is set. */
export interface AttrValueObject {
  value?: 's' | 'i' | 'f' | 'b' | 'type' | 'shape' | 'tensor' | 'list' | 'func' | 'placeholder';
  s?: Uint8Array;
  i?: number;
  f?: number;
  b?: boolean;
  type?: EnumValue;
  shape?: TensorShapeObject;
  tensor?: TensorObject;
  list?: ListValueObject;
  func?: NameAttrListObject;
  placeholder?: string;
}

export interface FullTypeObject {
  typeId: EnumValue;
  args: FullTypeObject[];
  attr?: 's' | 'i';
  s?: string;
  i?: number;
}

export interface ArgDefObject {
  name: string;
  description: string;
  /** A fixed dtype, or 'DT_INVALID' when typeAttr / typeListAttr gives it. */
  type: EnumValue;
  typeAttr: string;
  numberAttr: string;
  typeListAttr: string;
  handleData: { dtype: EnumValue; shape: TensorShapeObject | null }[];
  isRef: boolean;
  experimentalFullType: FullTypeObject | null;
}

export interface AttrDefObject {
  name: string;
  /** 'int', 'list(type)', ... */
  type: string;
  defaultValue: AttrValueObject | null;
  description: string;
  hasMinimum: boolean;
  minimum: number;
  allowedValues: AttrValueObject | null;
}

export interface OpDefObject {
  name: string;
  inputArg: ArgDefObject[];
  outputArg: ArgDefObject[];
  controlOutput: string[];
  attr: AttrDefObject[];
  deprecation: { version: number; explanation: string } | null;
  summary: string;
  description: string;
  isCommutative: boolean;
  isAggregate: boolean;
  isStateful: boolean;
  allowsUninitializedInput: boolean;
  isDistributedCommunication: boolean;
}

export interface OpListObject {
  op: OpDefObject[];
}

/** Any subset of a message's fields, as encode* accepts them. */
export type MessageInit<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer U)[]
    ? readonly MessageInit<U>[]
    : T extends object
      ? { [K in keyof T]?: MessageInit<T[K]> | null }
      : T;

/** Decodes a serialized tensorflow.OpList (the addon's opList()). */
export function decodeOpList(bytes: Uint8Array): OpListObject {
  return decode('tensorflow.OpList', bytes);
}

export function decodeAttrValue(bytes: Uint8Array): AttrValueObject {
  return decode('tensorflow.AttrValue', bytes);
}

/** Serializes a tensorflow.AttrValue, e.g. for list(func) attrs, which the C API cannot set field by field. */
export function encodeAttrValue(value: MessageInit<AttrValueObject>): Uint8Array {
  return encode('tensorflow.AttrValue', value);
}

export interface SessionConfigOptions {
  intraOpParallelismThreads?: number;
  interOpParallelismThreads?: number;
  allowSoftPlacement?: boolean;
  logDevicePlacement?: boolean;
  gpuAllowGrowth?: boolean;
  /** Share of each GPU's memory to reserve (above 1 oversubscribes with unified memory). */
  gpuMemoryFraction?: number;
  /** Most devices of a type to use, e.g. { GPU: 0 } to hide GPUs. */
  deviceCount?: Record<string, number>;
  /**
   * TF's place_pruned_graph: each new run signature places only the nodes it runs, not the whole
   * graph again (the cost of a new variable or trace then follows what it runs, not the graph's size).
   */
  placePrunedGraph?: boolean;
  /** ConfigProto.experimental.collective_group_leader: the task that resolves collective groups ("/job:worker/replica:0/task:0"). */
  collectiveGroupLeader?: string;
  /** ConfigProto.device_filters: the devices a distributed session may see ("/job:worker/replica:0/task:1"). */
  deviceFilters?: readonly string[];
}

function integer(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && !Number.isInteger(value)) throw new TypeError(`${what} must be an integer, got ${value}`);
  return value;
}

function nonNegativeInteger(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
  return value;
}

export interface RunOptionsInit {
  /** Run the graph on the calling thread: no hand-off to TF's inter-op pool (for small graphs). */
  runInCallerThread?: boolean;
  timeoutInMs?: number;
}

/** A serialized tensorflow.RunOptions. */
export function encodeRunOptions(options: RunOptionsInit): Uint8Array {
  return encode('tensorflow.RunOptions', {
    // -1 selects the caller's thread (RunOptions.inter_op_thread_pool).
    interOpThreadPool: options.runInCallerThread ? -1 : undefined,
    timeoutInMs: nonNegativeInteger(options.timeoutInMs, 'timeoutInMs'),
  });
}

/** Serializes a tensorflow.ConfigProto holding just the options given. */
export function encodeConfigProto(options: SessionConfigOptions): Uint8Array {
  const { gpuAllowGrowth, gpuMemoryFraction, deviceCount } = options;
  if (gpuMemoryFraction !== undefined && !(gpuMemoryFraction > 0 && Number.isFinite(gpuMemoryFraction))) {
    throw new RangeError(`gpuMemoryFraction must be a positive number, got ${gpuMemoryFraction}`);
  }
  for (const [device, count] of Object.entries(deviceCount ?? {})) integer(count, `deviceCount.${device}`);
  const gpuOptions = { allowGrowth: gpuAllowGrowth, perProcessGpuMemoryFraction: gpuMemoryFraction };
  // fromObject skips undefined fields, so unset options stay off the wire.
  return encode('tensorflow.ConfigProto', {
    intraOpParallelismThreads: nonNegativeInteger(options.intraOpParallelismThreads, 'intraOpParallelismThreads'),
    interOpParallelismThreads: nonNegativeInteger(options.interOpParallelismThreads, 'interOpParallelismThreads'),
    allowSoftPlacement: options.allowSoftPlacement,
    logDevicePlacement: options.logDevicePlacement,
    deviceCount,
    deviceFilters: options.deviceFilters,
    graphOptions: options.placePrunedGraph === undefined ? undefined : { placePrunedGraph: options.placePrunedGraph },
    gpuOptions: gpuAllowGrowth === undefined && gpuMemoryFraction === undefined ? undefined : gpuOptions,
    experimental: options.collectiveGroupLeader === undefined ? undefined : { collectiveGroupLeader: options.collectiveGroupLeader },
  });
}

/** A cluster: job name → its tasks' "host:port" addresses, by task index. */
export type ClusterDefInit = Readonly<Record<string, readonly string[]>>;

/** A serialized tensorflow.ServerDef (the gRPC protocol), with the session config of its master. */
export function encodeServerDef(def: {
  cluster: ClusterDefInit;
  jobName: string;
  taskIndex: number;
  config?: SessionConfigOptions;
}): Uint8Array {
  const job = Object.entries(def.cluster).map(([name, tasks]) => ({
    name,
    tasks: Object.fromEntries(tasks.map((address, index) => [index, address])),
  }));
  const config = def.config === undefined ? undefined : messageType('tensorflow.ConfigProto').decode(encodeConfigProto(def.config));
  return encode('tensorflow.ServerDef', {
    cluster: { job },
    jobName: def.jobName,
    taskIndex: def.taskIndex,
    defaultSessionConfig: config,
    protocol: 'grpc',
  });
}

/** A tensorflow.SummaryMetadata. */
export interface SummaryMetadataObject {
  pluginData: { pluginName: string; content: Uint8Array } | null;
  displayName: string;
  summaryDescription: string;
  dataClass: EnumValue;
}

/** A tensorflow.HistogramProto (TF 1's histograms): counts per bucket, each bucket ending at its limit. */
export interface HistogramProtoObject {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** One tensorflow.Summary.Value: `value` names the one field that is set. */
export interface SummaryValueObject {
  nodeName: string;
  tag: string;
  metadata: SummaryMetadataObject | null;
  value?: 'simpleValue' | 'histo' | 'tensor';
  simpleValue?: number;
  histo?: HistogramProtoObject;
  tensor?: TensorObject;
}

/** One record of a TensorBoard events file (tensorflow.Event): `what` names the one field that is set. */
export interface EventObject {
  wallTime: number;
  step: number;
  what?: 'fileVersion' | 'graphDef' | 'summary' | 'metaGraphDef';
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: { value: SummaryValueObject[] };
  metaGraphDef?: Uint8Array;
  sourceMetadata: { writer: string } | null;
}

/** Serializes a tensorflow.Event. */
export function encodeEvent(event: MessageInit<EventObject>): Uint8Array {
  return encode('tensorflow.Event', event);
}

/** Decodes a serialized tensorflow.Event. */
export function decodeEvent(bytes: Uint8Array): EventObject {
  return decode('tensorflow.Event', bytes);
}

/** A node's name as an input names it: 'a', 'a:1' (an output) and '^a' (a control input) all name 'a'. */
function inputNode(input: string): string {
  const name = input.startsWith('^') ? input.slice(1) : input;
  const colon = name.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(name.slice(colon + 1)) ? name.slice(0, colon) : name;
}

/** The GraphDef with the nodes named in `replacements` swapped for the given serialized NodeDefs, in place. */
export function replaceGraphDefNodes(graphDef: Uint8Array, replacements: ReadonlyMap<string, Uint8Array>): Uint8Array {
  if (replacements.size === 0) return graphDef;
  const reader = protobuf.Reader.create(graphDef);
  const parts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      const bytes = reader.bytes();
      const node = protobuf.Reader.create(bytes);
      let name = '';
      while (node.pos < node.len) {
        const nodeTag = node.uint32();
        if (nodeTag === ((1 << 3) | 2)) {
          name = node.string();
          break;
        }
        node.skipType(nodeTag & 7);
      }
      const replacement = replacements.get(name);
      if (replacement !== undefined) {
        parts.push(protobuf.Writer.create().uint32(tag).bytes(replacement).finish());
        continue;
      }
    } else {
      reader.skipType(tag & 7);
    }
    parts.push(graphDef.subarray(start, reader.pos));
  }
  return Buffer.concat(parts);
}

/**
 * A serialized GraphDef holding only the nodes that `roots` need: the roots, their inputs and control
 * inputs, transitively. Kept nodes and the other fields (versions, function library) are copied byte
 * for byte, in their order.
 */
export function pruneGraphDef(graphDef: Uint8Array, roots: Iterable<string>): Uint8Array {
  const reader = protobuf.Reader.create(graphDef);
  const fields: { start: number; end: number; node?: string }[] = [];
  const inputs = new Map<string, string[]>();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      // GraphDef.node: read its name (NodeDef field 1) and inputs (field 3).
      const node = protobuf.Reader.create(reader.bytes());
      let name = '';
      const nodeInputs: string[] = [];
      while (node.pos < node.len) {
        const nodeTag = node.uint32();
        if (nodeTag === ((1 << 3) | 2)) name = node.string();
        else if (nodeTag === ((3 << 3) | 2)) nodeInputs.push(inputNode(node.string()));
        else node.skipType(nodeTag & 7);
      }
      inputs.set(name, nodeInputs);
      fields.push({ start, end: reader.pos, node: name });
    } else {
      reader.skipType(tag & 7);
      fields.push({ start, end: reader.pos });
    }
  }
  const kept = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (kept.has(name) || !inputs.has(name)) continue;
    kept.add(name);
    pending.push(...(inputs.get(name) as string[]));
  }
  const parts = fields.filter((f) => f.node === undefined || kept.has(f.node)).map((f) => graphDef.subarray(f.start, f.end));
  return Buffer.concat(parts);
}

/** tensorflow.TensorInfo as a SignatureDef holds it: a dense tensor's graph name, dtype and shape. */
export interface TensorInfoObject {
  name: string;
  /** The DataType enum value. */
  dtype: number;
  tensorShape: TensorShapeObject | null;
}

export interface SignatureDefObject {
  inputs: Record<string, TensorInfoObject>;
  outputs: Record<string, TensorInfoObject>;
  methodName: string;
}

export interface SaverDefObject {
  filenameTensorName: string;
  saveTensorName: string;
  restoreOpName: string;
  version: EnumValue;
}

/** The fields of tensorflow.MetaGraphDef that tf-napi reads and writes (proto/tf_napi/saved_model.proto). */
export interface MetaGraphDefObject {
  metaInfoDef: { metaGraphVersion: string; tags: string[]; tensorflowVersion: string; tensorflowGitVersion: string } | null;
  /** A serialized GraphDef. */
  graphDef: Uint8Array;
  saverDef: SaverDefObject | null;
  collectionDef: Record<string, { nodeList?: { value: string[] }; bytesList?: { value: Uint8Array[] } }>;
  signatureDef: Record<string, SignatureDefObject>;
}

/** Decodes a serialized tensorflow.MetaGraphDef. */
export function decodeMetaGraphDef(bytes: Uint8Array): MetaGraphDefObject {
  const type = messageType('tensorflow.MetaGraphDef');
  return type.toObject(type.decode(bytes), { ...PLAIN, enums: Number }) as MetaGraphDefObject;
}

/** Serializes a tensorflow.SavedModel (schema version 1) holding `metaGraphs`. */
export function encodeSavedModel(metaGraphs: readonly MessageInit<MetaGraphDefObject>[]): Uint8Array {
  return encode('tensorflow.SavedModel', { savedModelSchemaVersion: 1, metaGraphs });
}

/** Serializes a tensorflow.VariableDef (a resource variable, for the `variables` collections). */
export function encodeVariableDef(def: {
  variableName: string;
  initializerName: string;
  snapshotName: string;
  initialValueName: string;
  trainable: boolean;
}): Uint8Array {
  return encode('tensorflow.VariableDef', { ...def, isResource: true });
}

/** Serializes a tensorflow.NodeDef: a Const node holding `tensor` (a TensorProto init). */
export function encodeConstNodeDef(name: string, dtype: EnumValue, tensor: MessageInit<TensorObject>): Uint8Array {
  return encode('tensorflow.NodeDef', { name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor } } });
}

/** A NodeDef as the SavedModel op check reads it. */
export interface NodeDefObject {
  name: string;
  op: string;
  input: string[];
  /** Names of the functions its attrs call (func and list(func) attrs: StatefulPartitionedCall, If, While, ...). */
  calls: string[];
}

export interface GraphDefObject {
  node: NodeDefObject[];
  /** The function library: each function's node ops and calls. */
  functions: Map<string, NodeDefObject[]>;
}

interface RawNameAttrList {
  name?: string;
}
interface RawAttrValue {
  func?: RawNameAttrList;
  list?: { func?: RawNameAttrList[] };
}
interface RawNodeDef {
  name?: string;
  op?: string;
  input?: string[];
  attr?: Record<string, RawAttrValue>;
}

function nodeOf(raw: RawNodeDef): NodeDefObject {
  const calls: string[] = [];
  for (const value of Object.values(raw.attr ?? {})) {
    if (value.func?.name) calls.push(value.func.name);
    for (const f of value.list?.func ?? []) if (f.name) calls.push(f.name);
  }
  return { name: raw.name ?? '', op: raw.op ?? '', input: raw.input ?? [], calls };
}

/** The nodes of a serialized GraphDef and of its function library: names, ops, inputs and called functions. */
export function decodeGraphDef(bytes: Uint8Array): GraphDefObject {
  const type = messageType('tensorflow.GraphDef');
  const raw = type.toObject(type.decode(bytes), { longs: Number, enums: String, defaults: false, arrays: true }) as {
    node?: RawNodeDef[];
    library?: { function?: { signature?: { name?: string }; nodeDef?: RawNodeDef[] }[] };
  };
  const functions = new Map<string, NodeDefObject[]>();
  for (const f of raw.library?.function ?? []) functions.set(f.signature?.name ?? '', (f.nodeDef ?? []).map(nodeOf));
  return { node: (raw.node ?? []).map(nodeOf), functions };
}

/** Decodes a serialized tensorflow.SavedModel's MetaGraphs. */
export function decodeSavedModel(bytes: Uint8Array): MetaGraphDefObject[] {
  const type = messageType('tensorflow.SavedModel');
  return (type.toObject(type.decode(bytes), { ...PLAIN, enums: Number }) as { metaGraphs: MetaGraphDefObject[] }).metaGraphs;
}
