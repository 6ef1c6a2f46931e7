// The graph of a functional model: the layer calls (nodes) between its Input tensors and outputs,
// in an order that runs each node after its inputs, and Keras' layer order (by depth) for summary().
import { Shape, Tensor } from '../../tensor';
import { InputLayer } from '../layers/input_layer';
import { KerasTensor, Node } from '../layers/keras_tensor';
import { CallOptions, isShapeList, Layer } from '../layers/layer';

export class FunctionalGraph {
  /** Non-input nodes, each after the nodes it reads from. */
  readonly nodes: Node[];
  /** Keras' `_operations`: input layers first, then layers by decreasing depth. */
  readonly operations: Layer[];
  /** Every node (inputs included) with its depth; outputs are at depth 0. */
  readonly nodeDepths: Map<Node, number>;

  constructor(
    readonly inputs: readonly KerasTensor[],
    readonly outputs: readonly KerasTensor[],
    modelName: string,
  ) {
    for (const input of inputs) {
      if (!(input instanceof KerasTensor) || !(input.node.layer instanceof InputLayer)) {
        throw new TypeError(
          `Model '${modelName}': inputs must come from tf.keras.layers.Input (thus holding past layer metadata). Received: ${String(input)}`,
        );
      }
    }
    for (const output of outputs) {
      if (!(output instanceof KerasTensor))
        throw new TypeError(`Model '${modelName}': outputs must be KerasTensors. Received: ${String(output)}`);
    }
    // Post-order DFS from the outputs: a node comes after everything it reads.
    const ordered: Node[] = [];
    const visited = new Set<Node>();
    const visit = (node: Node): void => {
      if (visited.has(node)) return;
      visited.add(node);
      for (const input of node.inputs) visit(input.node);
      ordered.push(node);
    };
    for (const output of outputs) visit(output.node);
    const inputNodes = new Set(inputs.map((t) => t.node));
    for (const node of ordered) {
      if (node.layer instanceof InputLayer && !inputNodes.has(node)) {
        throw new RangeError(
          `Graph disconnected: cannot find parent for KerasTensor '${node.outputs[0].name}' of layer '${node.layer.name}'. ` +
            `Pass it in the model's \`inputs\`. Inputs given: ${inputs.map((t) => `'${t.name}'`).join(', ')}`,
        );
      }
    }
    this.nodes = ordered.filter((node) => !(node.layer instanceof InputLayer));
    this.nodeDepths = this.depths(ordered);
    this.operations = this.orderLayers(ordered);
    const names = new Map<string, number>();
    for (const layer of this.operations) names.set(layer.name, (names.get(layer.name) ?? 0) + 1);
    for (const [name, count] of names) {
      if (count > 1) throw new RangeError(`The name "${name}" is used ${count} times in the model. All operation names should be unique.`);
    }
  }

  /** Keras' depth rule: each node is one deeper than the deepest node that reads it. */
  private depths(ordered: readonly Node[]): Map<Node, number> {
    const nodeDepths = new Map<Node, number>();
    const layerDepths = new Map<Layer, number>();
    for (const node of [...ordered].reverse()) {
      const depth = Math.max(nodeDepths.get(node) ?? 0, layerDepths.get(node.layer) ?? 0);
      layerDepths.set(node.layer, depth);
      nodeDepths.set(node, depth);
      for (const input of node.inputs) nodeDepths.set(input.node, Math.max(depth + 1, nodeDepths.get(input.node) ?? 0));
    }
    return nodeDepths;
  }

  private orderLayers(ordered: readonly Node[]): Layer[] {
    const firstSeen = new Map<Layer, number>();
    const depth = new Map<Layer, number>();
    ordered.forEach((node, i) => {
      if (!firstSeen.has(node.layer)) firstSeen.set(node.layer, i);
      depth.set(node.layer, Math.max(depth.get(node.layer) ?? 0, this.nodeDepths.get(node) ?? 0));
    });
    return [...firstSeen.keys()].sort(
      (a, b) => (depth.get(b) as number) - (depth.get(a) as number) || (firstSeen.get(a) as number) - (firstSeen.get(b) as number),
    );
  }

  /** Runs the graph on `inputs`; an explicit `training` overrides what each layer call recorded. */
  run(inputs: readonly Tensor[], options: CallOptions): Tensor[] {
    const values = new Map<KerasTensor, Tensor>();
    this.inputs.forEach((input, i) => values.set(input, inputs[i]));
    for (const node of this.nodes) {
      const callOptions = options.training === undefined ? node.callOptions : { ...node.callOptions, training: options.training };
      let args = node.inputs.map((input) => values.get(input) as Tensor);
      let nodeOptions = callOptions;
      const kwarg = node.tensorKwarg;
      if (kwarg !== null) {
        nodeOptions = { ...callOptions, [kwarg.key]: args.slice(args.length - kwarg.count) };
        args = args.slice(0, args.length - kwarg.count);
      }
      // A layer with several outputs (an RNN with returnState) returns them as an array.
      const result = (node.listInput ? node.layer.apply(args, nodeOptions as never) : node.layer.apply(args[0], nodeOptions)) as
        | Tensor
        | Tensor[];
      (Array.isArray(result) ? result : [result]).forEach((value, i) => values.set(node.outputs[i], value));
    }
    return this.outputs.map((output) => values.get(output) as Tensor);
  }

  /** Output shapes for inputs of `inputShapes`, through each layer's computeOutputShape. */
  outputShapes(inputShapes: readonly Shape[]): Shape[] {
    const shapes = new Map<KerasTensor, Shape>();
    this.inputs.forEach((input, i) => shapes.set(input, inputShapes[i]));
    for (const node of this.nodes) {
      const args = node.inputs.map((input) => shapes.get(input) as Shape);
      const shape = node.layer.computeOutputShape(node.listInput ? args : args[0]);
      // Further outputs (returned states) keep the shapes recorded with the node.
      node.outputs.forEach((output, i) => shapes.set(output, isShapeList(shape) ? shape[i] : i === 0 ? shape : output.shape));
    }
    return this.outputs.map((output) => shapes.get(output) as Shape);
  }

  /** The calls of `layer` that are part of this graph, in call order. */
  nodesOf(layer: Layer): Node[] {
    return layer.inboundNodes.filter((node) => this.nodeDepths.has(node));
  }
}
