// keras.layers.Concatenate: a list of inputs joined along `axis`; their masks are joined too.
import { Any, Cast, ConcatV2, ExpandDims, LogicalOr, OnesLike, ZerosLike } from '../../../ops/generated';
import { Shape, Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerInputs, LayerMask, LayerOptions, LayerShape, ListCallOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { formatInputs, formatShapes, Merge } from './base_merge';

export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along; default -1. */
  axis?: number;
}

/** Keras' leading parameters: `new Concatenate(axis)`. */
const POSITIONAL = ['axis'] as const;

/** Python's list index (negative from the end). */
const at = (length: number, axis: number): number => (axis < 0 ? length + axis : axis);

export class Concatenate extends Merge {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Merge.optionKeys, 'axis'];
  readonly axis: number;

  constructor(...args: PositionalArgs<ConcatenateOptions, typeof POSITIONAL>) {
    const { axis = -1, ...rest } = positionalOptions<ConcatenateOptions>(new.target, args);
    super(rest);
    if (!Number.isInteger(axis)) throw new TypeError(`Concatenate: \`axis\` must be an integer. Received: axis=${String(axis)}`);
    this.axis = axis;
  }

  override build(inputShape: LayerShape): void {
    if (inputShape.length < 1 || !Array.isArray(inputShape[0])) {
      throw new RangeError(
        `A \`Concatenate\` layer should be called on a list of at least 1 input. Received: input_shape=${formatShapes(inputShape)}`,
      );
    }
    const shapes = inputShape as Shape[];
    // Keras' check: the shapes without the concatenation axis agree where both dims are known.
    const reduced = shapes.map((shape) => {
      const copy = [...shape];
      if (copy.length > this.axis) copy.splice(at(copy.length, this.axis), 1);
      return copy;
    });
    const distinct = new Set(reduced.map((s) => JSON.stringify(s)));
    if (distinct.size === 1) return;
    const error = new RangeError(
      `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${formatShapes(shapes)}`,
    );
    const ranks = new Set(reduced.map((s) => s.length));
    if (ranks.size !== 1) throw error;
    for (let axis = 0; axis < reduced[0].length; axis++) {
      if (new Set(reduced.map((s) => s[axis]).filter((d) => d !== null)).size > 1) throw error;
    }
  }

  override call(inputs: Tensor[], _options: ListCallOptions): Tensor {
    if (!Array.isArray(inputs)) {
      throw new RangeError(
        `A merge layer should be called on a list of inputs. Received: inputs=${formatInputs(inputs)} (not a list of tensors)`,
      );
    }
    return this.mergeFunction(inputs);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return ConcatV2({ values: inputs, axis: this.axis });
  }

  override computeOutputShape(inputShape: LayerShape): Shape {
    if (inputShape.length === 0 || !Array.isArray(inputShape[0])) {
      throw new RangeError(
        `A \`Concatenate\` layer should be called on a list of inputs. Received: input_shape=${formatShapes(inputShape)}`,
      );
    }
    const shapes = inputShape as Shape[];
    const out = [...shapes[0]];
    const axis = at(out.length, this.axis);
    for (const shape of shapes.slice(1)) {
      const dim = shape[at(shape.length, this.axis)];
      if (out[axis] === null || dim === null) {
        out[axis] = null;
        break;
      }
      out[axis] = (out[axis] as number) + dim;
    }
    return out;
  }

  /** Keras: missing masks are all true, lower-rank masks broadcast; joined along `axis`, then any() over the last axis. */
  override computeMask(inputs: LayerInputs, mask: LayerMask): Tensor | null {
    if (mask === null || mask === undefined) return null;
    if (!Array.isArray(mask)) throw new RangeError(`\`mask\` should be a list. Received mask=${String(mask)}`);
    if (!Array.isArray(inputs)) throw new RangeError(`\`inputs\` should be a list. Received: inputs=${formatInputs(inputs)}`);
    if (mask.length !== inputs.length) {
      throw new RangeError(
        `The lists \`inputs\` and \`mask\` should have the same length. Received: inputs=${formatInputs(inputs)} of length ${inputs.length}, and mask of length ${mask.length}`,
      );
    }
    if (mask.every((m) => m === null)) return null;
    const masks = inputs.map((input, i) => {
      const m = mask[i] as Tensor | null;
      if (m === null) return Cast({ x: OnesLike({ x: input }), DstT: 'bool' });
      if (m.rank < input.rank) {
        return LogicalOr({ x: ExpandDims({ input: m, dim: -1 }), y: Cast({ x: ZerosLike({ x: input }), DstT: 'bool' }) });
      }
      return m;
    });
    return Any({ input: ConcatV2({ values: masks, axis: this.axis }), reductionIndices: -1, keepDims: false });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Keras' `keras.layers.concatenate(inputs, axis)`: a new Concatenate layer applied to `inputs`. */
export function concatenate(inputs: readonly KerasTensor[], axis?: number, options?: LayerOptions): KerasTensor;
export function concatenate(inputs: readonly TensorLike[], axis?: number, options?: LayerOptions): Tensor;
export function concatenate(inputs: readonly (KerasTensor | TensorLike)[], axis = -1, options: LayerOptions = {}): Tensor | KerasTensor {
  return new Concatenate({ ...options, axis }).apply(inputs as never);
}

kerasExport('keras.layers', [Concatenate]);
