// keras.metrics.Mean and MeanMetricWrapper: a running (weighted) mean, total / count, in float32
// with Keras' update ops, so epoch logs are Keras' running means over samples.
import { BroadcastTo, Cast, DivNoNan, Mean as MeanOp, Mul, StridedSlice, Shape as ShapeOp, Sum } from '../../ops/generated';
import { applyMask, squeezeOrExpandToSameRank } from '../losses/loss';
import { getKerasMask } from '../utils/keras_mask';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { Metric, MetricOptions } from './metric';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';

function allAxes(rank: number): Tensor {
  return constantTensor([...Array(rank).keys()], 'int32', [rank]);
}

/** Keras' `(name, dtype)`. */
export const METRIC_POSITIONAL = ['name', 'dtype'] as const;

export class Mean extends Metric {
  readonly total: Variable;
  readonly count: Variable;

  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super(positionalOptions(new.target, args));
    this.total = this.addVariable('total');
    this.count = this.addVariable('count');
  }

  /** Adds `values` (averaged over their inner axes first), or their mean weighted by a scalar `sampleWeight`. */
  updateState(values: Tensor, sampleWeight?: Tensor): void {
    let v = values.dtype === this.dtype ? values : Cast({ x: values, DstT: this.dtype });
    if (sampleWeight !== undefined && sampleWeight.rank > 0) {
      this.addWeighted(v, sampleWeight.dtype === this.dtype ? sampleWeight : Cast({ x: sampleWeight, DstT: this.dtype }));
      return;
    }
    const rank = v.rank;
    if (sampleWeight !== undefined) {
      // A scalar weight (the loss tracker's batch size): Keras averages the values to one first.
      const w = sampleWeight.dtype === this.dtype ? sampleWeight : Cast({ x: sampleWeight, DstT: this.dtype });
      if (rank > 0) v = MeanOp({ input: v, reductionIndices: allAxes(rank) });
      this.total.assignAdd(Mul({ x: v, y: w }));
      this.count.assignAdd(w);
      return;
    }
    if (rank > 1)
      v = MeanOp({
        input: v,
        reductionIndices: constantTensor(
          v.shape.slice(1).map((_, i) => i + 1),
          'int32',
          [rank - 1],
        ),
      });
    this.total.assignAdd(v.rank === 0 ? v : Sum({ input: v, reductionIndices: allAxes(1) }));
    this.count.assignAdd(v.rank === 0 ? constantTensor(1, this.dtype) : this.samplesIn(v));
  }

  /**
   * Keras' reduce_to_samplewise_values for per-sample weights: the values averaged down to the
   * weights' rank, weighted, then per sample; the count is the sum of the weights.
   */
  private addWeighted(values: Tensor, sampleWeight: Tensor): void {
    let [v, w] = squeezeOrExpandToSameRank(values, sampleWeight);
    const range = (from: number, to: number) =>
      constantTensor(
        Array.from({ length: to - from }, (_, i) => from + i),
        'int32',
        [to - from],
      );
    const weightRank = w.rank;
    if (v.rank > weightRank) v = MeanOp({ input: v, reductionIndices: range(weightRank, v.rank) });
    w = BroadcastTo({ input: w, shape: ShapeOp({ input: v }) });
    v = Mul({ x: v, y: w });
    if (weightRank > 1) w = MeanOp({ input: w, reductionIndices: range(1, weightRank) });
    if (v.rank > 1) v = MeanOp({ input: v, reductionIndices: range(1, v.rank) });
    this.total.assignAdd(Sum({ input: v, reductionIndices: allAxes(v.rank) }));
    this.count.assignAdd(Sum({ input: w, reductionIndices: allAxes(w.rank) }));
  }

  /** The number of samples (dim 0) as a float. */
  private samplesIn(values: Tensor): Tensor {
    const known = values.shape[0];
    if (known !== null) return constantTensor(known, this.dtype);
    const batch = StridedSlice({ input: ShapeOp({ input: values }), begin: [0], end: [1], strides: [1], shrinkAxisMask: 1 });
    return Cast({ x: batch, DstT: this.dtype });
  }

  result(): Tensor {
    return DivNoNan({ x: this.total.value(), y: this.count.value() });
  }
}

export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A Mean over the per-sample values of `fn(yTrue, yPred)`. */
export class MeanMetricWrapper extends Mean {
  constructor(
    readonly fn: MetricFunction,
    options: MetricOptions & { direction?: 'up' | 'down' } = {},
  ) {
    const { direction, ...metricOptions } = options;
    super({ ...metricOptions, name: options.name ?? fn.name });
    if (typeof fn !== 'function')
      throw new TypeError(`${new.target.name} needs a metric function (yTrue, yPred) => Tensor. Received: ${String(fn)}`);
    this.direction = direction;
  }

  /**
   * Keras' MeanMetricWrapper.update_state: the mean of fn(yTrue, yPred), weighted by `sampleWeight`
   * when given; entries masked out in `yPred`'s mask weigh 0.
   */
  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const weights = applyMask(sampleWeight ?? null, getKerasMask(yPred), 'sum');
    super.updateState(this.fn(yTrue, yPred), weights ?? undefined);
  }
}
