// keras.layers.BatchNormalization: normalizes over every axis but `axis`. In training it uses the
// batch's mean and variance and moves the moving statistics toward them (variable assigns inside
// the same step); in inference it uses the moving statistics.
import { formatShape, int32Vector } from '../../ops/convert';
import { AddV2, Mul, Reshape } from '../../ops/generated';
import { batchNormalization, moments } from '../../ops/nn';
import { constantTensor } from '../../ops/run_op';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface BatchNormalizationOptions extends LayerOptions {
  /** The features axis (default -1, channels last). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  /** Learn an offset (beta). */
  center?: boolean;
  /** Learn a scale (gamma). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** Keras config entries for what BatchNormalization lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = {
  synchronized: false,
  renorm: false,
  renorm_clipping: null,
  renorm_momentum: 0.99,
};

/** Keras' leading parameters, in its order: `new BatchNormalization(axis, momentum)`. */
const POSITIONAL = [
  'axis',
  'momentum',
  'epsilon',
  'center',
  'scale',
  'betaInitializer',
  'gammaInitializer',
  'movingMeanInitializer',
  'movingVarianceInitializer',
] as const;

export class BatchNormalization extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'betaInitializer',
    'gammaInitializer',
    'movingMeanInitializer',
    'movingVarianceInitializer',
    'betaRegularizer',
    'gammaRegularizer',
    'betaConstraint',
    'gammaConstraint',
  ];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean!: Variable;
  movingVariance!: Variable;
  private reductionAxes: number[] = [];

  constructor(...args: PositionalArgs<BatchNormalizationOptions, typeof POSITIONAL>) {
    const options = positionalOptions<BatchNormalizationOptions>(new.target, args);
    super(options);
    const { axis = -1, momentum = 0.99, epsilon = 1e-3, center = true, scale = true } = options;
    if (!Number.isInteger(axis)) throw new TypeError(`Expected an integer value for \`axis\`. Received: axis=${String(axis)}`);
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(options.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(options.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(options.betaRegularizer);
    this.gammaRegularizer = getRegularizer(options.gammaRegularizer);
    this.betaConstraint = getConstraint(options.betaConstraint);
    this.gammaConstraint = getConstraint(options.gammaConstraint);
  }

  /** `axis` as a non-negative index for inputs of rank `rank`. */
  private featureAxis(rank: number): number {
    if (this.axis >= rank || this.axis < -rank) {
      throw new RangeError(`Axis ${this.axis} is out of bounds for input shape of rank ${rank}. Received: axis=${this.axis}`);
    }
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  override build(inputShape: Shape): void {
    const axis = this.featureAxis(inputShape.length);
    const features = inputShape[axis];
    if (features === null) throw new RangeError(`Axis ${this.axis} of the input shape ${formatShape(inputShape)} must be defined.`);
    const shape = [features];
    if (this.scale)
      this.gamma = this.addWeight({
        name: 'gamma',
        shape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    if (this.center)
      this.beta = this.addWeight({
        name: 'beta',
        shape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    this.movingMean = this.addWeight({ name: 'moving_mean', shape, initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape, initializer: this.movingVarianceInitializer, trainable: false });
    this.inputSpec = { ndim: inputShape.length, axes: { [this.axis]: features } };
    this.reductionAxes = inputShape.map((_, i) => i).filter((i) => i !== axis);
  }

  override call(inputs: Tensor, { training }: CallOptions): Tensor {
    const rank = inputs.rank;
    const movingMean = this.movingMean.value();
    const movingVariance = this.movingVariance.value();
    const gamma = this.gamma?.value() ?? null;
    const beta = this.beta?.value() ?? null;
    let mean = movingMean;
    let variance = movingVariance;
    if (training && this.trainable) {
      [mean, variance] = moments(inputs, this.reductionAxes);
      const momentum = constantTensor(this.momentum, inputs.dtype);
      const rest = constantTensor(1 - this.momentum, inputs.dtype);
      this.movingMean.assign(AddV2({ x: Mul({ x: movingMean, y: momentum }), y: Mul({ x: mean, y: rest }) }));
      this.movingVariance.assign(AddV2({ x: Mul({ x: movingVariance, y: momentum }), y: Mul({ x: variance, y: rest }) }));
    }
    const axis = this.featureAxis(rank);
    if (axis === rank - 1) return batchNormalization(inputs, mean, variance, beta, gamma, this.epsilon);
    // Other feature axes broadcast as [1, ..., C, ..., 1].
    const broadcast = int32Vector(inputs.shape.map((_, i) => (i === axis ? this.movingMean.shape[0] : 1)));
    const expand = (t: Tensor | null) => (t === null ? null : Reshape({ tensor: t, shape: broadcast }));
    return batchNormalization(inputs, expand(mean) as Tensor, expand(variance) as Tensor, expand(beta), expand(gamma), this.epsilon);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.featureAxis(inputShape.length);
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serialize(this.betaInitializer),
      gamma_initializer: serialize(this.gammaInitializer),
      moving_mean_initializer: serialize(this.movingMeanInitializer),
      moving_variance_initializer: serialize(this.movingVarianceInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
      ...UNSUPPORTED_CONFIG,
    };
  }
}

kerasExport('keras.layers', [BatchNormalization]);
