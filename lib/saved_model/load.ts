// tf.saved_model.load: a SavedModel (written by Python's tf.saved_model.save, Keras' model.export,
// TF1's SavedModelBuilder or tf-napi) loaded with TF's own loader into a graph and session of its
// own, its signatures exposed as functions of named tensors. Loading runs the model's graph, so
// its ops are checked first (graph_policy.ts): ops that reach files, host callbacks, summaries or
// the network are refused unless allowed. Load only SavedModels you trust (docs/SECURITY.md).
import * as fs from 'node:fs';
import { DType, enumToDType } from '../dtypes';
import { TensorSpec } from '../function';
import { NativeGraph, NativeOutput, NativeTensor, binding } from '../native';
import { convertToTensor } from '../ops/convert';
import { checkSavedModelOps, GraphPolicy } from './graph_policy';
import { decodeMetaGraphDef, SignatureDefObject, TensorInfoObject } from '../proto';
import { Session } from '../raw/session';
import { Tensor, TensorLike } from '../tensor';

export interface LoadOptions extends GraphPolicy {
  /** The MetaGraph's tags; Python's default for loading is ['serve']. */
  tags?: string[];
}

/** One signature of a loaded SavedModel: called with its inputs by name, it returns its outputs by name. */
export interface SignatureFunction {
  (inputs: Readonly<Record<string, TensorLike>>): Record<string, Tensor>;
  /** The same call on a pool thread. */
  callAsync(inputs: Readonly<Record<string, TensorLike>>): Promise<Record<string, Tensor>>;
  /** The inputs by key: dtype, shape (null for unknown dims) and graph tensor name. */
  readonly inputs: Readonly<Record<string, TensorSpec>>;
  readonly outputs: Readonly<Record<string, TensorSpec>>;
  /** E.g. 'tensorflow/serving/predict'. */
  readonly methodName: string;
}

function graphOutput(graph: NativeGraph, tensorName: string, what: string): NativeOutput {
  const colon = tensorName.lastIndexOf(':');
  const opName = colon > 0 ? tensorName.slice(0, colon) : tensorName;
  const op = graph.operation(opName);
  if (op === null) throw new TypeError(`The SavedModel's ${what} names '${tensorName}', which is not in its graph`);
  return { op, index: colon > 0 ? Number(tensorName.slice(colon + 1)) : 0 };
}

function specOf(key: string, info: TensorInfoObject, what: string): TensorSpec {
  if (!info.name) throw new TypeError(`${what} '${key}' is not a dense tensor (sparse and composite tensors are not supported)`);
  let dtype: DType;
  try {
    dtype = enumToDType(info.dtype);
  } catch {
    throw new TypeError(`${what} '${key}' has a dtype tf-napi does not support (enum ${info.dtype})`);
  }
  const shape =
    info.tensorShape === null || info.tensorShape.unknownRank ? [] : info.tensorShape.dim.map((d) => (d.size < 0 ? null : d.size));
  return new TensorSpec(shape, dtype, info.name);
}

function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(record).sort();
}

function signatureFunction(model: LoadedSavedModel, session: Session, name: string, def: SignatureDefObject): SignatureFunction {
  const graph = session.graph;
  const inputKeys = sortedKeys(def.inputs);
  const outputKeys = sortedKeys(def.outputs);
  const inputs = Object.fromEntries(inputKeys.map((k) => [k, specOf(k, def.inputs[k], `Signature '${name}': input`)]));
  const outputs = Object.fromEntries(outputKeys.map((k) => [k, specOf(k, def.outputs[k], `Signature '${name}': output`)]));
  const callable = session.makeCallable(
    inputKeys.map((k) => graphOutput(graph, def.inputs[k].name, `signature '${name}' input '${k}'`)),
    outputKeys.map((k) => graphOutput(graph, def.outputs[k].name, `signature '${name}' output '${k}'`)),
  );

  function feeds(values: Readonly<Record<string, TensorLike>>): NativeTensor[] {
    model.checkOpen();
    if (typeof values !== 'object' || values === null || Array.isArray(values) || values instanceof Tensor) {
      throw new TypeError(`Signature '${name}' takes its inputs as an object keyed by name: {${inputKeys.join(', ')}}`);
    }
    const unknown = Object.keys(values).filter((k) => !Object.hasOwn(inputs, k));
    if (unknown.length > 0) {
      throw new TypeError(`Signature '${name}' got unexpected input '${unknown[0]}'; its inputs are: ${inputKeys.join(', ')}`);
    }
    const natives: NativeTensor[] = [];
    try {
      for (const key of inputKeys) {
        if (values[key] === undefined) throw new TypeError(`Signature '${name}' is missing input '${key}'`);
        const spec = inputs[key];
        let tensor: Tensor;
        try {
          tensor = convertToTensor(values[key], spec.dtype);
        } catch (e) {
          throw new TypeError(`Signature '${name}' input '${key}' must be ${spec.dtype}: ${(e as Error).message}`);
        }
        const shape = tensor.shape as number[];
        if (spec.shape.length > 0 && (shape.length !== spec.shape.length || spec.shape.some((d, i) => d !== null && d !== shape[i]))) {
          throw new TypeError(
            `Signature '${name}' input '${key}' must have shape [${spec.shape.map((d) => d ?? 'None').join(', ')}]; got [${shape.join(', ')}]`,
          );
        }
        natives.push(tensor.toNative());
      }
      return natives;
    } catch (e) {
      for (const t of natives) t.dispose();
      throw e;
    }
  }

  function results(natives: NativeTensor[]): Record<string, Tensor> {
    return Object.fromEntries(outputKeys.map((k, i) => [k, Tensor.fromNative(natives[i])]));
  }

  const call = ((values: Readonly<Record<string, TensorLike>>) => {
    const natives = feeds(values);
    try {
      return results(callable.run(natives));
    } finally {
      for (const t of natives) t.dispose();
    }
  }) as SignatureFunction;
  const callAsync = async (values: Readonly<Record<string, TensorLike>>) => {
    const natives = feeds(values);
    try {
      return results(await callable.runAsync(natives));
    } finally {
      for (const t of natives) t.dispose();
    }
  };
  return Object.assign(call, { callAsync, inputs, outputs, methodName: def.methodName });
}

/** A loaded SavedModel: its signatures, tags and TF version; `dispose()` closes its session. */
export class LoadedSavedModel {
  readonly signatures: Readonly<Record<string, SignatureFunction>>;
  readonly tags: readonly string[];
  /** The TensorFlow version that wrote it ('' when not recorded). */
  readonly tensorflowVersion: string;
  private readonly session: Session;

  constructor(exportDir: string, tags: readonly string[]) {
    const graph = new binding.Graph();
    this.session = Session.fromSavedModel(graph, exportDir, tags);
    const metaGraph = decodeMetaGraphDef(this.session.metaGraphDef as Uint8Array);
    this.tags = metaGraph.metaInfoDef?.tags ?? [...tags];
    this.tensorflowVersion = metaGraph.metaInfoDef?.tensorflowVersion ?? '';
    const signatures: Record<string, SignatureFunction> = {};
    for (const name of sortedKeys(metaGraph.signatureDef)) {
      // TF1 SavedModels also hold an '__saved_model_init_op' entry: not a callable signature.
      if (name.startsWith('__')) continue;
      signatures[name] = signatureFunction(this, this.session, name, metaGraph.signatureDef[name]);
    }
    this.signatures = signatures;
  }

  checkOpen(): void {
    if (this.session.closed) throw new Error('This SavedModel was disposed');
  }

  /** Closes the session, freeing the model's graph and variables; later calls throw. */
  dispose(): void {
    this.session.close();
  }
}

/** Python's tf.saved_model.load(export_dir, tags=None). */
export function load(exportDir: string, options: LoadOptions = {}): LoadedSavedModel {
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'tags' && key !== 'allowOps') {
      throw new TypeError(`tf.savedModel.load got an unknown option '${key}'; the options are: tags, allowOps`);
    }
  }
  if (typeof exportDir !== 'string' || exportDir === '') throw new TypeError('tf.savedModel.load needs a directory path');
  const tags = options.tags ?? ['serve'];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new TypeError('tags must be an array of strings');
  if (!fs.existsSync(exportDir)) throw new TypeError(`No SavedModel at '${exportDir}': the directory does not exist`);
  const allowOps = options.allowOps ?? [];
  if (!Array.isArray(allowOps) || allowOps.some((op) => typeof op !== 'string'))
    throw new TypeError('allowOps must be an array of op type names');
  checkSavedModelOps(exportDir, tags, { allowOps });
  return new LoadedSavedModel(exportDir, tags);
}
