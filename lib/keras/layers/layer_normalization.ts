// keras.layers.LayerNormalization: each sample normalized over `axis` (by default the last), then
// scaled by gamma and shifted by beta: x·inv + (beta − mean·inv), inv = gamma·rsqrt(var + ε), in Keras' order.
import { formatShape, int32Vector } from '../../ops/convert';
import { Abs, AddV2, Mean, Mul, Neg, Reshape, Rsqrt, Square, Sub } from '../../ops/generated';
import { moments } from '../../ops/nn';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis or axes to normalize over (default -1). */
  axis?: number | readonly number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /** Keras' deprecated variant: x·rsqrt(var + ε)·gamma (no mean subtraction, no beta). */
  rmsScaling?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

const POSITIONAL = ['axis', 'epsilon', 'center', 'scale', 'rmsScaling', 'betaInitializer', 'gammaInitializer'] as const;

export class LayerNormalization extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    ...POSITIONAL,
    'betaRegularizer',
    'gammaRegularizer',
    'betaConstraint',
    'gammaConstraint',
  ];
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(...args: PositionalArgs<LayerNormalizationOptions, typeof POSITIONAL>) {
    const options = positionalOptions<LayerNormalizationOptions>(new.target, args);
    super(options);
    const { axis = -1, epsilon = 1e-3, center = true, scale = true, rmsScaling = false } = options;
    const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? [...axis] : null;
    if (axes === null || axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
      throw new TypeError(`Expected an int or a list/tuple of ints for the argument 'axis', but received: ${JSON.stringify(axis)}`);
    }
    this.axis = axes;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.rmsScaling = rmsScaling;
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(options.betaRegularizer);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer);
    this.betaConstraint = getConstraint(options.betaConstraint);
    this.gammaConstraint = getConstraint(options.gammaConstraint);
  }

  /** `axis` as sorted non-negative indices for inputs of rank `rank`. */
  private axes(rank: number): number[] {
    for (const a of this.axis) {
      if (a >= rank || a < -rank)
        throw new RangeError(`Axis ${a} is out of bounds for input shape of rank ${rank}. Received: axis=${JSON.stringify(this.axis)}`);
    }
    return this.axis.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.axes(inputShape.length);
    const shape = axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null))
      throw new RangeError(`The normalized axes of the input shape ${formatShape(inputShape)} must be defined.`);
    const weightShape = shape as number[];
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: weightShape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: weightShape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const rank = inputs.rank;
    const axes = this.axes(rank);
    // Weights over several axes (or not the last) broadcast through a [1, .., d, .., 1] reshape.
    const broadcast = (v: Tensor): Tensor => {
      if (axes.length === 1 && axes[0] === rank - 1) return v;
      const shape = inputs.shape.map((d, i) => (axes.includes(i) ? (d as number) : 1));
      return Reshape({ tensor: v, shape: int32Vector(shape) });
    };
    const epsilon = constantTensor(this.epsilon, inputs.dtype);
    if (this.rmsScaling) {
      // Keras' numpy.var (tf.math.reduce_variance): no stop_gradient through the mean.
      const reduce = int32Vector(axes);
      const centered = Sub({ x: inputs, y: Mean({ input: inputs, reductionIndices: reduce, keepDims: true }) });
      const variance = Mean({ input: Square({ x: Abs({ x: centered }) }), reductionIndices: reduce, keepDims: true });
      const out = Mul({ x: inputs, y: Rsqrt({ x: AddV2({ x: variance, y: epsilon }) }) });
      return this.gamma === null ? out : Mul({ x: out, y: broadcast(this.gamma.value()) });
    }
    const [mean, variance] = moments(inputs, axes, { keepdims: true });
    let inv = Rsqrt({ x: AddV2({ x: variance, y: epsilon }) });
    if (this.gamma !== null) inv = Mul({ x: inv, y: broadcast(this.gamma.value()) });
    let res = Mul({ x: Neg({ x: mean }), y: inv });
    if (this.beta !== null) res = AddV2({ x: res, y: broadcast(this.beta.value()) });
    return AddV2({ x: Mul({ x: inputs, y: inv }), y: res });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.axes(inputShape.length);
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: serialize(this.betaInitializer),
      gamma_initializer: serialize(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
    };
  }
}

kerasExport('keras.layers', [LayerNormalization]);
