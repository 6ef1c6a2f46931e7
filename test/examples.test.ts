import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const printedByPython = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'examples.json'), 'utf8')) as Record<
  string,
  string[]
>;

const LINE = /^step (\d+): learning_rate=([\d.]+) loss=([\d.]+)$/;

/**
 * Same lines as the Python original: Keras' own messages exactly, and per step the same learning
 * rate and the loss to rtol 1e-5 (Adam's float32 (1 - beta)).
 */
function comparePrinted(name: string, printed: string[]): void {
  const expected = printedByPython[name];
  assert.equal(printed.length, expected.length, printed.join('\n'));
  printed.forEach((line, i) => {
    if (!expected[i].startsWith('step ')) {
      assert.equal(line, expected[i]);
      return;
    }
    const ours = LINE.exec(line);
    const theirs = LINE.exec(expected[i]);
    assert.ok(ours && theirs, `${name}: unexpected line '${line}'`);
    assert.equal(ours[1], theirs[1]);
    assert.equal(ours[2], theirs[2], `${name} step ${ours[1]} learning rate`);
    const [a, b] = [Number(ours[3]), Number(theirs[3])];
    assert.ok(Math.abs(a - b) <= 1e-5 * Math.abs(b) + 1e-4, `${name} step ${ours[1]} loss ${a} vs ${b}`);
  });
}

for (const name of Object.keys(printedByPython)) {
  test(`example ${name} prints what its Python original prints`, () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'examples', `${name}.js`)], { encoding: 'utf8' });
    comparePrinted(name, out.replace(/\n$/, '').split('\n'));
  });
}
