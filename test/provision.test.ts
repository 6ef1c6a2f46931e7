import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fakeTarball, provision, ProvisionError, tempDir, touch } from './helpers/provision_fakes';

/** A site-packages folder with a tensorflow package as the wheel installs it. */
function fakeSitePackages(distribution: string): string {
  const site = tempDir('tf-site-');
  touch(path.join(site, 'tensorflow', '__init__.py'), 'raise ImportError("must not be imported")\n');
  touch(path.join(site, 'tensorflow', 'libtensorflow_cc.so.2'));
  touch(path.join(site, 'tensorflow', 'libtensorflow_framework.so.2'));
  touch(path.join(site, 'tensorflow', 'include', 'tensorflow', 'c', 'c_api.h'));
  const dist = `${distribution.replace('-', '_')}-2.21.0.dist-info`;
  touch(path.join(site, dist, 'METADATA'), `Metadata-Version: 2.1\nName: ${distribution}\nVersion: 2.21.0\n`);
  return site;
}

/** A python3 stand-in that runs the real one but records and fails every `-m pip` call. */
function pipRecordingPython(): { python: string; log: string } {
  const dir = tempDir('tf-python-');
  const log = path.join(dir, 'pip.log');
  const python = path.join(dir, 'python');
  touch(
    python,
    `#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> ${log}; echo "no index reachable" >&2; exit 1; fi\nexec python3 "$@"\n`,
  );
  fs.chmodSync(python, 0o755);
  return { python, log };
}

const baseEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.LIBTENSORFLOW_DIR;
  delete env.TF_NAPI_GPU;
  delete env.TF_NAPI_PYTHON;
  env.PYTHONNOUSERSITE = '1';
  return env;
};

test('1. LIBTENSORFLOW_DIR wins over an installed Python package', () => {
  const root = tempDir('tf-root-');
  const tarball = fakeTarball();
  const env = { ...baseEnv(), LIBTENSORFLOW_DIR: tarball, PYTHONPATH: fakeSitePackages('tensorflow-cpu') };
  const { reused, marker } = provision({ root, env });
  assert.equal(reused, false);
  assert.equal(marker.kind, 'env');
  assert.equal(marker.cApiLibrary, 'libtensorflow.so.2');
  assert.equal(fs.readlinkSync(path.join(root, 'deps', 'lib', 'libtensorflow_c.so')), 'libtensorflow.so.2');
  assert.equal(
    fs.realpathSync(path.join(root, 'deps', 'lib', 'libtensorflow.so.2')),
    fs.realpathSync(path.join(tarball, 'lib', 'libtensorflow.so.2')),
  );
  assert.ok(fs.existsSync(path.join(root, 'deps', 'include', 'tensorflow', 'c', 'c_api.h')));
  // Idempotent: a second run trusts the marker.
  assert.equal(provision({ root, env }).reused, true);
});

test('a LIBTENSORFLOW_DIR without the library or headers is an error that says how to fix it', () => {
  const dir = tempDir('tf-empty-');
  touch(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h'));
  assert.throws(
    () => provision({ root: tempDir('tf-root-'), env: { ...baseEnv(), LIBTENSORFLOW_DIR: dir } }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, /LIBTENSORFLOW_DIR=.*no libtensorflow_cc\.so\.2 or libtensorflow\.so\.2 in/);
      assert.match(e.message, /How to fix it/);
      return true;
    },
  );
});

test('2. an installed Python tensorflow-cpu is found without importing it', () => {
  const root = tempDir('tf-root-');
  const site = fakeSitePackages('tensorflow-cpu');
  const { marker } = provision({ root, env: { ...baseEnv(), PYTHONPATH: site } });
  assert.equal(marker.kind, 'python');
  assert.equal(marker.version, '2.21.0');
  assert.match(marker.description, /Python package tensorflow-cpu 2\.21\.0/);
  assert.equal(fs.readlinkSync(path.join(root, 'deps', 'lib', 'libtensorflow_c.so')), 'libtensorflow_cc.so.2');
});

test('3. otherwise pip downloads the wheel: tensorflow-cpu, or tensorflow with TF_NAPI_GPU=1', () => {
  for (const [gpu, wheel] of [
    [undefined, 'tensorflow-cpu==2.21.0'],
    ['1', 'tensorflow==2.21.0'],
  ] as const) {
    const root = tempDir('tf-root-');
    const { python, log } = pipRecordingPython();
    // With GPU asked for, an installed tensorflow-cpu (no CUDA kernels) is passed over.
    const env: NodeJS.ProcessEnv = { ...baseEnv(), TF_NAPI_PYTHON: python, PYTHONPATH: fakeSitePackages('tensorflow-cpu') };
    if (gpu) env.TF_NAPI_GPU = gpu;
    else env.PYTHONPATH = tempDir('tf-nosite-');
    assert.throws(
      () => provision({ root, env }),
      (e: Error) => {
        assert.ok(e instanceof ProvisionError);
        assert.match(e.message, new RegExp(`pip download ${wheel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` failed`));
        assert.match(e.message, /no index reachable/);
        assert.match(e.message, /LIBTENSORFLOW_DIR/);
        return true;
      },
    );
    assert.match(fs.readFileSync(log, 'utf8'), new RegExp(`download --no-deps .*${wheel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // A failed provision leaves no deps/ (and no staging folder) behind.
    assert.deepEqual(fs.readdirSync(root), []);
  }
});

test('a deps/ without its marker is not trusted', () => {
  const root = tempDir('tf-root-');
  touch(path.join(root, 'deps', 'lib', 'libtensorflow_cc.so.2'));
  const { reused, marker } = provision({ root, env: { ...baseEnv(), LIBTENSORFLOW_DIR: fakeTarball() } });
  assert.equal(reused, false);
  assert.equal(marker.kind, 'env');
  assert.ok(fs.existsSync(path.join(root, 'deps', '.tf-napi.json')));
});
