// Keras' walk over a model's saveables (saving_lib._save_state / _walk_saveable): the path and
// variables of each layer and of the optimizer, as the weights file stores them. A Sequential or
// functional model's `layers` come first, each named by its class in snake_case, made unique in the
// list ('dense', 'dense_1'); a layer's variables are its own trainable ones, then its non-trainable
// ones (moving mean and variance), in creation order; the optimizer's are `iterations`, the learning
// rate (not for a schedule), then its slots in build order.
import { Variable } from '../../variable';
import { Layer } from '../layers/layer';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { Optimizer } from '../optimizers/optimizer';
import { toSnakeCase } from '../utils/naming';

/** One saveable: where its variables go (`layers/dense`), its name, and its variables in order. */
export interface Saveable {
  path: string;
  name: string;
  variables: Variable[];
  /** The optimizer this entry is, for loading into one that has not built its slots yet. */
  optimizer?: Optimizer;
}

/**
 * The optimizer's variables in Keras' order (its `variables`): iterations, the learning rate (not for
 * a schedule), then the slots as Keras builds them; Adam's and AdamW's amsgrad `velocity_hat` slots
 * come after every variable's momentum and velocity (Keras makes them in a second pass).
 */
export function optimizerVariables(optimizer: Optimizer): Variable[] {
  const [iterations, learningRate, ...slots] = optimizer.variables;
  const isHat = (v: Variable) => /_velocity_hat(:\d+)?$/.test(v.name);
  return [
    iterations,
    ...(optimizer.learningRate.schedule === undefined ? [learningRate] : []),
    ...slots.filter((v) => !isHat(v)),
    ...slots.filter(isHat),
  ];
}

/** Keras' _get_unique_name: a container's entries named by class, numbered from the second. */
function uniqueNamer(): (name: string) => string {
  const used = new Map<string, number>();
  return (name) => {
    const count = used.get(name);
    used.set(name, (count ?? -1) + 1);
    return count === undefined ? name : `${name}_${count + 1}`;
  };
}

/** Keras' _name_key: private attributes last. */
function byAttributeName([a]: [string, unknown], [b]: [string, unknown]): number {
  const key = (name: string) => (name.startsWith('_') ? `~${name}` : name);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/** The layers a layer holds in its own properties (by snake_case name), and lists of them. */
function childLayers(layer: Layer): [string, Layer | Layer[]][] {
  const children: [string, Layer | Layer[]][] = [];
  for (const [key, value] of Object.entries(layer).sort(byAttributeName)) {
    if (value instanceof Layer) children.push([toSnakeCase(key), value]);
    else if (Array.isArray(value) && value.some((item) => item instanceof Layer)) {
      children.push([toSnakeCase(key), value.filter((item): item is Layer => item instanceof Layer)]);
    }
  }
  return children;
}

/** The class name Keras knows a layer by (a functional `Model` is a 'Functional'). */
function classNameOf(layer: Layer): string {
  return (layer as { serializedClass?: { name: string } }).serializedClass?.name ?? layer.constructor.name;
}

function isGraphModel(layer: Layer): layer is Model {
  return layer instanceof Sequential || (layer instanceof Model && layer.inputs.length > 0);
}

/** Every saveable of `model` in Keras' walk order, each object once. */
export function saveablesOf(model: Model): Saveable[] {
  const out: Saveable[] = [];
  const visited = new Set<object>();
  const join = (path: string, name: string) => (path === '' ? name : `${path}/${name}`);
  const visitList = (layers: readonly Layer[], path: string) => {
    const unique = uniqueNamer();
    for (const layer of layers) visitLayer(layer, join(path, unique(toSnakeCase(classNameOf(layer)))));
  };
  const visitLayer = (layer: Layer, path: string): void => {
    if (visited.has(layer)) return;
    visited.add(layer);
    const entry: Saveable = { path, name: layer.name, variables: [] };
    out.push(entry);
    const children: [string, Layer | Layer[]][] = isGraphModel(layer)
      ? [['layers', layer.layers]]
      : layer instanceof Model
        ? childLayers(layer).filter(([, child]) => !(child instanceof Model && child === layer))
        : childLayers(layer);
    const inChildren = new Set<Variable>();
    for (const [, child] of children)
      for (const sub of Array.isArray(child) ? child : [child]) for (const v of sub.weights) inChildren.add(v);
    entry.variables = layer.weights.filter((v) => !inChildren.has(v));
    for (const [name, child] of children) {
      if (Array.isArray(child)) visitList(child, join(path, name));
      else visitLayer(child, join(path, name));
    }
    if (layer instanceof Model && layer.compiled && !visited.has(layer.optimizer)) {
      visited.add(layer.optimizer);
      out.push({
        path: join(path, 'optimizer'),
        name: layer.optimizer.name,
        variables: optimizerVariables(layer.optimizer),
        optimizer: layer.optimizer,
      });
    }
  };
  visitLayer(model, '');
  return out;
}
