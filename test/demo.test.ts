// The MNIST demo (examples/mnist.ts), shortened: it trains, shows Keras' progress bar, reports a
// test accuracy well above chance and writes its learning-rate and loss chart as SVG, and with
// --logdir, TensorBoard files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { formatTick, lineChart, niceTicks } from '../examples/chart';
import * as summary from '../lib/summary';

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'dist', 'examples', 'mnist.js');

/** The elements of a minimal, well-formed SVG document: one <svg> root, every tag closed. */
function svgElements(svg: string): string[] {
  const text = svg.trim();
  assert.match(text, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(text.endsWith('</svg>'), 'the SVG ends with </svg>');
  const open: string[] = [];
  const seen: string[] = [];
  for (const [, closing, name, selfClosing] of text.matchAll(/<(\/?)([a-zA-Z][\w-]*)(?:\s+[\w:-]+="[^"<]*")*\s*(\/?)>/g)) {
    if (closing) assert.equal(open.pop(), name, `</${name}> closes the element that is open`);
    else if (!selfClosing) open.push(name);
    if (!closing) seen.push(name);
  }
  assert.deepEqual(open, [], 'every element is closed');
  assert.equal(text.replace(/<[^>]*>/g, '').includes('<'), false, 'no stray <');
  return seen;
}

test('MNIST demo, 2 epochs of 2000 digits: progress bar, test accuracy, SVG chart, TensorBoard files', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-demo-'));
  const chart = path.join(dir, 'curves.svg');
  const logDir = path.join(dir, 'logs');
  try {
    const args = [DEMO, '--epochs=2', '--train-samples=2000', `--chart=${chart}`, `--logdir=${logDir}`];
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.match(stdout, /^2000 training and 2004 test digits$/m);
    assert.match(stdout, /^Epoch 1\/2$/m);
    assert.match(stdout, /^Epoch 2\/2$/m);
    // The progress bar's last line of each epoch (off a terminal, only that line): 32 steps of 64.
    const bars = stdout.match(/^32\/32 ━{20} \d+s \d+m?s\/step - accuracy: [\d.]+ - loss: [\d.]+/gm);
    assert.equal(bars?.length, 2, stdout);
    const accuracy = /^Test accuracy: (0\.\d{4}) \(loss [\d.]+\)$/m.exec(stdout);
    assert.ok(accuracy, stdout);
    assert.ok(Number(accuracy[1]) > 0.8, `test accuracy ${accuracy[1]} (chance: 0.1)`);
    assert.match(stdout, new RegExp(`^Wrote ${chart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));

    const svg = fs.readFileSync(chart, 'utf8');
    const elements = svgElements(svg);
    // The learning rate, the batch loss and the running mean; the epoch losses as dots.
    assert.equal(elements.filter((e) => e === 'polyline').length, 3);
    assert.equal(elements.filter((e) => e === 'circle').length, 2 + 1);
    for (const label of ['learning rate', 'loss (log scale)', 'step', `MNIST: test accuracy ${(Number(accuracy[1]) * 100).toFixed(2)}%`]) {
      assert.ok(svg.includes(`>${label}</text>`), `the chart has the label '${label}'`);
    }
    // Every step is a point of the learning-rate line: 2 epochs × 32 steps.
    const lr = /<polyline points="([^"]+)"/.exec(svg) as RegExpExecArray;
    assert.equal(lr[1].split(' ').length, 64);

    // TensorBoard: per step loss, accuracy and learning rate; per epoch the same, weight histograms; the step graph.
    assert.match(stdout, new RegExp(`^Wrote TensorBoard logs to ${logDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
    assert.deepEqual(fs.readdirSync(logDir), ['train']);
    const events = summary.readEventFile(summary.listEventFiles(path.join(logDir, 'train'))[0]);
    const steps = new Map<string, number[]>();
    for (const event of events)
      for (const value of event.summary?.value ?? []) steps.set(value.tag, [...(steps.get(value.tag) ?? []), event.step]);
    for (const tag of ['batch_loss', 'batch_accuracy', 'batch_learning_rate']) assert.equal(steps.get(tag)?.length, 64, tag);
    for (const tag of ['epoch_loss', 'epoch_accuracy', 'epoch_learning_rate', 'sequential/dense/kernel/histogram']) {
      assert.deepEqual(steps.get(tag), [0, 1], tag);
    }
    assert.equal([...steps.keys()].filter((tag) => tag.endsWith('/histogram')).length, 8);
    assert.equal(events.filter((e) => e.what === 'graphDef').length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('chart: nice ticks, tick labels, escaped text, log axes', () => {
  assert.deepEqual(niceTicks(0, 1250, 8), [0, 200, 400, 600, 800, 1000, 1200]);
  assert.deepEqual(niceTicks(0, 0.002, 5), [0, 0.0005, 0.001, 0.0015, 0.002]);
  assert.deepEqual(['0', '0.0005', '0.002', '2.5e-5', '1200'], [0, 0.0005, 0.002, 2.5e-5, 1200].map(formatTick));
  const svg = lineChart({
    title: 'a < b & "c"',
    xLabel: 'step',
    bands: [
      { from: 0, to: 2, label: 'epoch 1' },
      { from: 2, to: 4, label: 'epoch 2' },
    ],
    panels: [
      { yLabel: 'rate', series: [{ label: 'lr', x: [1, 2, 3, 4], y: [1, 2, 3, 4], color: '#00f' }] },
      { yLabel: 'loss', logY: true, series: [{ label: 'loss', x: [1, 2, 3, 4], y: [2, 0.5, 0, 0.01], color: '#f00', dots: 2 }] },
    ],
  });
  const elements = svgElements(svg);
  assert.ok(svg.includes('>a &lt; b &amp; &quot;c&quot;</text>'));
  assert.ok(svg.includes('>loss (log scale)</text>'));
  // On the log axis the 0 is left out: 3 points, so 3 dots; ticks at the powers of ten.
  assert.equal(elements.filter((e) => e === 'circle').length, 3);
  for (const tick of ['0.01', '0.1', '1']) assert.ok(svg.includes(`>${tick}</text>`), `log tick ${tick}`);
  assert.equal(elements.filter((e) => e === 'polyline').length, 2);
});
