// Keras' CompileLoss and CompileMetrics for a model with several outputs (or a dict of outputs):
// one loss per output (a single loss applies to each; null skips one), optional lossWeights, an
// unweighted `<output>_loss` tracker per output when there are several losses, and per-output
// metrics logged as `<output>_<metric>`.
import { Cast, Mul, Pack, Sum } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import type { Shape, Tensor } from '../../tensor';
import { get as getLoss, Loss, LossIdentifier } from '../losses';
import { get as getMetric, Mean, Metric, MetricIdentifier } from '../metrics';
import type { IOStructure } from '../models/io_structure';
import { describeValue, isPlainObject } from '../utils/argument_validation';

/** compile's `loss` for several outputs: one for all, a list in output order, or a dict by output name. */
export type LossSpec = LossIdentifier | readonly (LossIdentifier | null)[] | { readonly [output: string]: LossIdentifier | null };
/** compile's `lossWeights`: a list in output order or a dict by output name. */
export type LossWeights = readonly number[] | { readonly [output: string]: number };
/** compile's `metrics` for several outputs: a list per output, or a dict by output name. */
export type MetricsSpec =
  | readonly MetricIdentifier[]
  | readonly (readonly MetricIdentifier[] | MetricIdentifier | null)[]
  | { readonly [output: string]: readonly MetricIdentifier[] | MetricIdentifier | null };

/** `spec` (a list or a dict by key or layer name) as one entry per flat output; `single` for a non-nested value. */
function perOutput<T>(spec: unknown, structure: IOStructure, what: string, single: (v: unknown) => boolean): (T | null)[] {
  const n = structure.names.length;
  if (single(spec)) return Array.from({ length: n }, () => spec as T);
  if (Array.isArray(spec)) {
    if (spec.length !== n) {
      throw new RangeError(
        `\`${what}\` must hold one entry per output (${n}: ${JSON.stringify(structure.names)}). Received ${spec.length}: ${describeValue(spec)}`,
      );
    }
    return spec as T[];
  }
  if (isPlainObject(spec)) {
    const keys = structure.kind === 'dict' ? structure.keys : structure.names;
    const unknown = Object.keys(spec).filter((k) => !keys.includes(k) && !structure.names.includes(k));
    if (unknown.length > 0) {
      throw new RangeError(`Expected keys ${JSON.stringify(keys)} in \`${what}\`, but found ${JSON.stringify(Object.keys(spec))}`);
    }
    return keys.map((k, i) => (spec[k] ?? spec[structure.names[i]] ?? null) as T | null);
  }
  throw new TypeError(`\`${what}\` must be a list or a dict by output name. Received: ${describeValue(spec)}`);
}

/** One weight tensor for every output, or one per output (flat order). */
export type SampleWeights = Tensor | readonly Tensor[] | undefined;

const weightOf = (weights: SampleWeights, i: number): Tensor | undefined =>
  Array.isArray(weights) ? weights[i] : (weights as Tensor | undefined);

const isLossLeaf = (v: unknown): boolean => !Array.isArray(v) && !(isPlainObject(v) && !('class_name' in v));

export class MultiOutputCompile {
  readonly losses: (Loss | null)[];
  readonly weights: (number | null)[];
  /** `<output>_loss` trackers, one per loss, when there are several. */
  readonly trackers: (Mean | null)[];
  /** Each output's name in the logs: its dict key, or its layer's name. */
  private readonly outputNames: readonly string[];
  /** The trackers in Keras' order: a loss dict's own key order, else the outputs'. */
  private readonly trackerOrder: number[];
  /** Per output: metrics ('accuracy' stays a name until the shapes are known). */
  private readonly metricSlots: (Metric | string)[][];
  private readonly weightedSlots: (Metric | string)[][];
  /** The metrics' log keys, as the last updateMetrics() named them. */
  private readonly metricNames = new Map<Metric, string>();

  constructor(
    structure: IOStructure,
    loss: LossSpec | undefined,
    lossWeights: LossWeights | undefined,
    metrics: MetricsSpec | undefined,
    weightedMetrics: MetricsSpec | undefined,
  ) {
    const names = structure.kind === 'dict' ? structure.keys : structure.names;
    this.outputNames = names;
    this.losses =
      loss === undefined || loss === null
        ? names.map(() => null)
        : perOutput<LossIdentifier>(loss, structure, 'loss', isLossLeaf).map((l) => (l === null || l === undefined ? null : getLoss(l)));
    const weights =
      lossWeights === undefined || lossWeights === null
        ? names.map(() => null)
        : perOutput<number>(lossWeights, structure, 'lossWeights', (v) => typeof v === 'number');
    weights.forEach((w) => {
      if (w !== null && (typeof w !== 'number' || !Number.isFinite(w)))
        throw new TypeError(`\`lossWeights\` must be numbers. Received: ${describeValue(lossWeights)}`);
    });
    this.weights = weights;
    const count = this.losses.filter((l) => l !== null).length;
    this.trackers = this.losses.map((l, i) => (l !== null && count > 1 ? new Mean({ name: `${names[i]}_loss` }) : null));
    const order =
      isPlainObject(loss) && !('class_name' in loss)
        ? Object.keys(loss).map((k) => (names.indexOf(k) >= 0 ? names.indexOf(k) : structure.names.indexOf(k)))
        : [];
    this.trackerOrder = [...order.filter((i) => i >= 0), ...names.map((_, i) => i).filter((i) => !order.includes(i))];
    const slots = (spec: MetricsSpec | undefined, what: string): (Metric | string)[][] => {
      if (spec === undefined || spec === null) return names.map(() => []);
      if (Array.isArray(spec) && spec.every((m) => !Array.isArray(m) && m !== null) && names.length > 1) {
        throw new RangeError(
          `Invalid \`${what}\`. \`${what}\` should be a dict or a list matching the output names of the functional model ${JSON.stringify(names)}: one list of metrics per output. Received: ${describeValue(spec)}`,
        );
      }
      return perOutput<MetricIdentifier[] | MetricIdentifier>(spec, structure, what, () => false).map((entry) => {
        const list = entry === null || entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
        return list.map((m) => (typeof m === 'string' && ['accuracy', 'acc'].includes(m.toLowerCase()) ? m : getMetric(m)));
      });
    };
    this.metricSlots = slots(metrics, 'metrics');
    this.weightedSlots = slots(weightedMetrics, 'weightedMetrics');
  }

  get hasLoss(): boolean {
    return this.losses.some((l) => l !== null);
  }

  /** The loss trackers, then each output's metrics and weighted metrics that are resolved. */
  get metrics(): Metric[] {
    const resolved = [...this.metricSlots.flat(), ...this.weightedSlots.flat()].filter((m): m is Metric => m instanceof Metric);
    const trackers = this.trackerOrder.map((i) => this.trackers[i]).filter((t): t is Mean => t !== null);
    return [...trackers, ...resolved];
  }

  /** Keras' CompileLoss: the weighted sum of the outputs' losses; each tracker gets its unweighted loss. */
  call(ys: readonly Tensor[], yPreds: readonly Tensor[], sampleWeight: SampleWeights, batchSize: Tensor): Tensor | null {
    const values: Tensor[] = [];
    this.losses.forEach((loss, i) => {
      if (loss === null) return;
      let value = loss.apply(ys[i], yPreds[i], weightOf(sampleWeight, i));
      if (value.dtype !== 'float32') value = Cast({ x: value, DstT: 'float32' });
      this.trackers[i]?.updateState(value, batchSize);
      const weight = this.weights[i];
      values.push(weight === null ? value : Mul({ x: value, y: constantTensor(weight, value.dtype) }));
    });
    if (values.length === 0) return null;
    return values.length === 1 ? values[0] : Sum({ input: Pack({ values }), reductionIndices: 0 });
  }

  /** Updates each output's metrics; their values by log key `<output>_<metric>` (a repeated key gets `_1`...). */
  updateMetrics(ys: readonly Tensor[], yPreds: readonly Tensor[], sampleWeights: SampleWeights): Map<Metric, string> {
    const names = this.metricNames;
    names.clear();
    const counters = new Map<string, number>();
    const unique = (name: string) => {
      const index = counters.get(name);
      counters.set(name, (index ?? 0) + 1);
      return index === undefined ? name : `${name}_${index}`;
    };
    for (const [slots, weighted] of [
      [this.metricSlots, false],
      [this.weightedSlots, true],
    ] as const) {
      slots.forEach((list, i) => {
        list.forEach((slot, j) => {
          if (typeof slot === 'string') list[j] = getMetric(slot, ys[i].shape as Shape, yPreds[i].shape as Shape);
          const metric = list[j] as Metric;
          const sampleWeight = weightOf(sampleWeights, i);
          if (weighted && sampleWeight !== undefined) metric.updateState(ys[i], yPreds[i], sampleWeight);
          else metric.updateState(ys[i], yPreds[i]);
          const base = `${this.outputNames[i]}_${metric.name}`;
          names.set(metric, weighted && counters.has(base) ? unique(`${this.outputNames[i]}_weighted_${metric.name}`) : unique(base));
        });
      });
    }
    return names;
  }

  /** Every log key: the loss trackers' (their names), then the metrics' (known once updateMetrics ran). */
  logNames(): Map<Metric, string> {
    return new Map([...this.trackers.filter((t): t is Mean => t !== null).map((t) => [t, t.name] as const), ...this.metricNames]);
  }
}
