// Writes a SavedModel that TF's C++ loader (TF Serving, tf-napi's own load) and Python's
// tf.saved_model.load read: one MetaGraph tagged 'serve' holding a traced function's graph with
// its captured values frozen as constants, a saver (RestoreV2/SaveV2 over the variables, as TF1's
// Saver writes it, with the `variables` collections that let Python lift them), signatures naming
// the inputs and outputs, and the variables' values in variables/variables.{index,data-*}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dtypeToEnum } from '../dtypes';
import { ExportedTrace } from '../function';
import { NativeGraph, NativeOperation, NativeOutput, binding } from '../native';
import {
  encodeConstNodeDef,
  encodeSavedModel,
  encodeVariableDef,
  replaceGraphDefNodes,
  SignatureDefObject,
  TensorInfoObject,
} from '../proto';
import { hostTensor } from '../raw/host_tensor';
import { Tensor } from '../tensor';
import { saveVariables } from '../train/checkpoint';
import { Variable } from '../variable';
import { version } from '../version';

export interface SignatureToWrite {
  /** The trace whose inputs and outputs the signature names. */
  trace: ExportedTrace;
  /** Keys of the trace's inputs, in order. */
  inputKeys: readonly string[];
  /** Keys of the trace's outputs, in order. */
  outputKeys: readonly string[];
}

export interface SavedModelToWrite {
  /** Signatures by name; every one must come from the same trace. */
  signatures: Readonly<Record<string, SignatureToWrite>>;
  /** Variables the trace may read; those it does not read are left out. */
  variables: readonly Variable[];
}

/** A captured eager value as a Const NodeDef named like the placeholder it replaces. */
function constNode(name: string, value: Tensor): Uint8Array {
  const dtype = dtypeToEnum(value.dtype);
  const tensorShape = { dim: value.shape.map((size) => ({ size: size as number })) };
  if (value.dtype === 'string') {
    const strings = (value.dataSync() as unknown as (string | Uint8Array)[]).map((s) => (typeof s === 'string' ? Buffer.from(s) : s));
    return encodeConstNodeDef(name, dtype, { dtype, tensorShape, stringVal: strings });
  }
  const data = value.dataSync() as unknown as ArrayBufferView;
  return encodeConstNodeDef(name, dtype, {
    dtype,
    tensorShape,
    tensorContent: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function constant(graph: NativeGraph, name: string, values: string[] | string): NativeOutput {
  const shape = Array.isArray(values) ? [values.length] : [];
  const tensor = hostTensor(values, shape, 'string');
  try {
    const op = graph.addOperation({
      type: 'Const',
      name,
      attrs: [
        ['dtype', 'type', dtypeToEnum('string')],
        ['value', 'tensor', tensor],
      ],
    });
    return { op, index: 0 };
  } finally {
    tensor.dispose();
  }
}

interface SavedVariable {
  variable: Variable;
  handle: NativeOperation;
  key: string;
}

/** TF1's Saver ops (V2 format) over `variables`, and their VariableDefs. */
function addSaver(graph: NativeGraph, variables: readonly SavedVariable[]) {
  const filenameDefault = constant(graph, 'save/filename/input', 'model');
  const filename = graph.addOperation({
    type: 'PlaceholderWithDefault',
    name: 'save/Const',
    inputs: [filenameDefault],
    attrs: [
      ['dtype', 'type', dtypeToEnum('string')],
      ['shape', 'shape', []],
    ],
  });
  const prefix = { op: filename, index: 0 };
  const keys = variables.map((v) => v.key);
  const dtypes = variables.map((v) => dtypeToEnum(v.variable.dtype));
  const reads: NativeOutput[] = [];
  const variableDefs: { trainable: boolean; bytes: Uint8Array }[] = [];
  for (const { variable, handle } of variables) {
    const dtype = dtypeToEnum(variable.dtype);
    // What Python's ResourceVariable(variable_def=...) looks up: a snapshot read and an initializer.
    const read = graph.addOperation({
      type: 'ReadVariableOp',
      name: `${handle.name}/Read/ReadVariableOp`,
      inputs: [{ op: handle, index: 0 }],
      attrs: [['dtype', 'type', dtype]],
    });
    reads.push({ op: read, index: 0 });
    const zeros = graph.addOperation({
      type: 'Fill',
      name: `${handle.name}/Initializer/zeros`,
      inputs: [
        { op: constantInt32(graph, `${handle.name}/Initializer/zeros/shape`, variable.shape), index: 0 },
        { op: zeroOf(graph, `${handle.name}/Initializer/zeros/value`, variable), index: 0 },
      ],
      attrs: [['T', 'type', dtype]],
    });
    const assign = graph.addOperation({
      type: 'AssignVariableOp',
      name: `${handle.name}/Assign`,
      inputs: [
        { op: handle, index: 0 },
        { op: zeros, index: 0 },
      ],
      attrs: [['dtype', 'type', dtype]],
    });
    variableDefs.push({
      trainable: variable.trainable,
      bytes: encodeVariableDef({
        variableName: `${handle.name}:0`,
        initializerName: assign.name,
        snapshotName: `${read.name}:0`,
        initialValueName: `${zeros.name}:0`,
        trainable: variable.trainable,
      }),
    });
  }
  const tensorNames = constant(graph, 'save/SaveV2/tensor_names', keys);
  const slices = constant(
    graph,
    'save/SaveV2/shape_and_slices',
    keys.map(() => ''),
  );
  const save = graph.addOperation({
    type: 'SaveV2',
    name: 'save/SaveV2',
    inputs: [prefix, tensorNames, slices, reads],
    attrs: [['dtypes', 'list(type)', dtypes]],
  });
  const saved = graph.addOperation({
    type: 'Identity',
    name: 'save/control_dependency',
    inputs: [prefix],
    controlInputs: [save],
    attrs: [['T', 'type', dtypeToEnum('string')]],
  });
  const restore = graph.addOperation({
    type: 'RestoreV2',
    name: 'save/RestoreV2',
    inputs: [
      prefix,
      constant(graph, 'save/RestoreV2/tensor_names', keys),
      constant(
        graph,
        'save/RestoreV2/shape_and_slices',
        keys.map(() => ''),
      ),
    ],
    attrs: [['dtypes', 'list(type)', dtypes]],
  });
  const assigns = variables.map(({ variable, handle }, i) =>
    graph.addOperation({
      type: 'AssignVariableOp',
      name: `save/AssignVariableOp${i === 0 ? '' : `_${i}`}`,
      inputs: [
        { op: handle, index: 0 },
        { op: restore, index: i },
      ],
      attrs: [['dtype', 'type', dtypeToEnum(variable.dtype)]],
    }),
  );
  const restoreAll = graph.addOperation({ type: 'NoOp', name: 'save/restore_all', controlInputs: assigns });
  return {
    saverDef: {
      filenameTensorName: `${filename.name}:0`,
      saveTensorName: `${saved.name}:0`,
      restoreOpName: restoreAll.name,
      maxToKeep: 5,
      sharded: false,
      keepCheckpointEveryNHours: 10000,
      version: 'V2',
    },
    variableDefs,
  };
}

function constantInt32(graph: NativeGraph, name: string, values: readonly number[]): NativeOperation {
  const tensor = hostTensor([...values], [values.length], 'int32');
  try {
    return graph.addOperation({
      type: 'Const',
      name,
      attrs: [
        ['dtype', 'type', dtypeToEnum('int32')],
        ['value', 'tensor', tensor],
      ],
    });
  } finally {
    tensor.dispose();
  }
}

function zeroOf(graph: NativeGraph, name: string, variable: Variable): NativeOperation {
  const tensor = hostTensor(variable.dtype === 'bool' ? false : 0, [], variable.dtype);
  try {
    return graph.addOperation({
      type: 'Const',
      name,
      attrs: [
        ['dtype', 'type', dtypeToEnum(variable.dtype)],
        ['value', 'tensor', tensor],
      ],
    });
  } finally {
    tensor.dispose();
  }
}

function tensorInfo(graph: NativeGraph, name: string): TensorInfoObject {
  const colon = name.lastIndexOf(':');
  const op = graph.operation(colon > 0 ? name.slice(0, colon) : name) as NativeOperation;
  const index = colon > 0 ? Number(name.slice(colon + 1)) : 0;
  const shape = op.outputShape(index);
  return {
    name,
    dtype: op.outputType(index),
    tensorShape: shape === null ? { dim: [], unknownRank: true } : { dim: shape.map((size) => ({ size, name: '' })), unknownRank: false },
  };
}

/** Writes `dir` anew (a SavedModel already there is replaced; anything else there is an error, before anything is written). */
export function writeSavedModel(dir: string, model: SavedModelToWrite): void {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('A SavedModel needs a directory path');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dir)) throw new TypeError(`Only local directories are supported for SavedModels; got '${dir}'`);
  if (fs.existsSync(dir)) {
    const stat = fs.statSync(dir);
    const entries = stat.isDirectory() ? fs.readdirSync(dir) : null;
    if (entries === null || (entries.length > 0 && !entries.includes('saved_model.pb'))) {
      throw new TypeError(`'${dir}' exists and is not a SavedModel directory; choose another path`);
    }
  }
  const signatures = Object.entries(model.signatures);
  if (signatures.length === 0) throw new TypeError('A SavedModel needs at least one signature');
  const trace = signatures[0][1].trace;
  if (signatures.some(([, s]) => s.trace !== trace)) throw new TypeError('Every signature of one SavedModel must come from the same trace');

  const frozen = replaceGraphDefNodes(trace.graphDef, new Map(trace.captures.map((c) => [c.name, constNode(c.name, c.value)])));
  const graph = new binding.Graph();
  graph.importGraphDef(frozen);
  const variables: SavedVariable[] = [];
  for (const variable of model.variables) {
    const handle = graph.operation(variable.handleOp.name);
    if (handle !== null && !variables.some((v) => v.handle.name === handle.name)) variables.push({ variable, handle, key: handle.name });
  }
  const { saverDef, variableDefs } = addSaver(graph, variables);
  const signatureDef: Record<string, SignatureDefObject> = {};
  for (const [name, signature] of signatures) {
    if (signature.inputKeys.length !== trace.inputs.length || signature.outputKeys.length !== trace.outputs.length) {
      throw new TypeError(
        `Signature '${name}' must name each of its trace's ${trace.inputs.length} inputs and ${trace.outputs.length} outputs`,
      );
    }
    signatureDef[name] = {
      inputs: Object.fromEntries(signature.inputKeys.map((key, i) => [key, tensorInfo(graph, `${trace.inputs[i]}:0`)])),
      outputs: Object.fromEntries(signature.outputKeys.map((key, i) => [key, tensorInfo(graph, trace.outputs[i])])),
      methodName: 'tensorflow/serving/predict',
    };
  }
  const collectionDef: Record<string, { bytesList: { value: Uint8Array[] } }> = {};
  if (variableDefs.length > 0) {
    collectionDef.variables = { bytesList: { value: variableDefs.map((d) => d.bytes) } };
    const trainable = variableDefs.filter((d) => d.trainable).map((d) => d.bytes);
    if (trainable.length > 0) collectionDef.trainable_variables = { bytesList: { value: trainable } };
  }
  const savedModel = encodeSavedModel([
    {
      metaInfoDef: { metaGraphVersion: '', tags: ['serve'], tensorflowVersion: version.tensorflow, tensorflowGitVersion: '' },
      graphDef: graph.toGraphDef(),
      saverDef,
      collectionDef,
      signatureDef,
    },
  ]);

  // Written beside the target and renamed into place, so a failed write leaves the old one whole.
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    fs.mkdirSync(path.join(staging, 'variables'));
    fs.mkdirSync(path.join(staging, 'assets'));
    if (variables.length > 0)
      saveVariables(
        path.join(staging, 'variables', 'variables'),
        variables.map((v) => [v.key, v.variable] as const),
      );
    fs.writeFileSync(path.join(staging, 'saved_model.pb'), savedModel);
    if (fs.existsSync(dir)) fs.rmSync(dir, { recursive: true });
    fs.renameSync(staging, dir);
    // mkdtemp makes the directory owner-only: give it what the umask allows, as every other file.
    fs.chmodSync(dir, 0o777 & ~process.umask());
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
