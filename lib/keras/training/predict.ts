// model.predict / predictOnBatch: the model's traced inference step (`model.predictFunction`) per batch,
// batch outputs copied into one host buffer that becomes the result tensor.
import { TypedArray, typedArrayFor } from '../../dtypes';
import { constantTensor } from '../../ops/run_op';
import { hostTensor } from '../../raw/host_tensor';
import { Tensor, TensorLike } from '../../tensor';
import type { Callback } from '../callbacks';
import type { Model } from '../models/model';
import { checkOptions } from '../utils/argument_validation';
import { CallbackList } from '../callbacks/callback_list';
import { ArrayData, ArraySource, BatchDataset, DataSource, DatasetSource, isDataset, toHostArray, withSteps } from './data_adapter';
import { runBatches } from './loop';
import { StepFunction } from './step_function';
import type { TracedFunction } from '../../function';
import { ConcatV2 } from '../../ops/generated';
import { asDeviceReplicaStrategy, asTrainingStrategy } from '../../distribute/distribution_context';

export interface PredictOptions {
  batchSize?: number;
  /** 0 silent, 1 progress bar (the default), 2 one line. */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly Callback[];
  /** Batches to predict (needed for a dataset that repeats forever). */
  steps?: number;
}

function inputDType(model: Model) {
  return model.inputs[0]?.dtype ?? model.dtype;
}

/** Growing host storage for the rows of the outputs. */
class OutputBuffer {
  private data?: TypedArray;
  private rows = 0;
  /** The rows of each batch appended. */
  readonly batchRows: number[] = [];
  private rowShape: number[] = [];
  private dtype?: Tensor['dtype'];

  constructor(private readonly expectedRows: number | null) {}

  append(output: Tensor): void {
    const values = output.dataSync() as TypedArray;
    const [batch, ...rest] = output.shape as number[];
    if (this.data === undefined) {
      this.dtype = output.dtype;
      this.rowShape = rest;
      const ArrayClass = typedArrayFor(output.dtype) as new (n: number) => TypedArray;
      this.data = new ArrayClass((this.expectedRows ?? batch) * (values.length / Math.max(batch, 1)));
    }
    const offset = this.rows * (values.length / Math.max(batch, 1));
    if (offset + values.length > this.data.length) {
      const grown = new (this.data.constructor as new (n: number) => TypedArray)(Math.max(offset + values.length, this.data.length * 2));
      (grown as Float32Array).set(this.data as Float32Array);
      this.data = grown;
    }
    (this.data as Float32Array).set(values as Float32Array, offset);
    this.rows += batch;
    this.batchRows.push(batch);
  }

  toTensor(): Tensor {
    if (this.data === undefined || this.dtype === undefined)
      throw new RangeError('predict() got no data: the input has no samples (or the dataset no batches)');
    const size = this.rows * this.rowShape.reduce((p, d) => p * d, 1);
    return Tensor.fromNative(hostTensor(this.data.subarray(0, size), [this.rows, ...this.rowShape], this.dtype));
  }
}

/** predict's options checked before anything runs (also before waiting for a run in flight). */
export function checkPredictOptions(options: PredictOptions): void {
  checkOptions('predict()', options, ['batchSize', 'verbose', 'callbacks', 'steps']);
}

/** Each model's predict step under a MirroredStrategy. */
const replicatedSteps = new WeakMap<Model, StepFunction<[Tensor], Tensor>>();

/**
 * The traced step predict() runs per batch: Keras' predict_function, or under a MirroredStrategy each
 * replica's part of the batch on its device, the parts concatenated in order (Keras' "concat").
 */
function predictFunction(model: Model): TracedFunction<[Tensor], Tensor> {
  const strategy = asDeviceReplicaStrategy(model.distributeStrategy);
  if (strategy === null || strategy.numReplicasInSync === 1) return model.predictFunction;
  let step = replicatedSteps.get(model);
  if (step === undefined) {
    step = new StepFunction(model, 'predict', (x: Tensor) => {
      const { results } = strategy.forEachReplica([x], ([part]) => model.apply(part as Tensor, { training: false }) as Tensor);
      return ConcatV2({ values: results, axis: 0 });
    });
    replicatedSteps.set(model, step);
  }
  return step.function;
}

export async function predict(model: Model, x: ArrayData | BatchDataset, options: PredictOptions = {}): Promise<Tensor> {
  checkPredictOptions(options);
  const { batchSize = 32, verbose = 1, callbacks = [] } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new RangeError(`\`batchSize\` must be a positive integer. Received: batchSize=${String(batchSize)}`);
  const strategy = asTrainingStrategy(model.distributeStrategy);
  const shard = strategy !== null && strategy.numReplicasInSync > 1 ? strategy.batchShard : undefined;
  const step = predictFunction(model);
  let source: DataSource;
  if (isDataset(x)) {
    source = new DatasetSource(x, inputDType(model), undefined, shard);
  } else {
    const xs = toHostArray(x, 'x', inputDType(model));
    model.maybeBuild([null, ...xs.rowShape]);
    source = new ArraySource(xs, undefined, batchSize, undefined, shard);
  }
  const expectedRows = source instanceof ArraySource && options.steps === undefined ? source.x.length : null;
  source = withSteps(source, options.steps, 'steps');
  const callbackList = new CallbackList(callbacks, { addProgbar: verbose !== 0, verbose, epochs: 1, steps: source.steps, model });
  const outputs = new OutputBuffer(expectedRows);
  await callbackList.onPredictBegin();
  await runBatches(source, false, {
    before: (step) => callbackList.onPredictBatchBegin(step),
    run: (batch) => step(batch.x),
    launch: (batch) => step.callAsync(batch.x),
    after: async (output, step) => {
      outputs.append(output);
      output.dispose();
      await callbackList.onPredictBatchEnd(step);
      return true;
    },
  });
  await callbackList.onPredictEnd();
  // Keras' multi-worker predict: each worker's part of every batch, gathered so each gets the whole input's.
  if (shard !== undefined && strategy !== null) {
    const local = outputs.toTensor();
    try {
      return strategy.gatherBatches(local, outputs.batchRows);
    } finally {
      local.dispose();
    }
  }
  return outputs.toTensor();
}

/** One batch through the traced inference step (Keras' predict_on_batch). */
export function predictOnBatch(model: Model, x: TensorLike): Tensor {
  const tensor = x instanceof Tensor ? x : constantTensor(x as never, inputDType(model));
  model.maybeBuild([null, ...tensor.shape.slice(1)]);
  return model.predictFunction(tensor);
}
