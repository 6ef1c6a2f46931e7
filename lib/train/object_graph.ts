// TF's TrackableObjectGraph (trackable_object_graph.proto): the `_CHECKPOINTABLE_OBJECT_GRAPH`
// entry of an object-based checkpoint. Python's tf.train.Checkpoint.restore matches its own objects
// to the graph's nodes by the children's local names, and reads each variable from the checkpoint
// key its node names. Written here from a tree of named children; read to find the key of a path.
import * as protobuf from 'protobufjs';
import type { Variable } from '../variable';

/** The key the object graph is stored under. */
export const OBJECT_GRAPH_KEY = '_CHECKPOINTABLE_OBJECT_GRAPH';

/** An object of the graph: named children, or a variable (a leaf). The same node object reached twice is one node. */
export interface GraphNode {
  children?: [string, GraphNode][];
  variable?: Variable;
}

interface ProtoNode {
  children: { nodeId: number; localName: string }[];
  attributes: { name: string; fullName: string; checkpointKey: string }[];
  hasCheckpointValues?: { value: boolean };
}

const ref = (fields: Record<string, [string, number, string?]>) => ({
  fields: Object.fromEntries(Object.entries(fields).map(([name, [type, id, rule]]) => [name, { type, id, ...(rule ? { rule } : {}) }])),
});

let graphType: protobuf.Type | undefined;

function messageType(): protobuf.Type {
  graphType ??= protobuf.Root.fromJSON({
    nested: {
      BoolValue: ref({ value: ['bool', 1] }),
      ObjectReference: ref({ nodeId: ['int32', 1], localName: ['string', 2] }),
      SerializedTensor: ref({ name: ['string', 1], fullName: ['string', 2], checkpointKey: ['string', 3] }),
      TrackableObject: ref({
        children: ['ObjectReference', 1, 'repeated'],
        attributes: ['SerializedTensor', 2, 'repeated'],
        hasCheckpointValues: ['BoolValue', 5],
      }),
      TrackableObjectGraph: ref({ nodes: ['TrackableObject', 1, 'repeated'] }),
    },
  }).lookupType('TrackableObjectGraph');
  return graphType;
}

/** Python's escaping of a local name in a checkpoint key ('/' and '.' are separators). */
function escapeLocalName(name: string): string {
  return name.replace(/\./g, '..').replace(/\//g, '.S');
}

const VARIABLE_SUFFIX = '.ATTRIBUTES/VARIABLE_VALUE';

/**
 * The graph of `root` as TF writes it (nodes numbered breadth-first, as Python does), and each
 * variable's checkpoint key: its first path from the root, as Python names it.
 */
export function encodeObjectGraph(root: GraphNode): { bytes: Uint8Array; entries: [string, Variable][] } {
  const ids = new Map<GraphNode, number>();
  const paths: string[] = [];
  const order: GraphNode[] = [];
  const byVariable = new Map<Variable, GraphNode>();
  const add = (node: GraphNode, path: string) => {
    // One node per variable, even when two tree nodes hold it.
    const canonical = node.variable !== undefined ? (byVariable.get(node.variable) ?? node) : node;
    if (node.variable !== undefined) byVariable.set(node.variable, canonical);
    if (!ids.has(canonical)) {
      ids.set(canonical, order.length);
      order.push(canonical);
      paths.push(path);
    }
    return ids.get(canonical) as number;
  };
  add(root, '');
  for (let i = 0; i < order.length; i++)
    for (const [name, child] of order[i].children ?? []) add(child, `${paths[i]}${escapeLocalName(name)}/`);
  const entries: [string, Variable][] = [];
  const hasValues = new Map<GraphNode, boolean>();
  const valuesBelow = (node: GraphNode, seen = new Set<GraphNode>()): boolean => {
    const known = hasValues.get(node);
    if (known !== undefined) return known;
    if (seen.has(node)) return false;
    seen.add(node);
    const canonical = node.variable !== undefined ? (byVariable.get(node.variable) as GraphNode) : node;
    const result = canonical.variable !== undefined || (canonical.children ?? []).some(([, child]) => valuesBelow(child, seen));
    hasValues.set(node, result);
    return result;
  };
  const nodes: ProtoNode[] = order.map((node, i) => {
    const attributes: ProtoNode['attributes'] = [];
    if (node.variable !== undefined) {
      const checkpointKey = `${paths[i]}${VARIABLE_SUFFIX}`;
      entries.push([checkpointKey, node.variable]);
      attributes.push({ name: 'VARIABLE_VALUE', fullName: node.variable.name.replace(/:\d+$/, ''), checkpointKey });
    }
    return {
      children: (node.children ?? []).map(([localName, child]) => ({ nodeId: ids.get(canonicalOf(child)) as number, localName })),
      attributes,
      hasCheckpointValues: { value: valuesBelow(node) },
    };
  });
  function canonicalOf(node: GraphNode): GraphNode {
    return node.variable !== undefined ? (byVariable.get(node.variable) as GraphNode) : node;
  }
  const type = messageType();
  return { bytes: type.encode(type.fromObject({ nodes })).finish(), entries };
}

/** A decoded object graph: the checkpoint key of the variable at a path of local names, if any. */
export class ObjectGraph {
  private readonly nodes: ProtoNode[];

  constructor(bytes: Uint8Array) {
    const type = messageType();
    this.nodes = (type.toObject(type.decode(bytes), { arrays: true, defaults: true }) as { nodes: ProtoNode[] }).nodes;
  }

  /** The checkpoint key of the variable at `path` (local names from the root), or undefined. */
  keyOf(path: readonly string[]): string | undefined {
    let node = this.nodes[0];
    for (const name of path) {
      const child = node?.children.find((c) => c.localName === name);
      if (child === undefined) return undefined;
      node = this.nodes[child.nodeId];
    }
    return node?.attributes.find((a) => a.name === 'VARIABLE_VALUE')?.checkpointKey;
  }

  /** Whether a node exists at `path`. */
  has(path: readonly string[]): boolean {
    let node = this.nodes[0];
    for (const name of path) {
      const child = node?.children.find((c) => c.localName === name);
      if (child === undefined) return false;
      node = this.nodes[child.nodeId];
    }
    return node !== undefined;
  }
}

/** Each variable of the tree with its first path from the root (breadth-first, as Python keys it). */
export function variablePaths(root: GraphNode): [string[], Variable][] {
  const out: [string[], Variable][] = [];
  const seen = new Set<GraphNode>();
  const taken = new Set<Variable>();
  const queue: [GraphNode, string[]][] = [[root, []]];
  for (let i = 0; i < queue.length; i++) {
    const [node, path] = queue[i];
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.variable !== undefined && !taken.has(node.variable)) {
      taken.add(node.variable);
      out.push([path, node.variable]);
    }
    for (const [name, child] of node.children ?? []) queue.push([child, [...path, name]]);
  }
  return out;
}
