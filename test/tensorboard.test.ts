// TensorBoard: events files (TFRecord framing, masked CRC-32C, Event/Summary protos), tf.summary's
// writer and reader, and the Keras TensorBoard callback against what Keras 3.15 + TF 2.21 write
// (test/fixtures/callbacks_more.json and tf_summaries.tfevents, from
// test/fixtures/generators/callbacks_more_reference.py); then, where Python has TensorFlow and
// TensorBoard, TensorBoard's own EventAccumulator reading tf-napi's files.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

import * as tf from '../lib';
import { PYTHON } from './helpers/python_tf';
import type { EventObject, SummaryValueObject } from '../lib/summary';
import { encodeEvent } from '../lib/proto';
import { close, readFixture } from './helpers/keras_fit_fixture';

const { Sequential, Input, layers, optimizers, callbacks } = tf.keras;
const { Dense } = layers;
const { TensorBoard, LambdaCallback } = callbacks;
const { summary } = tf;

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures');
/** Python with TensorFlow and TensorBoard, for the EventAccumulator check (CI has none: it skips). */

type Summary = [tag: string, step: number, kind: string, value: number | number[] | string];

interface TensorBoardFit {
  x: number[];
  y: number[];
  initial_weights: number[][];
  update_freq: 'batch' | number;
  runs: string[];
  train: { summaries: Summary[]; graphs: number };
  validation: { summaries: Summary[]; graphs: number };
  keras_model_json: string;
}

interface Fixture {
  tensorboard_fit: TensorBoardFit[];
  tensorboard_summaries: {
    events_file: string;
    histograms: { name: string; buckets: number; data: number[]; rows: number[] }[];
    scalar_events: { tag: string; step: number; value: number; hex_after_wall_time: string }[];
    file_version: string;
  };
}

const fixture = readFixture<Fixture>('callbacks_more.json');

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-tensorboard-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function onlyFile(dir: string): string {
  const files = summary.listEventFiles(dir);
  assert.equal(files.length, 1, `one events file in ${dir}`);
  return files[0];
}

/** The summaries of an events file as [tag, step, kind, value], as the generator lists Keras'. */
function summariesOf(events: EventObject[]): { summaries: Summary[]; graphs: number } {
  const out: { summaries: Summary[]; graphs: number } = { summaries: [], graphs: 0 };
  for (const event of events) {
    if (event.what === 'graphDef') out.graphs += 1;
    for (const value of event.summary?.value ?? []) {
      const plugin = value.metadata?.pluginData?.pluginName ?? '';
      if (plugin === 'scalars') out.summaries.push([value.tag, event.step, 'scalar', summary.scalarValue(value) as number]);
      else if (plugin === 'histograms') {
        const rows = (summary.histogramValue(value) ?? []).flatMap((b) => [b.left, b.right, b.count]);
        out.summaries.push([value.tag, event.step, 'histogram', rows]);
      } else out.summaries.push([value.tag, event.step, plugin, (summary.stringValues(value) ?? [])[0]]);
    }
  }
  return out;
}

/** A GraphDef's node names (NodeDef field 1 of each GraphDef field 1), sorted. */
function nodeNames(graphDef: Uint8Array): string[] {
  const names: string[] = [];
  const reader = protobuf.Reader.create(graphDef);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== ((1 << 3) | 2)) {
      reader.skipType(tag & 7);
      continue;
    }
    const node = protobuf.Reader.create(reader.bytes());
    while (node.pos < node.len) {
      const nodeTag = node.uint32();
      if (nodeTag === ((1 << 3) | 2)) names.push(node.string());
      else node.skipType(nodeTag & 7);
    }
  }
  return names.sort();
}

// --- record format -------------------------------------------------------------------------------

test('CRC-32C and its mask are the ones TFRecord files use', () => {
  assert.equal(summary.crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(summary.crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(summary.crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(summary.crc32c(ascending), 0x46dd794e);
  // TF's mask: rotate right by 15, add 0xa282ead8.
  const crc = summary.crc32c(Buffer.from('123456789'));
  assert.equal(summary.maskedCrc32c(Buffer.from('123456789')), (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0);
});

test('records round-trip; a corrupt one throws, a cut-off last one is left out', () => {
  const payloads = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(1000, 7)];
  const file = Buffer.concat(payloads.map((p) => summary.encodeRecord(p)));
  assert.equal(
    file.length,
    payloads.reduce((n, p) => n + p.length + 16, 0),
  );
  assert.deepEqual(
    summary.readRecords(file).records.map((r) => Buffer.from(r)),
    payloads,
  );
  const cut = summary.readRecords(file.subarray(0, file.length - 3));
  assert.equal(cut.records.length, 2);
  assert.equal(cut.trailingBytes, 1016 - 3);
  const corrupt = Buffer.from(file);
  corrupt[14] ^= 1;
  assert.throws(() => summary.readRecords(corrupt, 'corrupt.tfevents'), /corrupt\.tfevents: corrupt record data at byte 0/);
  const badLength = Buffer.from(file);
  badLength[0] ^= 1;
  assert.throws(() => summary.readRecords(badLength), /corrupt record length/);
});

// --- tf.summary against TF -----------------------------------------------------------------------

test('readEventFile reads the events file TF 2.21 wrote: version, scalars and histograms', () => {
  const ref = fixture.tensorboard_summaries;
  const events = summary.readEventFile(path.join(FIXTURES, ref.events_file));
  assert.equal(events[0].fileVersion, ref.file_version);
  assert.equal(events[0].sourceMetadata?.writer, 'tensorflow.core.util.events_writer');
  const values = new Map<string, { step: number; value: SummaryValueObject }>();
  for (const event of events.slice(1)) for (const value of event.summary?.value ?? []) values.set(value.tag, { step: event.step, value });
  for (const h of ref.histograms) {
    const read = values.get(h.name);
    assert.ok(read, h.name);
    assert.deepEqual(
      summary.histogramValue(read.value)?.flatMap((b) => [b.left, b.right, b.count]),
      h.rows,
    );
  }
  for (const s of ref.scalar_events) {
    const read = values.get(s.tag);
    assert.ok(read, s.tag);
    assert.equal(read.step, s.step);
    assert.equal(summary.scalarValue(read.value), s.value);
  }
});

test('histogramBuckets computes the same [k, 3] rows as tf.summary.histogram, bit for bit', () => {
  for (const h of fixture.tensorboard_summaries.histograms) {
    assert.deepEqual(Array.from(summary.histogramBuckets(Float32Array.from(h.data), h.buckets)), h.rows, h.name);
  }
});

test('a scalar event is the bytes TF writes (after wall_time), through the fast path and through protobufjs', (t) => {
  const dir = tempDir(t);
  const writer = summary.createFileWriter(dir);
  for (const s of fixture.tensorboard_summaries.scalar_events) writer.scalar(s.tag, s.value, s.step);
  writer.close();
  const records = summary.readRecords(fs.readFileSync(writer.path)).records.slice(1);
  fixture.tensorboard_summaries.scalar_events.forEach((s, i) => {
    assert.equal(records[i][0], 0x09, 'wall_time first');
    assert.equal(Buffer.from(records[i].subarray(9)).toString('hex'), s.hex_after_wall_time, s.tag);
    const generic = encodeEvent({
      wallTime: 1,
      step: s.step === 0 ? undefined : s.step,
      summary: {
        value: [
          {
            tag: s.tag,
            tensor: { dtype: 'DT_FLOAT', tensorShape: {}, tensorContent: Buffer.from(Float32Array.of(s.value).buffer) },
            metadata: { pluginData: { pluginName: 'scalars' } },
          },
        ],
      },
    });
    assert.equal(Buffer.from(generic.subarray(9)).toString('hex'), s.hex_after_wall_time, `${s.tag} via protobufjs`);
  });
});

test('SummaryWriter: the file name and first record TF writes, text and graph events, reading back', (t) => {
  const dir = tempDir(t);
  const writer = summary.createFileWriter(path.join(dir, 'run'));
  assert.match(
    path.basename(writer.path),
    new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${os.hostname().replace(/\./g, '\\.')}\\.${process.pid}\\.\\d+\\.v2$`),
  );
  writer.text('notes', 'héllo', 3);
  writer.graph(Uint8Array.of(1, 2, 3));
  writer.histogram('w', tf.tensor([1, 2, 3, 4]), 5, 2);
  writer.scalar('negative_step', 1.5, -2);
  writer.close();
  writer.close();
  assert.throws(() => writer.scalar('late', 1, 0), /is closed/);
  const events = summary.readEventFile(writer.path);
  assert.equal(events[0].fileVersion, 'brain.Event:2');
  assert.equal(events[0].wallTime, Math.floor(events[0].wallTime));
  assert.equal(events[0].sourceMetadata?.writer, 'tf-napi');
  assert.deepEqual(summary.stringValues(events[1].summary!.value[0]), ['héllo']);
  assert.equal(events[1].summary!.value[0].metadata?.pluginData?.pluginName, 'text');
  assert.deepEqual(Array.from(events[2].graphDef!), [1, 2, 3]);
  assert.deepEqual(summary.histogramValue(events[3].summary!.value[0]), [
    { left: 1, right: 2.5, count: 2 },
    { left: 2.5, right: 4, count: 2 },
  ]);
  assert.equal(events[4].step, -2);
  assert.equal(summary.scalarValue(events[4].summary!.value[0]), 1.5);
  assert.ok(events.slice(1).every((e) => e.wallTime > events[0].wallTime - 1 && e.wallTime < Date.now() / 1000 + 1));
  assert.throws(() => summary.createFileWriter(dir).scalar('x', 1, 0.5), /integer/);
});

test('a summary writer buffers: nothing reaches the file until flush(), close() or the size limit', (t) => {
  const dir = tempDir(t);
  const writer = summary.createFileWriter(dir, { maxBufferBytes: 4096 });
  const size = () => fs.statSync(writer.path).size;
  const start = size();
  writer.scalar('a', 1, 1);
  assert.equal(size(), start);
  writer.flush();
  assert.ok(size() > start);
  const flushed = size();
  for (let i = 0; i < 100; i++) writer.scalar('loss', i, i);
  assert.ok(size() > flushed, 'the size limit flushed');
  writer.close();
  assert.equal(summary.readEventFile(writer.path).length, 1 + 1 + 100);
});

// --- TensorBoard callback against Keras ------------------------------------------------------

async function tensorBoardFit(ref: TensorBoardFit, logDir: string, extra: tf.keras.callbacks.Callback[] = []) {
  const model = new Sequential(
    [Input([3]), new Dense({ units: 4, activation: 'relu', name: 'hidden' }), new Dense({ units: 1, name: 'out' })],
    {
      name: 'tb_model',
    },
  );
  const shapes = [[3, 4], [4], [4, 1], [1]];
  model.setWeights(ref.initial_weights.map((w, i) => tf.tensor(Float32Array.from(w), shapes[i])));
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  const x = tf.tensor(Float32Array.from(ref.x), [10, 3]);
  const y = tf.tensor(Float32Array.from(ref.y), [10, 1]);
  await model.fit(x, y, {
    batchSize: 4,
    epochs: 3,
    shuffle: false,
    verbose: 0,
    validationData: [tf.tensor(Float32Array.from(ref.x.slice(0, 18)), [6, 3]), tf.tensor(Float32Array.from(ref.y.slice(0, 6)), [6, 1])],
    callbacks: [new TensorBoard({ logDir, updateFreq: ref.update_freq, histogramFreq: 1 }), ...extra],
  });
  return model;
}

function assertSummaryClose(actual: Summary, expected: Summary, what: string): void {
  assert.equal(actual[0], expected[0], `${what} tag`);
  assert.equal(actual[1], expected[1], `${what} step`);
  assert.equal(actual[2], expected[2], `${what} kind`);
  if (expected[2] === 'scalar') close(actual[3] as number, expected[3] as number, what);
  else if (expected[2] === 'histogram') {
    const [a, e] = [actual[3] as number[], expected[3] as number[]];
    assert.equal(a.length, e.length);
    e.forEach((v, i) => (i % 3 === 2 ? assert.equal(a[i], v, `${what} count ${i}`) : close(a[i], v, `${what} edge ${i}`)));
  } else if (expected[2] === 'graph_keras_model') {
    assert.equal(typeof actual[3], 'string');
  } else assert.deepEqual(actual[3], expected[3]);
}

test("TensorBoard(updateFreq: 'batch', histogramFreq: 1) writes Keras' runs, tags, steps and values", async (t) => {
  const ref = fixture.tensorboard_fit.find((f) => f.update_freq === 'batch') as TensorBoardFit;
  const logDir = tempDir(t);
  await tensorBoardFit(ref, logDir);
  assert.deepEqual(fs.readdirSync(logDir).sort(), ref.runs);
  for (const run of ['train', 'validation'] as const) {
    const ours = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, run))));
    const keras = ref[run];
    assert.deepEqual(
      ours.summaries.map((s) => `${s[0]}@${s[1]}`),
      keras.summaries.map((s) => `${s[0]}@${s[1]}`),
      `${run}: the same summaries in the same order`,
    );
    ours.summaries.forEach((s, i) => assertSummaryClose(s, keras.summaries[i], `${run} ${s[0]}@${s[1]}`));
    // Keras 3.15 writes no op graph (its write_graph is documented as unsupported); tf-napi writes the train step's.
    assert.equal(keras.graphs, 0);
    assert.equal(ours.graphs, run === 'train' ? 1 : 0);
  }
});

test("TensorBoard's model config (tag 'keras') is Keras' to_json() of the same model", async (t) => {
  const ref = fixture.tensorboard_fit[0];
  const logDir = tempDir(t);
  await tensorBoardFit(ref, logDir);
  const ours = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, 'train')))).summaries.find((s) => s[0] === 'keras');
  assert.ok(ours);
  // Keras adds compile_config once compiled (tf-napi has no compile config yet); auto-names differ by process.
  const normalize = (json: string) => {
    const config = JSON.parse(json);
    delete config.compile_config;
    config.config.layers[0].config.name = 'input_layer';
    return config;
  };
  assert.deepEqual(normalize(ours[3] as string), normalize(ref.keras_model_json));
});

test('TensorBoard(updateFreq: 2) writes batch summaries every 2nd batch, and every epoch summary', async (t) => {
  const ref = fixture.tensorboard_fit.find((f) => f.update_freq === 2) as TensorBoardFit;
  const logDir = tempDir(t);
  await tensorBoardFit(ref, logDir);
  for (const run of ['train', 'validation'] as const) {
    const ours = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, run)))).summaries;
    const keras = ref[run].summaries;
    const batchTags = (list: Summary[]) => list.filter((s) => s[0].startsWith('batch_'));
    assert.deepEqual(
      batchTags(ours).map((s) => `${s[0]}@${s[1]}`),
      batchTags(keras).map((s) => `${s[0]}@${s[1]}`),
    );
    // Keras 3.15 also drops the epoch-level summaries of epochs whose last global batch number is
    // not a multiple of N (its record_if outlives the batch); tf-napi writes them all, so Keras'
    // are a subset of tf-napi's, with the same values.
    for (const expected of keras) {
      const actual = ours.find((s) => s[0] === expected[0] && s[1] === expected[1]);
      assert.ok(actual, `${run} ${expected[0]}@${expected[1]}`);
      assertSummaryClose(actual, expected, `${run} ${expected[0]}@${expected[1]}`);
    }
    const epochs = new Set(ours.filter((s) => s[0] === 'epoch_loss').map((s) => s[1]));
    assert.deepEqual([...epochs], [0, 1, 2]);
  }
});

test('TensorBoard writes the train step GraphDef: the step’s ops only, importable by TF', async (t) => {
  const logDir = tempDir(t);
  const model = await tensorBoardFit(fixture.tensorboard_fit[0], logDir);
  const graphEvent = summary.readEventFile(onlyFile(path.join(logDir, 'train'))).find((e) => e.what === 'graphDef');
  assert.ok(graphEvent?.graphDef);
  assert.equal(graphEvent.step, 0);
  const text = Buffer.from(graphEvent.graphDef).toString('latin1');
  assert.match(text, /tb_model_train_step/);
  assert.match(text, /ResourceApplyGradientDescent|AssignSubVariableOp|AssignVariableOp/);
  assert.doesNotMatch(text, /tb_model_predict_step|tb_model_test_step/);
  // Written after the first epoch, so it holds both traces: the full batches' and the smaller last batch's (a free batch dim).
  assert.equal(model.trainFunction?.tracingCount, 2);
  // (The same nodes: TF serializes each node's attr map in no fixed order.)
  assert.deepEqual(nodeNames(model.trainFunction?.graphDef() as Uint8Array), nodeNames(graphEvent.graphDef));
});

test('TracedFunction.graphDef(): the nodes its traces run, not the rest of the global graph', () => {
  const scale = tf.function((x: tf.Tensor) => tf.math.mul(x, 2), { name: 'scale_only' });
  const shift = tf.function((x: tf.Tensor) => tf.math.add(x, 1), { name: 'shift_only' });
  assert.equal(scale.graphDef(), undefined);
  scale(tf.tensor([1, 2]));
  shift(tf.tensor([1, 2]));
  const text = Buffer.from(scale.graphDef() as Uint8Array).toString('latin1');
  assert.match(text, /scale_only/);
  assert.match(text, /\bMul\b/);
  assert.doesNotMatch(text, /shift_only/);
});

test('TensorBoard buffers events during an epoch and writes them at its end', async (t) => {
  const logDir = tempDir(t);
  const trainDir = path.join(logDir, 'train');
  const sizes: { batch: number; size: number }[] = [];
  const epochEnds: number[] = [];
  const sizeNow = () => fs.statSync(onlyFile(trainDir)).size;
  await tensorBoardFit(fixture.tensorboard_fit[0], logDir, [
    new LambdaCallback({
      onTrainBatchEnd: (batch) => void sizes.push({ batch, size: sizeNow() }),
      onEpochEnd: () => void epochEnds.push(sizeNow()),
    }),
  ]);
  // 3 batches per epoch, batch summaries every batch: within an epoch the file does not grow.
  for (let epoch = 0; epoch < 3; epoch++) {
    const inEpoch = sizes.slice(epoch * 3, epoch * 3 + 3).map((s) => s.size);
    assert.equal(new Set(inEpoch).size, 1, `epoch ${epoch}: ${inEpoch}`);
    assert.ok(epochEnds[epoch] > inEpoch[0], `epoch ${epoch} end writes`);
  }
});

test('TensorBoard with evaluate(), steps per second, and its options', async (t) => {
  const logDir = tempDir(t);
  const model = new Sequential([Input([2]), new Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const board = new TensorBoard({ logDir, updateFreq: 'batch', writeStepsPerSecond: true, writeGraph: false });
  await model.fit(tf.ones([4, 2]), tf.zeros([4, 1]), { batchSize: 2, epochs: 2, verbose: 0, callbacks: [board] });
  const train = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, 'train')))).summaries;
  assert.deepEqual([...new Set(train.map((s) => s[0]))].sort(), [
    'batch_loss',
    'batch_mae',
    'batch_steps_per_second',
    'epoch_learning_rate',
    'epoch_loss',
    'epoch_mae',
    'epoch_steps_per_second',
  ]);
  assert.ok(train.filter((s) => s[0].endsWith('steps_per_second')).every((s) => (s[3] as number) > 0));
  assert.ok(!fs.existsSync(path.join(logDir, 'validation')), 'no validation run without validation data');
  // evaluate() writes evaluation_<metric>_vs_iterations at the optimizer's step, to a new validation file.
  await model.evaluate(tf.ones([4, 2]), tf.zeros([4, 1]), { batchSize: 2, verbose: 0, callbacks: [board] });
  const validation = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, 'validation')))).summaries;
  assert.deepEqual(
    validation.map((s) => `${s[0]}@${s[1]}`),
    ['evaluation_loss_vs_iterations@4', 'evaluation_mae_vs_iterations@4'],
  );

  assert.throws(() => new TensorBoard({ updateFreq: 0 }), RangeError);
  assert.throws(() => new TensorBoard({ updateFreq: 'step' as never }), RangeError);
  assert.throws(() => new TensorBoard({ writeImages: true }), { name: 'TypeError', message: /writeImages` is not supported/ });
  assert.throws(() => new TensorBoard({ log_dir: 'x' } as never), { name: 'TypeError', message: /did you mean 'logDir'/ });
  assert.equal(new TensorBoard({ updateFreq: 'batch' }).updateFreq, 1);
  // Epoch-level logging adds no batch hooks, so fit() calls nothing of it per step.
  assert.equal(new TensorBoard().onTrainBatchEnd, callbacks.Callback.prototype.onTrainBatchEnd);
  assert.equal(new TensorBoard().onTrainBatchBegin, callbacks.Callback.prototype.onTrainBatchBegin);
  assert.notEqual(new TensorBoard({ updateFreq: 3 }).onTrainBatchEnd, callbacks.Callback.prototype.onTrainBatchEnd);
  assert.equal(new TensorBoard().logDir, 'logs');
});

// --- TensorBoard's own reader ----------------------------------------------------------------

const ACCUMULATOR_SCRIPT = String.raw`
import json, sys
from tensorboard.backend.event_processing import event_accumulator as ea
import tensorflow as tf
out = {}
for run in sys.argv[2:]:
    acc = ea.EventAccumulator(sys.argv[1] + "/" + run, size_guidance={ea.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    tensors = {}
    for tag in tags["tensors"]:
        tensors[tag] = []
        for e in acc.Tensors(tag):
            a = tf.make_ndarray(e.tensor_proto)
            value = a.item().decode() if a.dtype == object else a.reshape(-1).tolist()
            tensors[tag].append([e.step, value])
    entry = {"tensors": tensors, "graph": tags["graph"]}
    if tags["graph"]:
        graph_def = tf.compat.v1.GraphDef.FromString(acc.Graph().SerializeToString())
        graph = tf.Graph()
        with graph.as_default():
            tf.graph_util.import_graph_def(graph_def, name="")
        entry["graph_nodes"] = len(graph_def.node)
        entry["imported_ops"] = len(graph.get_operations())
    out[run] = entry
print(json.dumps(out))
`;

function pythonWithTensorBoard(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `no Python with TensorFlow at ${PYTHON} (set TF_NAPI_PYTHON_TF)`;
  const probe = spawnSync(PYTHON, ['-c', 'import tensorboard, tensorflow'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `${PYTHON} cannot import tensorboard and tensorflow (pip install tensorboard==2.21.0, or put a copy on PYTHONPATH)`;
  }
  return undefined;
}

test("TensorBoard's EventAccumulator reads tf-napi's files: every tag, step and value, and the graph", async (t) => {
  const missing = pythonWithTensorBoard();
  if (missing) return t.skip(missing);
  const logDir = tempDir(t);
  await tensorBoardFit(fixture.tensorboard_fit[0], logDir);
  const result = spawnSync(PYTHON, ['-c', ACCUMULATOR_SCRIPT, logDir, 'train', 'validation'], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  assert.equal(result.status, 0, result.stderr);
  const read = JSON.parse(result.stdout.trim().split('\n').pop() as string) as Record<
    string,
    { tensors: Record<string, [number, number[] | string][]>; graph: boolean; graph_nodes?: number; imported_ops?: number }
  >;
  for (const run of ['train', 'validation']) {
    const ours = summariesOf(summary.readEventFile(onlyFile(path.join(logDir, run)))).summaries;
    const byTag = new Map<string, [number, number[] | string][]>();
    for (const [tag, step, , value] of ours) {
      const entries = byTag.get(tag) ?? [];
      entries.push([step, typeof value === 'number' ? [value] : value]);
      byTag.set(tag, entries);
    }
    assert.deepEqual(Object.keys(read[run].tensors).sort(), [...byTag.keys()].sort(), `${run} tags`);
    for (const [tag, entries] of byTag) {
      const theirs = read[run].tensors[tag];
      assert.equal(theirs.length, entries.length, `${run} ${tag}`);
      entries.forEach(([step, value], i) => {
        assert.equal(theirs[i][0], step);
        if (typeof value === 'string') assert.deepEqual(JSON.parse(theirs[i][1] as string), JSON.parse(value));
        // Our reader and TF's read the same float32/float64 bits.
        else assert.deepEqual(theirs[i][1], value, `${run} ${tag}@${step}`);
      });
    }
  }
  assert.equal(read.train.graph, true);
  assert.ok((read.train.graph_nodes ?? 0) > 20);
  assert.equal(read.train.imported_ops, read.train.graph_nodes);
  assert.equal(read.validation.graph, false);
});
