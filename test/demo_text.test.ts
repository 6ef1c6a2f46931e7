// The text demo (examples/text_demo.ts), shortened: Embedding(maskZero) → Bidirectional(LSTM) →
// Dense trains on the synthetic reviews, shows Keras' progress bar, beats chance clearly on the
// test reviews and writes its learning-rate and loss chart as SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'dist', 'examples', 'text_demo.js');

test('text demo, 2 epochs of 1024 reviews: progress bar, test accuracy, SVG chart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-text-demo-'));
  const chart = path.join(dir, 'curves.svg');
  try {
    const args = [DEMO, '--epochs=2', '--train-samples=1024', `--chart=${chart}`];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.match(stdout, /^1024 training and 1000 test reviews of up to 32 tokens$/m);
    assert.match(stdout, /^Epoch 2\/2$/m);
    const bars = stdout.match(/^16\/16 ━{20} \d+s \d+m?s\/step - accuracy: [\d.]+ - loss: [\d.]+/gm);
    assert.equal(bars?.length, 2, stdout);
    const accuracy = /^Test accuracy: (0\.\d{4}) \(loss [\d.]+\)$/m.exec(stdout);
    assert.ok(accuracy, stdout);
    assert.ok(Number(accuracy[1]) > 0.6, `test accuracy ${accuracy[1]} (chance: about 0.5)`);
    const svg = fs.readFileSync(chart, 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reviews are seeded, padded with 0 and labelled by their negation-aware score', async () => {
  const { makeReviews } = await import('../examples/text_demo');
  const a = makeReviews(50, 7);
  const b = makeReviews(50, 7);
  assert.deepEqual(a.x.dataSync(), b.x.dataSync());
  assert.deepEqual(a.x.shape, [50, 32]);
  const ids = a.x.arraySync() as number[][];
  const labels = a.y.dataSync();
  ids.forEach((row, r) => {
    const length = row.indexOf(0) === -1 ? 32 : row.indexOf(0);
    assert.ok(length >= 8 && row.slice(length).every((id) => id === 0));
    const sentiment = (id: number) => (id >= 2 && id < 22 ? 1 : id >= 22 && id < 42 ? -1 : 0);
    const score = row.slice(0, length).reduce((s, id, t) => s + (t > 0 && row[t - 1] === 1 ? -1 : 1) * sentiment(id), 0);
    assert.equal(labels[r], score > 0 ? 1 : 0);
  });
});
