// keras.layers.Reshape: reshapes each sample to `targetShape` (one entry may be -1).
import { formatShape, int32Vector } from '../../ops/convert';
import { ConcatV2, Reshape as ReshapeOp, Shape as ShapeOp, Slice } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface ReshapeOptions extends LayerOptions {
  /** The shape of one output sample (no batch dim). */
  targetShape: readonly number[];
}

/** Keras' leading parameters, in its order: `new Reshape(targetShape)`. */
const POSITIONAL = ['targetShape'] as const;

export class Reshape extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'targetShape'];
  readonly targetShape: readonly number[];

  constructor(...args: PositionalArgs<ReshapeOptions, typeof POSITIONAL>) {
    const options = positionalOptions<ReshapeOptions>(new.target, args);
    super(options);
    const { targetShape } = options;
    if (
      !Array.isArray(targetShape) ||
      !targetShape.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) ||
      targetShape.filter((d) => d === -1).length > 1
    ) {
      throw new RangeError(
        `Invalid \`targetShape\`: expected positive integers with at most one -1. Received: targetShape=${JSON.stringify(targetShape)}`,
      );
    }
    this.targetShape = [...targetShape];
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    if (!this.targetShape.includes(-1)) return ReshapeOp({ tensor: inputs, shape: int32Vector([-1, ...this.targetShape]) });
    // A -1 in the sample shape leaves the batch to come from the input's run-time shape.
    const batch = Slice({ input: ShapeOp({ input: inputs }), begin: [0], size: [1] });
    return ReshapeOp({ tensor: inputs, shape: ConcatV2({ values: [batch, int32Vector(this.targetShape)], axis: 0 }) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    if (!this.targetShape.includes(-1)) return [inputShape[0], ...this.targetShape];
    if (rest.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const total = rest.reduce<number>((p, d) => p * (d as number), 1);
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (total % known !== 0) {
      throw new RangeError(
        `The total size of the tensor must be unchanged. Received: input_shape=${formatShape(rest)}, target_shape=${formatShape([...this.targetShape])}`,
      );
    }
    return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? total / known : d))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: [...this.targetShape] };
  }
}

kerasExport('keras.layers', [Reshape]);
