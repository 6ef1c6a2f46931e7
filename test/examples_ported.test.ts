// The ports in examples/ported/ print what their Python originals print (test/fixtures/examples_ported.json,
// from test/fixtures/generators/ported_reference.py): the same text, and the same numbers to one unit
// in the last printed digit or rtol 1e-5 (float32 sums taken in another order, over a few epochs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const printedByPython = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'examples_ported.json'), 'utf8')) as Record<
  string,
  string[]
>;

const NUMBER = /-?\d+\.\d+/g;

function compareLine(name: string, i: number, ours: string, theirs: string): void {
  assert.equal(ours.replace(NUMBER, '#'), theirs.replace(NUMBER, '#'), `${name} line ${i + 1}`);
  const a = ours.match(NUMBER) ?? [];
  const b = theirs.match(NUMBER) ?? [];
  a.forEach((token, k) => {
    const decimals = token.split('.')[1].length;
    const diff = Math.abs(Number(token) - Number(b[k]));
    assert.ok(
      diff <= Math.max(1.000001 * 10 ** -decimals, 1e-5 * Math.abs(Number(b[k]))),
      `${name} line ${i + 1}: ${token} vs ${b[k]} ('${ours}')`,
    );
  });
}

for (const name of Object.keys(printedByPython)) {
  test(`ported example ${name} prints what its Python original prints`, () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'examples', 'ported', `${name}.js`)], { encoding: 'utf8' });
    const lines = out.replace(/\n$/, '').split('\n');
    const expected = printedByPython[name];
    assert.equal(lines.length, expected.length, lines.join('\n'));
    lines.forEach((line, i) => compareLine(name, i, line, expected[i]));
  });
}
