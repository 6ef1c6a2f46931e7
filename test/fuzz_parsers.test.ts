// The parsers of untrusted bytes (.keras zip, .weights.h5, TF checkpoint index, saved_model.pb,
// events files) given damaged files (fixed seeds; test/helpers/parser_fuzz_child.ts): every try
// loads or fails with a typed error, and the process neither dies nor hangs. docs/SECURITY.md has
// the longer runs (`node dist/test/helpers/parser_fuzz_child.js <parser> <seed> <tries>`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const CHILD = path.join(__dirname, 'helpers', 'parser_fuzz_child.js');
const TRIES = 60;

for (const parser of ['keras_zip', 'weights_h5', 'checkpoint_index', 'saved_model_pb', 'event_file']) {
  test(`fuzz ${parser}: ${TRIES} damaged files, each loads or throws a typed error`, () => {
    const run = spawnSync(process.execPath, [CHILD, parser, '20261201', String(TRIES)], { encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.signal, null, `the fuzz child died or hung (${run.signal}): ${run.stderr.slice(-2000)}`);
    assert.equal(run.status, 0, run.stderr.slice(-2000));
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { tries: number; loads: number; untyped: string[] };
    assert.equal(summary.tries, TRIES);
    assert.deepEqual(summary.untyped, []);
    assert.ok(summary.loads < TRIES, 'the damage must make some loads fail');
  });
}
