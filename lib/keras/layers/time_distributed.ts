// keras.layers.TimeDistributed: one layer applied to every timestep of [batch, time, ...] inputs
// (as one call on the steps folded into the batch).
import { int32Vector } from '../../ops/convert';
import { ConcatV2, Reshape, Shape as ShapeOp, Slice } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { kerasExport } from '../saving/serialization_lib';
import { isPlainObject, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';
import { deserialize, serialize } from './serialization';

export interface TimeDistributedOptions extends LayerOptions {
  /** The layer applied to each timestep. */
  layer: Layer;
}

const POSITIONAL = ['layer'] as const;

export class TimeDistributed extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'layer'];
  readonly layer: Layer;

  constructor(...args: PositionalArgs<TimeDistributedOptions, typeof POSITIONAL>) {
    const options = positionalOptions<TimeDistributedOptions>(new.target, args);
    const { layer, ...rest } = options;
    if (!(layer instanceof Layer)) {
      throw new TypeError(`Please initialize \`TimeDistributed\` layer with a \`keras.layers.Layer\` instance. Received: ${String(layer)}`);
    }
    super(rest);
    this.layer = layer;
    this.supportsMasking = true;
    this.inputSpec = { minNdim: 3 };
  }

  override build(inputShape: Shape): void {
    this.layer.maybeBuild([
      inputShape[0] === null || inputShape[1] === null ? null : inputShape[0] * inputShape[1],
      ...inputShape.slice(2),
    ]);
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    const shape = inputs.shape;
    const folded = Reshape({ tensor: inputs, shape: int32Vector([-1, ...shape.slice(2).map((d) => d ?? -1)]) });
    const { mask: _mask, ...rest } = options;
    const outputs = this.layer.apply(folded, rest);
    // [batch, time] from the inputs at run time, then the inner layer's per-step shape.
    const leading = Slice({ input: ShapeOp({ input: inputs }), begin: int32Vector([0]), size: int32Vector([2]) });
    const inner = Slice({ input: ShapeOp({ input: outputs }), begin: int32Vector([1]), size: int32Vector([-1]) });
    return Reshape({ tensor: outputs, shape: ConcatV2({ values: [leading, inner], axis: constantTensor(0, 'int32') }) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const inner = this.layer.computeOutputShape([null, ...inputShape.slice(2)]) as Shape;
    return [inputShape[0], inputShape[1], ...inner.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serialize(this.layer) };
  }

  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const { layer, name, trainable, dtype } = config;
    if (!isPlainObject(layer)) throw new TypeError('TimeDistributed config needs a `layer` dict');
    return new this({
      name,
      trainable,
      dtype: isPlainObject(dtype) && isPlainObject(dtype.config) ? dtype.config.name : dtype,
      layer: deserialize(layer as never),
    } as never);
  }
}

kerasExport('keras.layers', [TimeDistributed]);
