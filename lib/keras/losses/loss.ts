// keras.losses.Loss: per-sample values from call(yTrue, yPred), reduced by apply() — Python's
// `loss(y_true, y_pred)` — to one number: sum over everything, divided by the element count.
import { convertToTensor } from '../../ops/convert';
import {
  Cast,
  DivNoNan,
  ExpandDims,
  LogicalAnd,
  Mul,
  Prod,
  SelectV2,
  Shape as ShapeOp,
  Squeeze,
  Sum,
  ZerosLike,
} from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor, TensorLike } from '../../tensor';
import { optionsFromConfig } from '../saving/serialization_lib';
import { checkClassOptions } from '../utils/argument_validation';
import { getKerasMask } from '../utils/keras_mask';
import { autoName, toSnakeCase } from '../utils/naming';

export type Reduction = 'sum_over_batch_size' | 'mean' | 'sum' | 'none';

export interface LossOptions {
  name?: string;
  /** Default 'sum_over_batch_size' (the mean over every per-sample value). */
  reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'mean', 'sum', 'none'];

/** Keras' squeeze_or_expand_to_same_rank: ranks that differ by one are matched on a last dim of 1. */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const [r1, r2] = [x1.rank, x2.rank];
  const expand = (t: Tensor) => ExpandDims({ input: t, dim: constantTensor(-1, 'int32') });
  const squeeze = (t: Tensor) => Squeeze({ input: t, squeezeDims: [-1] });
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) return r2 === 1 && expandRank1 ? [x1, expand(x2)] : [squeeze(x1), x2];
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) return r1 === 1 && expandRank1 ? [expand(x1), x2] : [x1, squeeze(x2)];
  return [x1, x2];
}

/** The number of elements of `t` as a `dtype` scalar (static when the shape is known). */
function elementCount(t: Tensor, dtype: Tensor['dtype']): Tensor {
  const shape = t.shape;
  return shape.every((d) => d !== null)
    ? constantTensor(
        shape.reduce<number>((p, d) => p * (d as number), 1),
        dtype,
      )
    : Cast({ x: Prod({ input: ShapeOp({ input: t }), reductionIndices: 0 }), DstT: dtype });
}

/**
 * Keras' apply_mask: the mask of the predictions merged into the sample weights. For the mean
 * reductions valid entries weigh total/valid, so the mean is over the valid entries only.
 */
export function applyMask(sampleWeight: Tensor | null, mask: Tensor | null, reduction: Reduction): Tensor | null {
  if (mask === null) return sampleWeight;
  const boolMask = mask.dtype === 'bool' ? mask : Cast({ x: mask, DstT: 'bool' });
  const ones = Cast({ x: boolMask, DstT: 'float32' });
  let floatMask = ones;
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    const axes = constantTensor(
      mask.shape.map((_, i) => i),
      'int32',
      [mask.rank],
    );
    const weight = DivNoNan({ x: elementCount(mask, 'float32'), y: Sum({ input: ones, reductionIndices: axes }) });
    floatMask = SelectV2({ condition: boolMask, t: weight, e: ZerosLike({ x: weight }) });
  }
  if (sampleWeight === null) return floatMask;
  const [m, w] = squeezeOrExpandToSameRank(
    floatMask,
    sampleWeight.dtype === 'float32' ? sampleWeight : Cast({ x: sampleWeight, DstT: 'float32' }),
  );
  return Mul({ x: w, y: m });
}

/** Keras' reduce_values: the sum of `values`, divided (divide_no_nan) by their count unless 'sum'. */
function reduceValues(values: Tensor, reduction: Reduction): Tensor {
  const shape = values.shape;
  if (reduction === 'none' || shape.length === 0 || (shape.length === 1 && shape[0] === 0)) return values;
  const axes = constantTensor(
    shape.map((_, i) => i),
    'int32',
    [shape.length],
  );
  const loss = Sum({ input: values, reductionIndices: axes });
  if (reduction === 'sum') return loss;
  return DivNoNan({ x: loss, y: elementCount(values, values.dtype) });
}

export abstract class Loss {
  /** The options the constructor accepts, checked once for the class constructed; subclasses extend the list. */
  static readonly optionKeys: readonly string[] = ['name', 'reduction'];
  /** The options a subclass also takes positionally, in Keras' order (see positionalOptions). */
  static readonly positional: readonly string[] = [];
  readonly name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    checkClassOptions(new.target, options);
    const { reduction = 'sum_over_batch_size' } = options;
    if (!REDUCTIONS.includes(reduction)) {
      throw new RangeError(
        `Invalid value for argument \`reduction\`. Expected one of ${JSON.stringify(REDUCTIONS)}. Received: reduction=${String(reduction)}`,
      );
    }
    this.name = options.name ?? autoName(this.constructor.name);
    this.reduction = reduction;
  }

  /** The per-sample losses. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /**
   * Python's `loss(y_true, y_pred, sample_weight)`: float32 inputs, per-sample losses, times the
   * sample weights (Keras' reduce_weighted_values), then the reduction, whose divisor is the
   * number of values, not the sum of the weights. A mask carried by `yPred` (or by the per-sample
   * losses) leaves the masked entries out, as in Keras.
   */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    const toFloat = (value: TensorLike): Tensor => {
      const t = convertToTensor(value, undefined, 'float32');
      return t.dtype === 'float32' ? t : Cast({ x: t, DstT: 'float32' });
    };
    const inMask = yPred instanceof Tensor ? getKerasMask(yPred) : null;
    const raw = this.call(toFloat(yTrue), toFloat(yPred));
    const outMask = getKerasMask(raw);
    const mask = inMask !== null && outMask !== null ? LogicalAnd({ x: inMask, y: outMask }) : (inMask ?? outMask);
    let values = toFloat(raw);
    const weights = applyMask(sampleWeight === undefined || sampleWeight === null ? null : toFloat(sampleWeight), mask, this.reduction);
    if (weights !== null) {
      const [v, w] = squeezeOrExpandToSameRank(values, weights);
      values = Mul({ x: v, y: w });
    }
    return reduceValues(values, this.reduction);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  /** Keras' from_config: the config's keys camelCased, as constructor options. */
  static fromConfig<T extends Loss>(this: new (options: never) => T, config: Record<string, unknown>): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}

/** A loss from a per-sample function (what compile() makes of 'mse' and friends). */
export class LossFunctionWrapper<O extends object = object> extends Loss {
  constructor(
    readonly fn: (yTrue: Tensor, yPred: Tensor, options: O) => Tensor,
    options: LossOptions = {},
    readonly fnOptions: O = {} as O,
  ) {
    super(options);
    if (typeof fn !== 'function')
      throw new TypeError(`${new.target.name} needs a loss function (yTrue, yPred) => Tensor. Received: ${String(fn)}`);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred, this.fnOptions);
  }

  /** The base config plus the function's options ('from_logits', ...), as Keras' crossentropy losses report them. */
  override getConfig(): Record<string, unknown> {
    const fnConfig = Object.entries(this.fnOptions).map(([key, value]) => [toSnakeCase(key), value]);
    return { ...super.getConfig(), ...Object.fromEntries(fnConfig) };
  }
}
