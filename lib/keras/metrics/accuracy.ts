// Keras' accuracy metrics: per-sample 1/0 matches, averaged by MeanMetricWrapper.
import { ArgMax, Cast, Equal, Greater, Reshape, Squeeze, Shape as ShapeOp } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { squeezeOrExpandToSameRank } from '../losses/losses';
import { MeanMetricWrapper } from './mean';
import { Metric, MetricOptions } from './metric';
import { PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { METRIC_POSITIONAL } from './mean';

function castTo(x: Tensor, like: Tensor): Tensor {
  return x.dtype === like.dtype ? x : Cast({ x, DstT: like.dtype });
}

function matches(a: Tensor, b: Tensor): Tensor {
  return Cast({ x: Equal({ x: a, y: b }), DstT: 'float32' });
}

/** 1 where yTrue equals yPred exactly. */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(castTo(yTrue, yPred), yPred);
  return matches(t, p);
}

/** 1 where yTrue equals (yPred > threshold). */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return matches(t, Cast({ x: Greater({ x: p, y: constantTensor(threshold, p.dtype) }), DstT: t.dtype }));
}

/** 1 where argmax(yTrue) equals argmax(yPred) (one-hot targets). */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return sparseCategoricalAccuracy(ArgMax({ input: yTrue, dimension: -1 }), yPred, true);
}

/** 1 where the integer label equals argmax(yPred). */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, fromArgmax = false): Tensor {
  let t = castTo(yTrue, yPred);
  const originalShape = ShapeOp({ input: t });
  let reshapeMatches = false;
  // Labels of shape (n, 1) are squeezed to (n,); one-hot argmaxes always are in Keras.
  if (t.rank === yPred.rank && (fromArgmax || t.shape[t.rank - 1] === 1)) {
    t = Squeeze({ input: t, squeezeDims: [-1] });
    reshapeMatches = true;
  }
  let m = matches(t, castTo(ArgMax({ input: yPred, dimension: -1 }), t));
  if (reshapeMatches) m = Reshape({ tensor: m, shape: originalShape });
  if (m.rank > 1 && m.shape[m.rank - 1] === 1) m = Squeeze({ input: m, squeezeDims: [-1] });
  return m;
}

export class Accuracy extends MeanMetricWrapper {
  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super(accuracy, { name: 'accuracy', direction: 'up', ...positionalOptions<MetricOptions>(new.target, args) });
  }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly optionKeys: readonly string[] = [...Metric.optionKeys, 'threshold'];
  static override readonly positional: readonly string[] = ['name', 'dtype', 'threshold'];
  readonly threshold: number;

  constructor(...args: PositionalArgs<MetricOptions & { threshold?: number }, ['name', 'dtype', 'threshold']>) {
    const { threshold = 0.5, ...rest } = positionalOptions<MetricOptions & { threshold?: number }>(new.target, args);
    super((yTrue, yPred) => binaryAccuracy(yTrue, yPred, threshold), { name: 'binary_accuracy', direction: 'up', ...rest });
    this.threshold = threshold;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super(categoricalAccuracy, { name: 'categorical_accuracy', direction: 'up', ...positionalOptions<MetricOptions>(new.target, args) });
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(...args: PositionalArgs<MetricOptions, typeof METRIC_POSITIONAL>) {
    super((yTrue, yPred) => sparseCategoricalAccuracy(yTrue, yPred), {
      name: 'sparse_categorical_accuracy',
      direction: 'up',
      ...positionalOptions<MetricOptions>(new.target, args),
    });
  }
}
