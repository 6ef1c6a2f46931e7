// The symbolic side of the functional API: a KerasTensor is a shape and dtype produced by one call
// of a layer on other KerasTensors (a Node); models are graphs of those nodes.
import { DType } from '../../dtypes';
import { formatShape } from '../../ops/convert';
import { Shape } from '../../tensor';
import type { CallOptions, Layer } from './layer';
import { autoName } from '../utils/naming';

export class KerasTensor {
  readonly name: string;

  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    /** The layer call that produced this tensor. */
    readonly node: Node,
    /** Which output of that call it is. */
    readonly index: number,
    name?: string,
  ) {
    this.name = name ?? autoName('keras_tensor');
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, sparse=False, ragged=False, name=${this.name}>`;
  }
}

export interface TensorSpecLike {
  shape: Shape;
  dtype: DType;
}

/** A call option whose value is a list of tensors, recorded as inputs of the node. */
export interface TensorKwarg {
  /** Keras' keyword ('initial_state'). */
  name: string;
  /** Ours ('initialState'). */
  key: string;
  count: number;
}

/** One call of `layer` on symbolic inputs, with the outputs it made. */
export class Node {
  readonly outputs: KerasTensor[];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly KerasTensor[],
    outputSpecs: readonly TensorSpecLike[],
    readonly callOptions: CallOptions = {},
    outputName?: string,
    /** The layer was called on a list (`layer([a, b])`): call() gets `inputs` as a list. */
    readonly listInput = false,
    /**
     * The inputs were separate positional arguments (MultiHeadAttention's query, value, key): run
     * as a list, saved as Keras' `args: [q, v, k]` rather than one list argument.
     */
    readonly positionalArgs = false,
    /**
     * The last `count` inputs were a keyword argument of tensors (an RNN's `initial_state`): the
     * call gets them as the option `key`, and Keras' config lists them under `kwargs[name]`.
     */
    readonly tensorKwarg: TensorKwarg | null = null,
  ) {
    this.outputs = outputSpecs.map((spec, i) => new KerasTensor([...spec.shape], spec.dtype, this, i, outputName));
  }

  /** The position of this node among its layer's calls (Keras' node_index). */
  get index(): number {
    return this.layer.inboundNodes.indexOf(this);
  }
}
