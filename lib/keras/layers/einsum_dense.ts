// keras.layers.EinsumDense: activation(einsum(equation, inputs, kernel) + bias), the kernel's and
// bias' shapes read off the equation, the input shape and the (partial) output shape.
import { AddV2, Einsum } from '../../ops/generated';
import { Shape, Tensor } from '../../tensor';
import { Variable } from '../../variable';
import * as activations from '../activations';
import { get as getConstraint, Constraint, ConstraintIdentifier, serialize as serializeConstraint } from '../constraints';
import {
  deserialize as deserializeInitializer,
  get as getInitializer,
  Initializer,
  InitializerIdentifier,
  serialize,
  VarianceScaling,
} from '../initializers';
import { get as getRegularizer, Regularizer, RegularizerIdentifier, serialize as serializeRegularizer } from '../regularizers';
import { kerasExport } from '../saving/serialization_lib';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { CallOptions, Layer, LayerOptions } from './layer';

export interface EinsumDenseOptions extends LayerOptions {
  /** 'ab,bc->ac', '...b,bc->...c' or 'ab...,bc->ac...': inputs, kernel, output. */
  equation: string;
  /** The output's shape without the batch dim; null where the input's size is taken. */
  outputShape: number | readonly (number | null)[];
  activation?: activations.ActivationIdentifier;
  /** The output axes (letters of the equation's output) that get a bias; default none. */
  biasAxes?: string | null;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** Keras config entries for what EinsumDense lacks, at the value that turns each off. */
const UNSUPPORTED_CONFIG = { quantization_config: null };

const POSITIONAL = ['equation', 'outputShape', 'activation', 'biasAxes'] as const;

interface EinsumShapes {
  kernelShape: Shape;
  biasShape: Shape | null;
  outputShape: Shape;
  inputAxes: number[];
  outputAxes: number[];
}

/** Keras' _analyze_einsum_string: the kernel's, bias' and output's shapes for `inputShape`. */
export function analyzeEinsumString(equation: string, biasAxes: string | null, inputShape: Shape, partialOutput: Shape): EinsumShapes {
  const dotted = equation.replace(/\.\.\./g, '0');
  let match = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)/.exec(dotted);
  let leftElided = false;
  if (match === null) {
    match = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)/.exec(dotted);
    leftElided = match !== null;
  }
  if (match === null) match = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0/.exec(dotted);
  if (match === null) {
    throw new RangeError(
      `Invalid einsum equation '${equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....`,
    );
  }
  const [, inputSpec, weightSpec, outputSpec] = match;
  const elided = inputShape.length - inputSpec.length;
  const outputShape: Shape = [inputShape[0], ...partialOutput];
  if (elided > 0 && leftElided) for (let i = 1; i < elided; i++) outputShape.splice(1, 0, inputShape[i]);
  else if (elided > 0) for (let i = inputShape.length - elided; i < inputShape.length; i++) outputShape.push(inputShape[i]);
  const inputIndex = new Map([...inputSpec].map((d, i) => [d, leftElided ? i + elided - inputShape.length : i]));
  const outputIndex = new Map([...outputSpec].map((d, i) => [d, leftElided ? i + elided : i]));
  const inputDim = (d: string) => inputShape.at(inputIndex.get(d) as number) ?? null;
  for (const d of inputSpec) {
    const out = outputIndex.get(d);
    if (out !== undefined && outputShape[out] !== null && outputShape[out] !== inputDim(d)) {
      throw new RangeError(
        `Input shape and output shape do not match at shared dimension '${d}'. Input shape is ${inputDim(d)}, and output shape is ${outputShape[out]}.`,
      );
    }
  }
  for (const d of outputSpec) {
    if (!inputSpec.includes(d) && !weightSpec.includes(d)) {
      throw new RangeError(
        `Dimension '${d}' was specified in the output '${outputSpec}' but has no corresponding dim in the input spec '${inputSpec}' or weight spec '${outputSpec}'`,
      );
    }
  }
  const kernelShape: Shape = [];
  const inputAxes: number[] = [];
  const outputAxes: number[] = [];
  [...weightSpec].forEach((d, i) => {
    if (outputIndex.has(d)) {
      kernelShape.push(outputShape[outputIndex.get(d) as number]);
      outputAxes.push(i);
    } else if (inputIndex.has(d)) {
      kernelShape.push(inputDim(d));
      inputAxes.push(i);
    } else {
      throw new RangeError(
        `Weight dimension '${d}' did not have a match in either the input spec '${inputSpec}' or the output spec '${outputSpec}'. For this layer, the weight must be fully specified.`,
      );
    }
  });
  let biasShape: Shape | null = null;
  if (biasAxes !== null) {
    const leftOffset = leftElided ? elided : 0;
    for (const c of biasAxes) {
      if (!outputSpec.includes(c)) {
        throw new RangeError(`Bias dimension '${c}' was requested, but is not part of the output spec '${outputSpec}'`);
      }
    }
    const first = Math.min(...[...biasAxes].map((c) => outputSpec.indexOf(c)));
    biasShape = [...outputSpec.slice(first)].map((c) => (biasAxes.includes(c) ? outputShape[outputSpec.indexOf(c) + leftOffset] : 1));
    if (!leftElided) for (let i = 0; i < elided; i++) biasShape.push(1);
  }
  return { kernelShape, biasShape, outputShape, inputAxes, outputAxes };
}

export class EinsumDense extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [
    ...Layer.optionKeys,
    'equation',
    'outputShape',
    'activation',
    'biasAxes',
    'kernelInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'biasConstraint',
  ];
  static override readonly unsupportedConfig = UNSUPPORTED_CONFIG;
  readonly equation: string;
  /** Keras' partial_output_shape. */
  readonly partialOutputShape: Shape;
  readonly activation: activations.ActivationFunction;
  readonly biasAxes: string | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(...args: PositionalArgs<EinsumDenseOptions, typeof POSITIONAL>) {
    const options = positionalOptions<EinsumDenseOptions>(new.target, args);
    super(options);
    const { equation, outputShape, activation, biasAxes = null } = options;
    if (typeof equation !== 'string') throw new TypeError(`\`equation\` must be a string. Received: equation=${String(equation)}`);
    if (biasAxes !== null && typeof biasAxes !== 'string') {
      throw new TypeError(`\`bias_axes\` must be a string or None. Received: bias_axes=${String(biasAxes)}`);
    }
    const partial = typeof outputShape === 'number' ? [outputShape] : outputShape;
    if (!Array.isArray(partial) || !partial.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new TypeError(`\`output_shape\` must be an integer or a list of positive integers or None. Received: ${String(outputShape)}`);
    }
    this.equation = equation;
    this.partialOutputShape = [...partial];
    this.activation = activations.get(activation);
    this.biasAxes = biasAxes;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  override build(inputShape: Shape): void {
    const { kernelShape, biasShape, inputAxes, outputAxes } = analyzeEinsumString(
      this.equation,
      this.biasAxes,
      inputShape,
      this.partialOutputShape,
    );
    const unknown = (shape: Shape) => shape.some((d) => d === null);
    if (unknown(kernelShape) || (biasShape !== null && unknown(biasShape))) {
      throw new RangeError(`EinsumDense '${this.name}': the weights' dims must be known; got input shape ${JSON.stringify(inputShape)}`);
    }
    this.inputSpec = { ndim: inputShape.length };
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape as number[],
      initializer: this.fanAwareKernelInitializer(inputAxes, outputAxes),
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (biasShape !== null) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: biasShape as number[],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** Keras: a VarianceScaling kernel initializer without axes gets the equation's (its fans then count the right dims), same seed. */
  private fanAwareKernelInitializer(inputAxes: number[], outputAxes: number[]): Initializer {
    const init = this.kernelInitializer;
    if (!(init instanceof VarianceScaling) || (init.inputAxes !== null && init.outputAxes !== null)) return init;
    const serialized = serialize(init);
    const config = { ...(serialized.config as Record<string, unknown>), seed: init.seed, input_axes: inputAxes, output_axes: outputAxes };
    return deserializeInitializer({ ...serialized, config } as never);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let x = Einsum({ inputs: [inputs, this.kernel.value()], equation: this.equation });
    if (this.bias !== null) x = AddV2({ x, y: this.bias.value() });
    return this.activation(x);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return analyzeEinsumString(this.equation, this.biasAxes, inputShape, this.partialOutputShape).outputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      output_shape: this.partialOutputShape,
      equation: this.equation,
      activation: activations.serialize(this.activation),
      bias_axes: this.biasAxes,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      ...UNSUPPORTED_CONFIG,
    };
  }
}

kerasExport('keras.layers', [EinsumDense]);
