// keras.layers.Dense: activation(inputs · kernel + bias) over the last axis.
import { int32Vector } from '../../ops/convert';
import { BiasAdd, ConcatV2, MatMul, Reshape, Shape as ShapeOp, Slice } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import * as activations from '../activations';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import { get as getInitializer, Initializer, InitializerIdentifier, serialize } from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { CallOptions, Layer, LayerOptions } from './layer';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

export interface DenseOptions extends LayerOptions {
  units: number;
  activation?: activations.ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** Keras config entries for what Dense lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = { quantization_config: null };

/** Keras' leading parameters, in its order: `new Dense(units, activation)`. */
const POSITIONAL = ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'] as const;

export class Dense extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    'units',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
  ];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(...args: PositionalArgs<DenseOptions, typeof POSITIONAL>) {
    const options = positionalOptions<DenseOptions>(new.target, args);
    super(options);
    this.supportsMasking = true;
    const { units, activation, useBias = true, kernelInitializer = 'glorot_uniform', biasInitializer = 'zeros' } = options;
    if (!Number.isInteger(units) || units <= 0) {
      throw new RangeError(`Received an invalid value for \`units\`, expected a positive integer. Received: units=${String(units)}`);
    }
    this.units = units;
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = getInitializer(kernelInitializer);
    this.biasInitializer = getInitializer(biasInitializer);
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw new RangeError(
        `The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape received: (${inputShape.join(', ')})`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = { minNdim: 2, axes: { [-1]: inputDim } };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const kernel = this.kernel.value();
    let x: Tensor;
    if (inputs.rank === 2) {
      x = MatMul({ a: inputs, b: kernel });
    } else {
      // Keras' tensordot over the last axis: flatten the leading dims, multiply, restore them.
      const shape = inputs.shape;
      const flat = MatMul({ a: Reshape({ tensor: inputs, shape: int32Vector([-1, this.kernel.shape[0]]) }), b: kernel });
      const leading = shape.slice(0, -1);
      x =
        leading.filter((d) => d === null).length <= 1
          ? Reshape({ tensor: flat, shape: int32Vector([...leading.map((d) => d ?? -1), this.units]) })
          : this.restoreLeadingDims(flat, inputs);
    }
    // Keras adds a bias with BiasAdd (which TF fuses with the MatMul).
    if (this.bias !== null) x = BiasAdd({ value: x, bias: this.bias.value() });
    return this.activation(x);
  }

  private restoreLeadingDims(flat: Tensor, inputs: Tensor): Tensor {
    const leading = Slice({ input: ShapeOp({ input: inputs }), begin: [0], size: [inputs.rank - 1] });
    return Reshape({ tensor: flat, shape: ConcatV2({ values: [leading, int32Vector([this.units])], axis: 0 }) });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      ...UNSUPPORTED_CONFIG,
    };
  }
}

kerasExport('keras.layers', [Dense]);
