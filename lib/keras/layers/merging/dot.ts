// keras.layers.Dot: the per-sample dot product of two inputs along `axes` (Keras' batch_dot), with
// optional L2 normalization of both first (cosine proximity).
import { formatShape, int32Vector } from '../../../ops/convert';
import { BatchMatMulV2, ExpandDims, Minimum, Mul, Reshape, Rsqrt, Square, Squeeze, Sum, Transpose } from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../../tensor';
import type { KerasTensor } from '../keras_tensor';
import type { LayerOptions, LayerShape, ListCallOptions } from '../layer';
import { kerasExport } from '../../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { formatInputs, formatShapes, Merge } from './base_merge';

export type DotAxes = number | readonly [number, number];

export interface DotOptions extends LayerOptions {
  /** The axis (or one per input) to take the dot product along; never the batch axis. */
  axes: DotAxes;
  /** L2-normalize both inputs along `axes` first (the output is then the cosine similarity). */
  normalize?: boolean;
}

/** Keras' leading parameters: `new Dot(axes, normalize)`. */
const POSITIONAL = ['axes', 'normalize'] as const;

/** Keras' normalize(x, axis) for order 2: x · min(rsqrt(Σx²), 1/epsilon). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const inv = Rsqrt({ x: Sum({ input: Square({ x }), reductionIndices: axis, keepDims: true }) });
  return Mul({ x, y: Minimum({ x: inv, y: constantTensor(1 / 1e-7, x.dtype) }) });
}

/** Keras' batch_dot(x, y, axes), ranks ≥ 2, axes already non-negative. */
function batchDot(x: Tensor, y: Tensor, axes: [number, number]): Tensor {
  const xShape = x.shape;
  const yShape = y.shape;
  const [origX, origY] = [xShape.length, yShape.length];
  let [a0, a1] = axes;
  if (a0 === 0 || a1 === 0) {
    throw new RangeError(
      'Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to your inputs using keras.ops.expand_dims(x, 0)',
    );
  }
  const [d1, d2] = [xShape[a0], yShape[a1]];
  if (d1 !== null && d2 !== null && d1 !== d2) {
    throw new RangeError(
      `Cannot do batch_dot on inputs with shapes ${formatShape(xShape)} and ${formatShape(yShape)} with axes=[${a0}, ${a1}]. x.shape[${a0}] != y.shape[${a1}] (${d1} != ${d2}).`,
    );
  }
  let xNdim = origX;
  let yNdim = origY;
  if (xNdim === 2) {
    x = ExpandDims({ input: x, dim: 1 });
    a0 += 1;
    xNdim += 1;
  }
  if (yNdim === 2) {
    y = ExpandDims({ input: y, dim: 2 });
    yNdim += 1;
  }
  // Move x's axis last and y's to position 1: then it is a batched matmul.
  if (a0 !== xNdim - 1) {
    const pattern = [...Array(xNdim).keys()];
    for (let i = a0; i < xNdim - 1; i++) pattern[i] = pattern[i + 1];
    pattern[xNdim - 1] = a0;
    x = Transpose({ x, perm: int32Vector(pattern) });
  }
  if (a1 !== 1) {
    const pattern = [...Array(yNdim).keys()];
    for (let i = a1; i > 1; i--) pattern[i] = pattern[i - 1];
    pattern[1] = a1;
    y = Transpose({ x: y, perm: int32Vector(pattern) });
  }
  // Ranks above 3 are squashed to 3 (their middle dims must be static).
  const known = (dims: Shape, what: string): number[] => {
    if (dims.some((d) => d === null))
      throw new RangeError(`Dot: the ${what} dims of inputs of rank > 3 must be known. Received: ${formatShape(dims)}`);
    return dims as number[];
  };
  const xMid = xNdim > 3 ? known(x.shape.slice(1, -1), 'middle') : null;
  if (xMid !== null) x = Reshape({ tensor: x, shape: int32Vector([-1, xMid.reduce((p, d) => p * d, 1), x.shape[xNdim - 1] as number]) });
  const yTrail = yNdim > 3 ? known(y.shape.slice(2), 'trailing') : null;
  if (yTrail !== null) y = Reshape({ tensor: y, shape: int32Vector([-1, y.shape[1] as number, yTrail.reduce((p, d) => p * d, 1)]) });
  let result = BatchMatMulV2({ x, y });
  if (xMid !== null || yTrail !== null) {
    const shape = [-1, ...(xMid ?? [result.shape[1] as number]), ...(yTrail ?? [result.shape[2] as number])];
    result = Reshape({ tensor: result, shape: int32Vector(shape) });
  }
  if (origX === 2) result = Squeeze({ input: result, squeezeDims: [1] });
  else if (origY === 2) result = Squeeze({ input: result, squeezeDims: [-1] });
  return result;
}

export class Dot extends Merge {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Merge.optionKeys, 'axes', 'normalize'];
  readonly axes: DotAxes;
  readonly normalize: boolean;

  constructor(...args: PositionalArgs<DotOptions, typeof POSITIONAL>) {
    const { axes, normalize = false, ...rest } = positionalOptions<DotOptions>(new.target, args);
    super(rest);
    if (!Number.isInteger(axes)) {
      if (!Array.isArray(axes)) {
        throw new TypeError(`Invalid type for argument \`axes\`: it should be a list or an int. Received: axes=${String(axes)}`);
      }
      if (axes.length !== 2) {
        throw new RangeError(
          `Invalid format for argument \`axes\`: it should contain two elements. Received: axes=[${(axes as number[]).join(', ')}]`,
        );
      }
      if (!Number.isInteger(axes[0]) || !Number.isInteger(axes[1])) {
        throw new RangeError(
          `Invalid format for argument \`axes\`: list elements should be integers. Received: axes=[${(axes as number[]).join(', ')}]`,
        );
      }
    }
    this.axes = Array.isArray(axes) ? ([axes[0], axes[1]] as const) : (axes as number);
    this.normalize = normalize;
  }

  /** The two axes for inputs of ranks `ranks` (Keras: a negative int counts from each end; a pair as given for the shape check). */
  private axesFor(ranks: [number, number], wrapPairs: boolean): [number, number] {
    const mod = (a: number, n: number) => ((a % n) + n) % n;
    if (typeof this.axes === 'number') return this.axes < 0 ? [mod(this.axes, ranks[0]), mod(this.axes, ranks[1])] : [this.axes, this.axes];
    const [a, b] = this.axes as readonly [number, number];
    return wrapPairs ? [a < 0 ? mod(a, ranks[0]) : a, b < 0 ? mod(b, ranks[1]) : b] : [a, b];
  }

  private checkPair(inputShape: LayerShape): [Shape, Shape] {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
      throw new RangeError(`A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${formatShapes(inputShape)}`);
    }
    return inputShape as [Shape, Shape];
  }

  override build(inputShape: LayerShape): void {
    const [shape1, shape2] = this.checkPair(inputShape);
    const axes = this.axesFor([shape1.length, shape2.length], false);
    const [d1, d2] = [shape1.at(axes[0]) ?? null, shape2.at(axes[1]) ?? null];
    if (d1 !== d2) {
      throw new RangeError(
        `Incompatible input shapes: axis values ${d1 ?? 'None'} (at axis ${axes[0]}) != ${d2 ?? 'None'} (at axis ${axes[1]}). Full input shapes: ${formatShape(shape1)}, ${formatShape(shape2)}`,
      );
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
    if (inputs.length !== 2)
      throw new RangeError(`A \`Dot\` layer should be called on exactly 2 inputs. Received: inputs=${formatInputs(inputs)}`);
    let [x1, x2] = inputs;
    const axes = this.axesFor([x1.rank, x2.rank], true);
    if (this.normalize) {
      x1 = l2Normalize(x1, axes[0]);
      x2 = l2Normalize(x2, axes[1]);
    }
    return batchDot(x1, x2, axes);
  }

  override computeOutputShape(inputShape: LayerShape): Shape {
    const [shape1, shape2] = this.checkPair(inputShape).map((s) => [...s]);
    const axes = this.axesFor([shape1.length, shape2.length], true);
    shape1.splice(axes[0], 1);
    shape2.splice(axes[1], 1);
    shape2.shift();
    const out = [...shape1, ...shape2];
    return out.length === 1 ? [...out, 1] : out;
  }

  /** Keras: Dot drops masks. */
  override computeMask(): null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? [...this.axes] : this.axes, normalize: this.normalize };
  }
}

/** Keras' `keras.layers.dot(inputs, axes, normalize)`: a new Dot layer applied to `inputs`. */
export function dot(inputs: readonly KerasTensor[], axes: DotAxes, normalize?: boolean, options?: LayerOptions): KerasTensor;
export function dot(inputs: readonly TensorLike[], axes: DotAxes, normalize?: boolean, options?: LayerOptions): Tensor;
export function dot(
  inputs: readonly (KerasTensor | TensorLike)[],
  axes: DotAxes,
  normalize = false,
  options: LayerOptions = {},
): Tensor | KerasTensor {
  return new Dot({ ...options, axes, normalize }).apply(inputs as never);
}

kerasExport('keras.layers', [Dot]);
