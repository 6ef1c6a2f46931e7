// Keras' model.export(filepath, format='tf_saved_model'): the model's inference pass (training
// false) as a SavedModel with the 'serve' endpoint, also under 'serving_default' as TF Serving
// needs; inputs keyed by the model's Input names, outputs 'output_0', as Keras' export does.
import { TensorSpec, traceForExport } from '../../function';
import { writeSavedModel } from '../../saved_model/save';
import { Tensor } from '../../tensor';
import type { Model, ModelIO } from '../models/model';
import { checkOptions } from '../utils/argument_validation';

export interface ExportOptions {
  /** Only 'tf_saved_model' (Keras' default). */
  format?: string;
  /** Print the endpoints written (Keras' default: true). */
  verbose?: boolean;
  /** The input's spec, for a model that has no Input (a subclassed model not yet built). */
  inputSignature?: TensorSpec | readonly TensorSpec[];
}

function describe(spec: TensorSpec): string {
  const shape = spec.shape.map((d) => d ?? 'None').join(', ');
  return `TensorSpec(shape=(${shape}${spec.shape.length === 1 ? ',' : ''}), dtype=tf.${spec.dtype}, name='${spec.name}')`;
}

function inputSpecOf(model: Model, signature: ExportOptions['inputSignature']): TensorSpec {
  if (signature !== undefined) {
    const specs = Array.isArray(signature) ? signature : [signature];
    if (specs.length !== 1 || !(specs[0] instanceof TensorSpec)) {
      throw new TypeError('inputSignature must be one tf.TensorSpec (models have one input)');
    }
    const spec = specs[0] as TensorSpec;
    return new TensorSpec(spec.shape, spec.dtype, spec.name ?? 'inputs');
  }
  const [input] = model.inputs;
  if (input !== undefined) return new TensorSpec(input.shape, input.dtype, input.node.layer.name);
  if (model.buildInputShape !== undefined) return new TensorSpec(model.buildInputShape, 'float32', 'inputs');
  throw new TypeError(
    `Model '${model.name}' has no input shape yet: call it on data once, or pass inputSignature: new tf.TensorSpec([null, ...], 'float32')`,
  );
}

/** A model's outputs (one tensor, a list, or a dict in sorted key order) as a flat list. */
function flatOutputs(outputs: ModelIO): Tensor[] {
  if (outputs instanceof Tensor) return [outputs];
  if (Array.isArray(outputs)) return [...outputs];
  const dict = outputs as Record<string, Tensor>;
  return Object.keys(dict)
    .sort()
    .map((k) => dict[k]);
}

export function exportSavedModel(model: Model, filepath: string, options: ExportOptions = {}): void {
  checkOptions('Model.export', options, ['format', 'verbose', 'inputSignature']);
  const { format = 'tf_saved_model', verbose = true } = options;
  if (format !== 'tf_saved_model') {
    throw new TypeError(`Unrecognized format=${format}. tf-napi supports format='tf_saved_model'.`);
  }
  // A model with several inputs: one spec per input, by its name; its outputs keyed by dict key, else output_<i>.
  const multi = model.isMultiIO && options.inputSignature === undefined;
  const specs = multi
    ? model.inputs.map((t) => new TensorSpec(t.shape, t.dtype, t.node.layer.name))
    : [inputSpecOf(model, options.inputSignature)];
  const trace = multi
    ? traceForExport((...xs: Tensor[]) => flatOutputs(model.callStructured(xs, { training: false })), specs, `${model.name}/serve`)
    : traceForExport((x: Tensor) => model.apply(x, { training: false }), specs, `${model.name}/serve`);
  const outputKeys = model.outputStructure.kind === 'dict' ? [...model.outputStructure.keys] : trace.outputs.map((_, i) => `output_${i}`);
  const inputKeys = specs.map((spec) => spec.name as string);
  const signature = { trace, inputKeys, outputKeys };
  writeSavedModel(filepath, { signatures: { serve: signature, serving_default: signature }, variables: model.variables });
  if (verbose) {
    console.log(
      `Saved artifact at '${filepath}'. The following endpoints are available:\n\n* Endpoint 'serve'\n${specs.map((spec, i) => `  ${inputKeys[i]}: ${describe(spec)}\n`).join('')}` +
        `Output keys: ${outputKeys.join(', ')}`,
    );
  }
}
