// keras.metrics.Mean and MeanMetricWrapper: a running (weighted) mean, total / count, in float32
// with Keras' update ops, so epoch logs are Keras' running means over samples.
import { Cast, DivNoNan, Mean as MeanOp, Mul, StridedSlice, Shape as ShapeOp, Sum } from '../../ops/generated';
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

  override updateState(yTrue: Tensor, yPred: Tensor): void {
    super.updateState(this.fn(yTrue, yPred));
  }
}
