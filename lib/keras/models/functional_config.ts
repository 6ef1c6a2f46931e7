// Keras' functional config (functional.py get_config / functional_from_config): each layer's dict
// with its name and inbound nodes (the KerasTensors each call read, by [layer, node, tensor]), and
// the model's input and output layers; rebuilt by calling the deserialized layers in that order.
import { KerasTensor } from '../layers/keras_tensor';
import { CallOptions, Layer, ListCallOptions } from '../layers/layer';
import { deserialize as deserializeLayer } from '../layers/serialization';
import { serializeKerasObject } from '../saving/serialization_lib';
import { describeValue, isPlainObject } from '../utils/argument_validation';
import type { FunctionalGraph } from './functional';
import type { IOStructure, Nest } from './io_structure';

type History = [string, number, number];

const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const toCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A node's call options as Keras' kwargs (`training`, `use_causal_mask`, ...): the plain values, snake_cased. */
function kwargsOf(options: CallOptions): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'mask' && (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string'))
      kwargs[toSnake(key)] = value;
  }
  return kwargs;
}

/** The config of a model over `graph`. */
export function functionalConfig(
  name: string,
  trainable: boolean,
  graph: FunctionalGraph,
  inputStructure: IOStructure,
  outputStructure: IOStructure,
): Record<string, unknown> {
  const history = (tensor: KerasTensor): History => [
    tensor.node.layer.name,
    graph.nodesOf(tensor.node.layer).indexOf(tensor.node),
    tensor.index,
  ];
  const layers = graph.operations.map((layer) => ({
    ...serializeKerasObject(layer),
    name: layer.name,
    inbound_nodes: graph
      .nodesOf(layer)
      .filter((node) => node.inputs.length > 0)
      .map((node) => {
        const refs = node.inputs.map((input) => ({
          class_name: '__keras_tensor__',
          config: { shape: input.shape, dtype: input.dtype, keras_history: history(input) },
        }));
        const kwarg = node.tensorKwarg;
        const args = kwarg === null ? refs : refs.slice(0, refs.length - kwarg.count);
        const kwargs = {
          ...kwargsOf(node.callOptions),
          ...(kwarg === null ? {} : { [kwarg.name]: refs.slice(refs.length - kwarg.count) }),
        };
        // Keras records a call on a list as one argument, the list.
        return { args: node.listInput && !node.positionalArgs ? [args] : args, kwargs };
      }),
  }));
  // Keras: one reference, a list, or a dict by key, as the model's inputs/outputs were given.
  const ends = (tensors: readonly KerasTensor[], structure: IOStructure) => {
    if (structure.kind === 'dict') return Object.fromEntries(structure.keys.map((k, i) => [k, history(tensors[i])]));
    return tensors.length === 1 && structure.kind === 'single' ? history(tensors[0]) : tensors.map(history);
  };
  return {
    name,
    trainable,
    layers,
    input_layers: ends(graph.inputs, inputStructure),
    output_layers: ends(graph.outputs, outputStructure),
  };
}

const badConfig = (why: string) => new TypeError(`Invalid functional model config: ${why}`);

function historyOf(value: unknown): History {
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    typeof value[0] !== 'string' ||
    !Number.isInteger(value[1]) ||
    !Number.isInteger(value[2])
  ) {
    throw badConfig(`a tensor reference must be [layer_name, node_index, tensor_index]. Received: ${describeValue(value)}`);
  }
  return value as History;
}

/** The [layer, node, tensor] references of input_layers/output_layers: one, a list, or a dict by key. */
function endsOf(value: unknown): History[] | Record<string, History> {
  if (Array.isArray(value) && typeof value[0] === 'string') return [historyOf(value)];
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, historyOf(v)]));
  if (!Array.isArray(value)) throw badConfig(`input_layers/output_layers must be lists or dicts. Received: ${describeValue(value)}`);
  return value.map(historyOf);
}

/** The inputs and outputs of the graph a functional config describes, its layers deserialized and called in order. */
export function functionalFromConfig(config: Record<string, unknown>): { inputs: Nest<KerasTensor>; outputs: Nest<KerasTensor> } {
  const { layers } = config;
  if (!Array.isArray(layers)) throw badConfig(`it needs a \`layers\` list. Received: ${describeValue(layers)}`);
  const created = new Map<string, Layer>();
  /** The output tensors of each layer's calls made so far. */
  const made = new Map<string, KerasTensor[][]>();
  const pending: { name: string; layer: Layer; nodes: unknown[] }[] = [];
  for (const entry of layers) {
    if (!isPlainObject(entry)) throw badConfig(`each layer must be a dict. Received: ${describeValue(entry)}`);
    const { inbound_nodes: inboundNodes = [], name, ...serialized } = entry;
    const layer = deserializeLayer(serialized as never);
    const layerName = typeof name === 'string' ? name : layer.name;
    if (created.has(layerName)) throw badConfig(`the layer name '${layerName}' is used twice`);
    created.set(layerName, layer);
    if (!Array.isArray(inboundNodes)) throw badConfig(`layer '${layerName}': inbound_nodes must be a list`);
    const inputOutput = (layer as { output?: unknown }).output;
    made.set(layerName, inputOutput instanceof KerasTensor && inboundNodes.length === 0 ? [[inputOutput]] : []);
    pending.push({ name: layerName, layer, nodes: [...inboundNodes] });
  }
  const tensorAt = ([layerName, nodeIndex, tensorIndex]: History): KerasTensor | undefined =>
    made.get(layerName)?.[nodeIndex]?.[tensorIndex];
  // Calls whose inputs exist run; repeat until every call ran (a layer's later node may read a layer listed after it).
  for (let progress = true; progress; ) {
    progress = false;
    for (const item of pending) {
      while (item.nodes.length > 0) {
        const node = item.nodes[0];
        if (!isPlainObject(node) || !Array.isArray(node.args)) throw badConfig(`layer '${item.layer.name}': a node must be {args, kwargs}`);
        const refOf = (arg: unknown): History => {
          if (!isPlainObject(arg) || arg.class_name !== '__keras_tensor__' || !isPlainObject(arg.config)) {
            throw badConfig(`layer '${item.layer.name}': only KerasTensor arguments are supported. Received: ${describeValue(arg)}`);
          }
          return historyOf(arg.config.keras_history);
        };
        // Keras' call on a list: one argument that is the list of tensors.
        const list = node.args.length === 1 && Array.isArray(node.args[0]);
        const refs = list ? (node.args[0] as unknown[]).map(refOf) : node.args.map(refOf);
        const kwargs = isPlainObject(node.kwargs) ? { ...node.kwargs } : {};
        // A tensor given by keyword (MultiHeadAttention's `key=`) is its next positional argument.
        if (isPlainObject(kwargs.key) && kwargs.key.class_name === '__keras_tensor__' && !list && refs.length === 2) {
          refs.push(refOf(kwargs.key));
          delete kwargs.key;
        }
        const inputs = refs.map(tensorAt);
        // Keras' initial_state of a recurrent layer: KerasTensors passed by keyword.
        const stateRefs = Array.isArray(kwargs.initial_state) ? kwargs.initial_state.map(refOf) : [];
        const states = stateRefs.map(tensorAt);
        if (inputs.some((t) => t === undefined) || states.some((t) => t === undefined)) break;
        const positional = !list && inputs.length > 1;
        if (positional && !(item.layer.constructor as { positionalInputs?: boolean }).positionalInputs) {
          throw badConfig(
            `layer '${item.layer.name}' is called on ${inputs.length} separate tensor arguments; only one, or one list, is supported`,
          );
        }
        const options: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(kwargs)) {
          if (key === 'initial_state' && states.length > 0) continue;
          if (isPlainObject(value) && value.class_name === '__keras_tensor__') {
            throw badConfig(`layer '${item.layer.name}': the tensor argument \`${key}\` is not supported in a functional call yet`);
          }
          options[toCamel(key)] = value;
        }
        if (states.length > 0) options.initialState = states;
        const result = (
          list || positional
            ? item.layer.apply(inputs as KerasTensor[], options as ListCallOptions)
            : item.layer.apply(inputs[0] as KerasTensor, options as CallOptions)
        ) as KerasTensor | KerasTensor[];
        made.get(item.name)?.push(Array.isArray(result) ? result : [result]);
        item.nodes.shift();
        progress = true;
      }
    }
  }
  const stuck = pending.find((item) => item.nodes.length > 0);
  if (stuck) throw badConfig(`layer '${stuck.layer.name}' reads a tensor that no layer of the config makes`);
  const resolve = (ref: History) => {
    const found = tensorAt(ref);
    if (found === undefined) throw badConfig(`no tensor ${JSON.stringify(ref)} in the model`);
    return found;
  };
  const ends = (value: unknown): Nest<KerasTensor> => {
    const refs = endsOf(value);
    if (!Array.isArray(refs)) return Object.fromEntries(Object.entries(refs).map(([k, ref]) => [k, resolve(ref)]));
    // A single reference (not in a list) is a single input or output.
    const single = Array.isArray(value) && typeof value[0] === 'string';
    return single ? resolve(refs[0]) : refs.map(resolve);
  };
  return { inputs: ends(config.input_layers), outputs: ends(config.output_layers) };
}
