// Keras' model.export(filepath, format='tf_saved_model'): the model's inference pass (training
// false) as a SavedModel with the 'serve' endpoint, also under 'serving_default' as TF Serving
// needs; inputs keyed by the model's Input names, outputs 'output_0', as Keras' export does.
import { TensorSpec, traceForExport } from '../../function';
import { writeSavedModel } from '../../saved_model/save';
import { Tensor } from '../../tensor';
import type { Model } from '../models/model';
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

export function exportSavedModel(model: Model, filepath: string, options: ExportOptions = {}): void {
  checkOptions('Model.export', options, ['format', 'verbose', 'inputSignature']);
  const { format = 'tf_saved_model', verbose = true } = options;
  if (format !== 'tf_saved_model') {
    throw new TypeError(`Unrecognized format=${format}. tf-napi supports format='tf_saved_model'.`);
  }
  const spec = inputSpecOf(model, options.inputSignature);
  const trace = traceForExport((x: Tensor) => model.apply(x, { training: false }), [spec], `${model.name}/serve`);
  const outputKeys = trace.outputs.map((_, i) => `output_${i}`);
  const inputKeys = [spec.name as string];
  const signature = { trace, inputKeys, outputKeys };
  writeSavedModel(filepath, { signatures: { serve: signature, serving_default: signature }, variables: model.variables });
  if (verbose) {
    console.log(
      `Saved artifact at '${filepath}'. The following endpoints are available:\n\n* Endpoint 'serve'\n  ${inputKeys[0]}: ${describe(spec)}\n` +
        `Output keys: ${outputKeys.join(', ')}`,
    );
  }
}
