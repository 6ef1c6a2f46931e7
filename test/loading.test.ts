import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../lib';

const REPO = path.resolve(__dirname, '..', '..');
const LOADER = path.join(REPO, 'dist', 'lib', 'loader.js');

/** Runs loadAddon(root) in a fresh process (this one already has libtensorflow loaded). */
function loadIn(root: string) {
  return spawnSync(
    process.execPath,
    ['-e', `const b = require(${JSON.stringify(LOADER)}).loadAddon(${JSON.stringify(root)}); console.log(b.version());`],
    {
      encoding: 'utf8',
      env: { ...process.env, LD_LIBRARY_PATH: '' },
    },
  );
}

test('tf.version gives TensorFlow and package versions', () => {
  assert.equal(tf.version.tensorflow, '2.21.0');
  assert.equal(tf.version.tfNapi, JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
});

test('require and ESM import of the package name both work', () => {
  const cjs = execFileSync(
    process.execPath,
    ['-e', "const tf = require('tf-napi'); console.log(tf.version.tensorflow, typeof tf.raw.Session)"],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  assert.equal(cjs.trim(), '2.21.0 function');
  const esm = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import * as tf from 'tf-napi'; console.log(tf.version.tensorflow, typeof tf.errors.InvalidArgumentError)",
    ],
    { cwd: REPO, encoding: 'utf8' },
  );
  assert.equal(esm.trim(), '2.21.0 function');
});

test('a missing libtensorflow names what was looked for and the fix', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nolib-'));
  fs.mkdirSync(path.join(root, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'build', 'Release', 'tf_napi.node'), path.join(root, 'build', 'Release', 'tf_napi.node'));
  const r = loadIn(root);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /could not load libtensorflow: it looks for libtensorflow_cc\.so\.2/);
  assert.match(r.stderr, new RegExp(`in ${path.join(root, 'deps', 'lib').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.stderr, /Run `npm install`/);
});

test('a package with no build at all says to build it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nobuild-'));
  const r = loadIn(root);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no loadable native addon in .*build.*prebuilds.*Run `npm install`/s);
});

test('prebuildify makes a prebuild that loads in a checkout with no build/ folder', { timeout: 600_000 }, () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-prebuild-'));
  for (const entry of ['package.json', 'CMakeLists.txt', 'native', 'scripts'])
    fs.cpSync(path.join(REPO, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'));
  fs.symlinkSync(path.join(REPO, 'deps'), path.join(copy, 'deps'));
  execFileSync('npm', ['run', 'prebuild'], { cwd: copy, stdio: 'pipe' });
  fs.rmSync(path.join(copy, 'build'), { recursive: true, force: true });
  const prebuilt = fs.readdirSync(path.join(copy, 'prebuilds', `${process.platform}-${process.arch}`));
  assert.ok(
    prebuilt.some((f) => f.endsWith('.node')),
    prebuilt.join(','),
  );
  const r = loadIn(copy);
  assert.equal(r.stderr.includes('Error'), false, r.stderr);
  assert.equal(r.stdout.trim(), '2.21.0');
});
