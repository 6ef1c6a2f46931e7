// Python's str.format for callback path templates (lib/keras/utils/python_format.ts), against
// Python's own results (test/fixtures/python_format.json, from
// test/fixtures/generators/python_format_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { formatPath } from '../lib/keras/utils/python_format';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'python_format.json'), 'utf8')) as {
  values: Record<string, number | string>;
  integers: string[];
  cases: { template: string; expected: string }[];
};

test('path templates format as Python formats them', () => {
  for (const { template, expected } of fixture.cases) {
    assert.equal(formatPath(template, fixture.values, new Set(fixture.integers)), expected, template);
  }
});

test('a field missing from the logs, a positional field or a bad spec is an error naming it', () => {
  assert.throws(() => formatPath('m-{val_acc:.2f}.keras', { loss: 1 }), {
    name: 'RangeError',
    message: `Failed to format this callback filepath: "m-{val_acc:.2f}.keras". Reason: 'val_acc' is not a logged value`,
  });
  assert.throws(() => formatPath('m-{}.keras', {}), {
    name: 'RangeError',
    message: "Only named fields are supported in 'm-{}.keras'; got '{}'",
  });
  assert.throws(() => formatPath('m-{loss:.2q}.keras', { loss: 1 }), {
    name: 'RangeError',
    message: "Invalid format specifier '.2q' for field 'loss'",
  });
  assert.throws(() => formatPath('m-{loss:d}.keras', { loss: 1.5 }), { name: 'TypeError', message: /Unknown format code 'd'/ });
});

test('values cannot move the file out of the template directory', () => {
  for (const evil of ['../../etc/x', 'a/b', 'a\\b', '..', '.']) {
    assert.throws(() => formatPath('ckpt/{run}.keras', { run: evil }), {
      name: 'RangeError',
      message: /would change the file's directory/,
    });
  }
  assert.equal(formatPath('ckpt/{run}.keras', { run: 'ok-1' }), 'ckpt/ok-1.keras');
});
