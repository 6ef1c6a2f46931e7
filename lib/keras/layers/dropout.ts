// keras.layers.Dropout: in training, zeroes inputs with probability `rate` and scales the rest by
// 1 / (1 - rate); in inference it passes inputs through. The mask is TF's stateless dropout with a
// seed from the layer's SeedGenerator, as in Keras, so a seeded layer draws Keras' masks.
import { int32Vector } from '../../ops/convert';
import {
  AddV2,
  GreaterEqual,
  Mul,
  SelectV2,
  Shape as ShapeOp,
  StatelessRandomGetKeyCounter,
  StatelessRandomUniformV2,
  ZerosLike,
} from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { CallOptions, Layer, LayerOptions } from './layer';
import { SeedGenerator } from './seed_generator';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface DropoutOptions extends LayerOptions {
  /** The fraction of inputs to drop, in [0, 1]. */
  rate: number;
  /** The mask's shape, broadcast against the inputs (null takes the input's size). */
  noiseShape?: Shape | null;
  seed?: number | null;
}

/** TF's `alg="auto_select"` for the stateless random ops (Philox on CPU). */
const ALG_AUTO_SELECT = 3;

/** Keras' leading parameters, in its order: `new Dropout(rate, noiseShape)`. */
const POSITIONAL = ['rate', 'noiseShape', 'seed'] as const;

/**
 * Keras' backend.random.dropout: TF's stateless uniform draw (seeded by `seedGenerator`) keeps each
 * value with probability 1 − rate and scales the kept ones by 1 / (1 − rate).
 */
export function seededDropout(inputs: Tensor, rate: number, seedGenerator: SeedGenerator, maskShape?: Tensor): Tensor {
  if (rate === 1) return ZerosLike({ x: inputs });
  const { key, counter } = StatelessRandomGetKeyCounter({ seed: seedGenerator.next() });
  const random = StatelessRandomUniformV2({
    shape: maskShape ?? ShapeOp({ input: inputs }),
    key,
    counter,
    alg: constantTensor(ALG_AUTO_SELECT, 'int32'),
    dtype: inputs.dtype as 'float32',
  });
  const scaled = Mul({ x: inputs, y: constantTensor(1 / (1 - rate), inputs.dtype) });
  return SelectV2({
    condition: GreaterEqual({ x: random, y: constantTensor(rate, inputs.dtype) }),
    t: scaled,
    e: constantTensor(0, inputs.dtype),
  });
}

export class Dropout extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'rate', 'noiseShape', 'seed'];
  readonly rate: number;
  readonly noiseShape: Shape | null;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator | null;

  constructor(...args: PositionalArgs<DropoutOptions, typeof POSITIONAL>) {
    const options = positionalOptions<DropoutOptions>(new.target, args);
    super(options);
    this.supportsMasking = true;
    const { rate, noiseShape = null, seed = null } = options;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new RangeError(
        `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${String(rate)}`,
      );
    }
    this.rate = rate;
    this.noiseShape = noiseShape;
    this.seed = seed;
    this.seedGenerator = rate > 0 ? new SeedGenerator(seed) : null;
    if (this.seedGenerator) this.trackState(this.seedGenerator.state, 'seed_generator_state');
    this.built = true;
  }

  override call(inputs: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.seedGenerator === null) return inputs;
    return seededDropout(inputs, this.rate, this.seedGenerator, this.maskShape(inputs));
  }

  private maskShape(inputs: Tensor): Tensor {
    if (this.noiseShape === null) return ShapeOp({ input: inputs });
    const noiseShape = this.noiseShape;
    if (noiseShape.every((d) => d !== null)) return int32Vector(noiseShape as number[]);
    // null dims take the input's (run-time) size: given + shape · [dim is null].
    const given = int32Vector(noiseShape.map((d) => d ?? 0));
    const fromInput = int32Vector(noiseShape.map((d) => (d === null ? 1 : 0)));
    return AddV2({ x: given, y: Mul({ x: ShapeOp({ input: inputs }), y: fromInput }) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}

kerasExport('keras.layers', [Dropout]);
