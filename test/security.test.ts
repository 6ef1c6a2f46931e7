// docs/SECURITY.md's file protections: loadModel never runs code from a file (Keras' safeMode), an
// unknown loadModel option is an error, and what tf-napi writes gets the process's umask and no
// broader permissions. (Servers: test/distribute.test.ts; SavedModel ops: test/saved_model.test.ts;
// parsers: test/fuzz_parsers.test.ts; path templates: test/python_format.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../lib';

const LAMBDA = path.join(__dirname, '..', '..', 'test', 'fixtures', 'saving', 'lambda.keras');

test('a .keras file holding a Python lambda is refused, in safe mode and out of it, before anything is built', async () => {
  await assert.rejects(tf.keras.models.loadModel(LAMBDA), {
    name: 'TypeError',
    message: /requests the deserialization of a Python lambda \(at config\..*\)\. .* disallowed by default \(safeMode\)/,
  });
  await assert.rejects(tf.keras.models.loadModel(LAMBDA, { safeMode: false }), {
    name: 'TypeError',
    message: /holds a Python lambda .*: Python bytecode cannot run in tf-napi/,
  });
  await assert.rejects(tf.keras.models.loadModel(LAMBDA, { safe_mode: false } as never), {
    name: 'TypeError',
    message: /did you mean 'safeMode'/,
  });
});

test('files and folders tf-napi writes get the umask and no broader permissions', async () => {
  const previous = process.umask(0o027);
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-modes-'));
    const model = new tf.keras.Sequential([tf.keras.Input([3], { name: 'x' }), new tf.keras.layers.Dense(2)]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(tf.ones([4, 3]), tf.ones([4, 2]), { verbose: 0 });
    await model.save(path.join(dir, 'm.keras'));
    await model.saveWeights(path.join(dir, 'm.weights.h5'));
    await model.saveWeights(path.join(dir, 'ckpt'));
    model.export(path.join(dir, 'served'), { verbose: false });
    const writer = tf.summary.createFileWriter(path.join(dir, 'logs'));
    writer.scalar('loss', 1, 0);
    writer.close();
    const walk = (p: string): string[] =>
      fs.statSync(p).isDirectory() ? [p, ...fs.readdirSync(p).flatMap((n) => walk(path.join(p, n)))] : [p];
    for (const p of walk(dir).slice(1)) {
      const stat = fs.statSync(p);
      const expected = (stat.isDirectory() ? 0o777 : 0o666) & ~0o027;
      assert.equal(stat.mode & 0o777, expected, `${path.relative(dir, p)}: ${(stat.mode & 0o777).toString(8)}`);
    }
  } finally {
    process.umask(previous);
  }
});
