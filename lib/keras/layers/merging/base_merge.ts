// Keras' Merge: the base of the elementwise merging layers (Add, Multiply, Maximum, ...). Called on
// a list of tensors; inputs of lower rank get size-1 axes after the batch, then broadcast.
import { formatShape } from '../../../ops/convert';
import { Any, BroadcastTo, ExpandDims, LogicalOr, SelectV2, Shape as ShapeOp } from '../../../ops/generated';
import { Shape, Tensor } from '../../../tensor';
import {
  getKerasMask,
  isShapeList,
  Layer,
  LayerInputs,
  LayerMask,
  LayerOptions,
  LayerShape,
  ListCallOptions,
  setKerasMask,
} from '../layer';

/** Python's repr of a list of shapes: '[(None, 3), (None, 4)]'. */
export function formatShapes(shapes: LayerShape): string {
  return isShapeList(shapes) ? `[${shapes.map(formatShape).join(', ')}]` : formatShape(shapes);
}

/** Python's repr of a list of tensors in an error message. */
export function formatInputs(inputs: LayerInputs): string {
  return Array.isArray(inputs)
    ? `[${inputs.map((t) => `<Tensor shape=${formatShape(t.shape)}, dtype=${t.dtype}>`).join(', ')}]`
    : String(inputs);
}

/** `mask` [batch, ...] broadcast to the shape of `x` (one more trailing axis). */
function expandMask(mask: Tensor, x: Tensor): Tensor {
  return BroadcastTo({ input: ExpandDims({ input: mask, dim: -1 }), shape: ShapeOp({ input: x }) });
}

export abstract class Merge extends Layer {
  protected override readonly takesList = true;
  /** The inputs' ranks differ: lower ones get size-1 axes after the batch axis (Keras' _reshape_required). */
  protected reshapeRequired = false;

  constructor(options: LayerOptions = {}) {
    super(options);
    this.supportsMasking = true;
  }

  /** The merge of same-rank inputs. */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /** Keras' _compute_elemwise_op_output_shape: numpy broadcasting of two sample shapes. */
  protected elementwiseShape(shape1: Shape, shape2: Shape): Shape {
    if (shape1.length < shape2.length) return this.elementwiseShape(shape2, shape1);
    if (shape2.length === 0) return shape1;
    const out: Shape = shape1.slice(0, shape1.length - shape2.length);
    shape1.slice(shape1.length - shape2.length).forEach((i, k) => {
      const j = shape2[k];
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else {
        if (i !== j)
          throw new RangeError(`Inputs have incompatible shapes. Received shapes ${formatShape(shape1)} and ${formatShape(shape2)}`);
        out.push(i);
      }
    });
    return out;
  }

  protected checkList(inputShape: LayerShape): asserts inputShape is Shape[] {
    if (!isShapeList(inputShape)) {
      throw new RangeError(
        `A merge layer should be called on a list of inputs. Received: input_shape=${formatShape(inputShape)} (not a list of shapes)`,
      );
    }
  }

  override build(inputShape: LayerShape): void {
    this.checkList(inputShape);
    const batches = new Set(inputShape.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batches.size > 1) {
      throw new RangeError(`Cannot merge tensors with different batch sizes. Received tensors with shapes ${formatShapes(inputShape)}`);
    }
    this.computeOutputShape(inputShape);
    this.reshapeRequired = new Set(inputShape.map((s) => s.length)).size !== 1;
  }

  override call(inputs: Tensor[], _options: ListCallOptions): Tensor {
    if (!Array.isArray(inputs)) {
      throw new RangeError(
        `A merge layer should be called on a list of inputs. Received: inputs=${formatInputs(inputs)} (not a list of tensors)`,
      );
    }
    if (!this.reshapeRequired) return this.mergeFunction(inputs);
    const maxRank = Math.max(...inputs.map((x) => x.rank));
    return this.mergeFunction(
      inputs.map((x) => {
        let y = x;
        for (let r = x.rank; r < maxRank; r++) y = ExpandDims({ input: y, dim: 1 });
        return y;
      }),
    );
  }

  override computeOutputShape(inputShape: LayerShape): Shape {
    this.checkList(inputShape);
    let out = inputShape[0].slice(1);
    for (const shape of inputShape.slice(1)) out = this.elementwiseShape(out, shape.slice(1));
    const batches = new Set(inputShape.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    return [batches.size === 1 ? ([...batches][0] as number) : null, ...out];
  }

  /** Keras: the OR of the inputs' masks when every input has one, else none. */
  override computeMask(inputs: LayerInputs, mask: LayerMask): Tensor | null {
    if (mask === null || mask === undefined) return null;
    if (!Array.isArray(mask)) throw new RangeError(`\`mask\` should be a list. Received: mask=${String(mask)}`);
    if (!Array.isArray(inputs)) throw new RangeError(`\`inputs\` should be a list. Received: inputs=${formatInputs(inputs)}`);
    if (mask.length !== inputs.length) {
      throw new RangeError(
        `The lists \`inputs\` and \`mask\` should have the same length. Received: inputs=${formatInputs(inputs)} of length ${inputs.length}, and mask of length ${mask.length}`,
      );
    }
    if (mask.some((m) => m === null)) return null;
    return (mask as Tensor[]).reduce((a, b) => LogicalOr({ x: a, y: b }));
  }

  /**
   * Keras' _apply_merge_op_and_or_mask (Maximum, Minimum: no identity element): a masked value takes
   * the other operand's; the OR of the masks, reduced over the last axis, is the output's mask.
   */
  protected applyWithMasks(op: (x: Tensor, y: Tensor) => Tensor, inputs: Tensor[]): Tensor {
    let output: Tensor | null = null;
    let outputMask: Tensor | null = null;
    for (let x of inputs) {
      const raw = getKerasMask(x);
      const mask = raw === null ? null : expandMask(raw, x);
      if (output === null) {
        output = x;
        outputMask = mask;
        continue;
      }
      if (mask !== null) x = SelectV2({ condition: mask, t: x, e: output });
      if (outputMask !== null) output = SelectV2({ condition: outputMask, t: output, e: x });
      outputMask = mask !== null && outputMask !== null ? LogicalOr({ x: outputMask, y: mask }) : null;
      output = op(output, x);
    }
    const result = output as Tensor;
    if (outputMask !== null) setKerasMask(result, Any({ input: outputMask, reductionIndices: -1, keepDims: false }));
    return result;
  }
}

export { expandMask };
