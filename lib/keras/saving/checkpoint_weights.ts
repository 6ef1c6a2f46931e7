// Models in TF's object-based checkpoints, laid out as Python's tf.train.Checkpoint lays out a
// Keras 3 model: `model/_operations/<i>/_kernel` for a functional model's layers (a Sequential's
// under `model/_functional/`), `model/optimizer/_iterations`, `_learning_rate` and `_variables/<i>`
// (Keras' optimizer.variables order). Python restores what Node writes with
// `tf.train.Checkpoint(model=model).restore(path)`, and Node reads Python's through its object graph.
import { NotFoundError } from '../../errors';
import { loadVariables, readStringScalar, registerObjectGraphIO, saveVariables } from '../../train/checkpoint';
import { encodeObjectGraph, GraphNode, OBJECT_GRAPH_KEY, ObjectGraph, variablePaths } from '../../train/object_graph';
import { constant } from '../../tensor';
import { Variable } from '../../variable';
import { Conv2D } from '../layers/conv2d';
import { Dense } from '../layers/dense';
import { Layer } from '../layers/layer';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { Optimizer } from '../optimizers/optimizer';
import { toSnakeCase } from '../utils/naming';
import { optimizerVariables } from './saveable_walk';

/** The objects a checkpoint tracks: variables, optimizers, layers and models, and objects of them. */
export type CheckpointObjects = { readonly [key: string]: unknown };

const variableNode = (variable: Variable): GraphNode => ({ variable });

/** Keras 3.15 keeps Dense's and Conv2D's kernel as `_kernel` (for quantization); other weights by their names. */
function attributeName(layer: Layer, weight: string): string {
  return weight === 'kernel' && (layer instanceof Dense || layer instanceof Conv2D) ? '_kernel' : weight;
}

/** Builds the graph nodes of one object tree, each optimizer and layer once. */
class TreeBuilder {
  private readonly optimizers = new Map<Optimizer, GraphNode>();
  private readonly layers = new Map<Layer, GraphNode>();

  optimizer(optimizer: Optimizer): GraphNode {
    let node = this.optimizers.get(optimizer);
    if (node === undefined) {
      const variables = optimizerVariables(optimizer);
      const children: [string, GraphNode][] = [['_iterations', variableNode(optimizer.iterations)]];
      if (optimizer.learningRate.schedule === undefined) children.push(['_learning_rate', variableNode(optimizer.learningRate)]);
      children.push(['_variables', { children: variables.map((v, i) => [String(i), variableNode(v)]) }]);
      node = { children };
      this.optimizers.set(optimizer, node);
    }
    return node;
  }

  layer(layer: Layer): GraphNode {
    const known = this.layers.get(layer);
    if (known !== undefined) return known;
    const node: GraphNode = { children: [] };
    this.layers.set(layer, node);
    const children = node.children as [string, GraphNode][];
    const list = (layers: readonly Layer[]): GraphNode => ({ children: layers.map((l, i) => [String(i), this.layer(l)]) });
    let sublayers: Layer[] = [];
    if (layer instanceof Sequential) {
      sublayers = layer.layers;
      // A built Sequential runs through a functional model whose operations start with its InputLayer.
      if (layer.built)
        children.push([
          '_functional',
          { children: [['_operations', list([...layer.inputs.map((input) => input.node.layer), ...layer.layers])]] },
        ]);
    } else if (layer instanceof Model && layer.inputs.length > 0) {
      sublayers = layer.layers;
      children.push(['_operations', list(layer.layers)]);
    } else {
      for (const [key, value] of Object.entries(layer)) {
        if (value instanceof Layer) {
          children.push([toSnakeCase(key), this.layer(value)]);
          sublayers.push(value);
        } else if (Array.isArray(value) && value.some((item) => item instanceof Layer)) {
          const items = value.filter((item): item is Layer => item instanceof Layer);
          children.push([toSnakeCase(key), list(items)]);
          sublayers.push(...items);
        }
      }
    }
    const inSublayers = new Set(sublayers.flatMap((sub) => sub.weights));
    for (const weight of layer.weights) {
      if (inSublayers.has(weight)) continue;
      const path = layer.weightPath(weight);
      const own = path.startsWith(`${layer.name}/`) ? path.slice(layer.name.length + 1) : path;
      children.push([attributeName(layer, own), variableNode(weight)]);
    }
    if (layer instanceof Model && layer.compiled) children.push(['optimizer', this.optimizer(layer.optimizer)]);
    return node;
  }

  /** A node for each tracked value: a variable, optimizer, layer, or a plain object of them. */
  value(value: unknown, key: string): GraphNode {
    if (value instanceof Variable) return variableNode(value);
    if (value instanceof Optimizer) return this.optimizer(value);
    if (value instanceof Layer) return this.layer(value);
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return { children: Object.entries(value).map(([k, v]) => [k, this.value(v, `${key}/${k}`)]) };
    }
    throw new TypeError(`Checkpoint can track variables, optimizers, layers, models and objects of them; '${key}' is ${String(value)}`);
  }
}

function treeOf(objects: CheckpointObjects, extra: [string, Variable][] = []): GraphNode {
  const builder = new TreeBuilder();
  return {
    children: [
      ...extra.map(([k, v]): [string, GraphNode] => [k, variableNode(v)]),
      ...Object.entries(objects).map(([k, v]): [string, GraphNode] => [k, builder.value(v, k)]),
    ],
  };
}

/** One string variable per set of objects, reused for the graph entry at each save. */
const graphVariables = new WeakMap<object, Variable>();

/** Writes `objects` (and `extra` root variables, e.g. save_counter) as an object-based checkpoint at `path`. */
export function writeObjectCheckpoint(path: string, objects: CheckpointObjects, owner: object, extra: [string, Variable][] = []): void {
  const { bytes, entries } = encodeObjectGraph(treeOf(objects, extra));
  const value = constant([bytes], 'string', []);
  let graphVariable = graphVariables.get(owner);
  if (graphVariable === undefined) {
    graphVariable = new Variable(value, { name: 'object_graph', trainable: false });
    graphVariables.set(owner, graphVariable);
  } else {
    graphVariable.assign(value);
  }
  value.dispose();
  saveVariables(path, [[OBJECT_GRAPH_KEY, graphVariable], ...entries]);
}

/** Builds unbuilt optimizers of compiled models when the checkpoint holds their slots (as Keras' compile_from_config would). */
function buildOptimizers(objects: CheckpointObjects, graph: ObjectGraph): void {
  const visit = (value: unknown, path: string[]) => {
    if (value instanceof Model && value.compiled && !value.optimizer.built) {
      const base = value.optimizer.learningRate.schedule === undefined ? 2 : 1;
      if (graph.has([...path, 'optimizer', '_variables', String(base)])) value.optimizer.build(value.trainableVariables);
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  for (const [k, v] of Object.entries(objects)) visit(v, [k]);
}

/** Restores `objects` from the object-based checkpoint at `path` (Python's or ours): all or nothing. */
export function restoreObjectCheckpoint(path: string, objects: CheckpointObjects, extra: [string, Variable][] = []): void {
  const bytes = readStringScalar(path, OBJECT_GRAPH_KEY);
  if (bytes === undefined) {
    throw new NotFoundError(
      `Checkpoint '${path}' has no object graph (${OBJECT_GRAPH_KEY}): it was not written by tf.train.Checkpoint or model.saveWeights()`,
    );
  }
  const graph = new ObjectGraph(bytes);
  const resolve = (): [string, Variable][] => {
    const entries: [string, Variable][] = [];
    for (const [names, variable] of variablePaths(treeOf(objects, extra))) {
      const key = graph.keyOf(names);
      if (key === undefined) {
        if (extra.some(([, v]) => v === variable)) continue;
        throw new NotFoundError(`Checkpoint '${path}' has no value for '${names.join('/')}' (variable '${variable.name}')`);
      }
      entries.push([key, variable]);
    }
    return entries;
  };
  // Everything but the slots is found before any optimizer builds its slots, so a wrong checkpoint changes nothing.
  resolve();
  buildOptimizers(objects, graph);
  const entries = resolve();
  loadVariables(path, entries);
}

/** Python's Checkpoint has a save_counter at its root, which its strictest restore check wants matched. */
const saveCounters = new WeakMap<Model, Variable>();

function saveCounterOf(model: Model): [string, Variable][] {
  let counter = saveCounters.get(model);
  if (counter === undefined) {
    counter = new Variable(BigInt(1), { name: 'save_counter', trainable: false, dtype: 'int64' });
    saveCounters.set(model, counter);
  }
  return [['save_counter', counter]];
}

/** model.saveWeights(prefix): the model as `tf.train.Checkpoint(model=model).save()` writes it. */
export function saveCheckpointWeights(model: Model, path: string): void {
  if (!model.built) {
    throw new RangeError(
      'You are saving a model that has not yet been built. Try building the model first by calling it on some data or by using `build()`.',
    );
  }
  writeObjectCheckpoint(path, { model }, model, saveCounterOf(model));
}

/** model.loadWeights(prefix): restores what `tf.train.Checkpoint(model=model)` wrote (or Python's, through its object graph). */
export function loadCheckpointWeights(model: Model, path: string): void {
  restoreObjectCheckpoint(path, { model });
}

registerObjectGraphIO({ write: writeObjectCheckpoint, restore: restoreObjectCheckpoint });
