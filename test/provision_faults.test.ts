// Faults in the install path: a damaged deps/, a wheel that is not TensorFlow's, no pip, no python.
// Each must be reported with what is wrong and how to fix it, and must never leave a deps/ that a
// later run would trust.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fakeTarball, provision, ProvisionError, tempDir, touch } from './helpers/provision_fakes';

/** An environment with no LIBTENSORFLOW_DIR and no importable tensorflow package. */
function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONNOUSERSITE: '1', PYTHONPATH: tempDir('tf-nosite-') };
  delete env.LIBTENSORFLOW_DIR;
  delete env.TF_NAPI_GPU;
  delete env.TF_NAPI_PYTHON;
  return { ...env, ...extra };
}

/**
 * A python3 stand-in whose `-m pip download ... -d DIR` writes the given wheels (name -> zip
 * members) into DIR, or fails with `pipFailure`; anything else runs the real python3.
 */
function fakePython(wheels: Record<string, Record<string, string>>, pipFailure?: string): string {
  const dir = tempDir('tf-python-');
  const python = path.join(dir, 'python');
  touch(
    python,
    `#!/usr/bin/env python3
import json, os, sys, zipfile
args = sys.argv[1:]
if args[:2] == ['-m', 'pip']:
    failure = json.loads(${JSON.stringify(JSON.stringify(pipFailure ?? null))})
    if failure is not None:
        sys.stderr.write(failure + '\\n')
        sys.exit(1)
    out = args[args.index('-d') + 1]
    os.makedirs(out, exist_ok=True)
    for name, members in json.loads(${JSON.stringify(JSON.stringify(wheels))}).items():
        path = os.path.join(out, name)
        if members is None:
            open(path, 'wb').write(b'not a zip file')
            continue
        with zipfile.ZipFile(path, 'w') as z:
            for member, content in members.items():
                z.writestr(member, content)
    sys.exit(0)
os.execvp('python3', ['python3'] + args)
`,
  );
  fs.chmodSync(python, 0o755);
  return python;
}

const WHEEL = 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_17_x86_64.whl';
const GOOD_WHEEL = {
  'tensorflow/libtensorflow_cc.so.2': 'cc',
  'tensorflow/libtensorflow_framework.so.2': 'framework',
  'tensorflow/include/tensorflow/c/c_api.h': '// c api',
  'tensorflow/python/unused.py': '',
};

/** The folders a provision left in `root` besides deps/ (a staging folder must never stay). */
function leftovers(root: string): string[] {
  return fs.readdirSync(root).filter((name) => name !== 'deps');
}

function provisionsAgainFrom(root: string, tarball: string): void {
  const { reused, marker } = provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) });
  assert.equal(reused, false, 'a damaged deps/ was trusted');
  assert.equal(marker.kind, 'env');
  assert.ok(fs.statSync(path.join(root, 'deps', 'lib', 'libtensorflow_c.so')).isFile());
  assert.equal(provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) }).reused, true);
}

/** A deps/ provisioned from a tarball, then damaged by `damage`. */
function damagedDeps(damage: (deps: string) => void): { root: string; tarball: string } {
  const root = tempDir('tf-root-');
  const tarball = fakeTarball();
  provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) });
  damage(path.join(root, 'deps'));
  return { root, tarball };
}

const MARKER = '.tf-napi.json';

test('a deps/ whose C API library is gone is provisioned again', () => {
  const { root, tarball } = damagedDeps((deps) => fs.unlinkSync(path.join(deps, 'lib', 'libtensorflow.so.2')));
  provisionsAgainFrom(root, tarball);
});

test('a deps/ whose libtensorflow_c.so link dangles is provisioned again', () => {
  const tarball = fakeTarball();
  const root = tempDir('tf-root-');
  provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) });
  // The library the link names went away where it was linked from.
  fs.rmSync(path.join(tarball, 'lib', 'libtensorflow.so.2'));
  touch(path.join(tarball, 'lib', 'libtensorflow_cc.so.2'));
  provisionsAgainFrom(root, tarball);
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'deps', MARKER), 'utf8')).cApiLibrary, 'libtensorflow_cc.so.2');
});

test('a deps/ without headers is provisioned again', () => {
  const { root, tarball } = damagedDeps((deps) => fs.unlinkSync(path.join(deps, 'include')));
  provisionsAgainFrom(root, tarball);
});

test('a deps/ whose marker is missing, truncated or not JSON is provisioned again', () => {
  for (const damage of [
    (marker: string) => fs.rmSync(marker),
    (marker: string) => fs.writeFileSync(marker, fs.readFileSync(marker, 'utf8').slice(0, 20)),
    (marker: string) => fs.writeFileSync(marker, '\0\0\0'),
    (marker: string) => fs.writeFileSync(marker, 'null'),
  ]) {
    const { root, tarball } = damagedDeps((deps) => damage(path.join(deps, MARKER)));
    provisionsAgainFrom(root, tarball);
  }
});

test('a marker naming another source, or a library that is not there, is not trusted', () => {
  const edits: ((m: Record<string, unknown>) => void)[] = [
    (m) => void (m.origin = '/somewhere/else/lib'),
    (m) => void (m.kind = 'pip'),
    (m) => void (m.cApiLibrary = 'libtensorflow_cc.so.2'),
  ];
  for (const edit of edits) {
    const { root, tarball } = damagedDeps((deps) => {
      const marker = JSON.parse(fs.readFileSync(path.join(deps, MARKER), 'utf8'));
      edit(marker);
      fs.writeFileSync(path.join(deps, MARKER), JSON.stringify(marker));
    });
    provisionsAgainFrom(root, tarball);
  }
});

test('a deps/ that is a file, and staging folders of a killed run, do not get in the way', () => {
  const root = tempDir('tf-root-');
  touch(path.join(root, 'deps'), 'not a folder');
  touch(path.join(root, 'deps.staging-abc123', 'lib', 'libtensorflow_c.so'));
  provisionsAgainFrom(root, fakeTarball());
});

test('a wheel without the libraries (wrong version or package) is rejected; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = fakePython({ [WHEEL]: { 'tensorflow/__init__.py': '', 'tensorflow/include/tensorflow/c/c_api.h': '' } });
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(
        e.message,
        new RegExp(`${WHEEL.replace(/\./g, '\\.')} has no lib/libtensorflow_cc\\.so\\.2: is it a TensorFlow 2\\.21\\.0 wheel\\?`),
      );
      assert.match(e.message, /How to fix it/);
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a download that is not a zip is reported as a failed extraction; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = fakePython({ [WHEEL]: null as never });
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, new RegExp(`Extracting ${WHEEL.replace(/\./g, '\\.')} failed:[\\s\\S]*(BadZipFile|not a zip file)`));
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('pip giving two wheels is reported; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = fakePython({ [WHEEL]: GOOD_WHEEL, [WHEEL.replace('cp311', 'cp312')]: GOOD_WHEEL });
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, /pip download tensorflow-cpu==2\.21\.0 gave 2 wheels/);
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a good wheel is extracted: the libraries and the whole include tree, marker last', () => {
  const root = tempDir('tf-root-');
  const wheel = {
    ...GOOD_WHEEL,
    'tensorflow/include/tensorflow/core/framework/op_kernel.h': '// c++ op api',
    'tensorflow/include/Eigen/Core': '// eigen',
    'tensorflow/include/absl/base/config.h': '// absl',
  };
  const { marker } = provision({ root, env: baseEnv({ TF_NAPI_PYTHON: fakePython({ [WHEEL]: wheel }) }) });
  assert.equal(marker.kind, 'pip');
  assert.equal(marker.cxxHeaders, true);
  assert.deepEqual(fs.readdirSync(path.join(root, 'deps', 'lib')).sort(), [
    'libtensorflow_c.so',
    'libtensorflow_cc.so.2',
    'libtensorflow_framework.so.2',
  ]);
  for (const header of ['tensorflow/c/c_api.h', 'tensorflow/core/framework/op_kernel.h', 'Eigen/Core', 'absl/base/config.h']) {
    assert.ok(fs.existsSync(path.join(root, 'deps', 'include', header)), header);
  }
  assert.ok(!fs.existsSync(path.join(root, 'deps', 'wheel')), 'the downloaded wheel stays in deps/');
  assert.ok(!fs.existsSync(path.join(root, 'deps', 'python')));
  assert.deepEqual(leftovers(root), []);
});

test('a wheel member that would land outside deps/ is refused; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = fakePython({ [WHEEL]: { ...GOOD_WHEEL, 'tensorflow/include/../../../escaped.h': '' } });
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, /unsafe path in wheel/);
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a C-only libtensorflow (no C++ headers) is provisioned and says so in the marker', () => {
  const root = tempDir('tf-root-');
  const { marker } = provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: fakeTarball() }) });
  assert.equal(marker.cxxHeaders, false);
});

test('a deps/ of the previous layout (C headers only) is provisioned again', () => {
  const { root, tarball } = damagedDeps((deps) => {
    const marker = JSON.parse(fs.readFileSync(path.join(deps, MARKER), 'utf8'));
    delete marker.layout;
    delete marker.cxxHeaders;
    fs.writeFileSync(path.join(deps, MARKER), JSON.stringify(marker));
  });
  provisionsAgainFrom(root, tarball);
});

test('no pip for the python: the error says so and how to fix it; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = fakePython({}, '/usr/bin/python3: No module named pip');
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, /no Python tensorflow package is installed/);
      assert.match(e.message, /No module named pip/);
      assert.match(e.message, /LIBTENSORFLOW_DIR/);
      assert.match(e.message, /pip install tensorflow-cpu==2\.21\.0/);
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('no python at all: the error names the missing interpreter; no deps/ is left', () => {
  const root = tempDir('tf-root-');
  const python = path.join(tempDir('tf-nopython-'), 'python3');
  assert.throws(
    () => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: python }) }),
    (e: Error) => {
      assert.ok(e instanceof ProvisionError);
      assert.match(e.message, new RegExp(`${python.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*ENOENT`));
      assert.match(e.message, /How to fix it/);
      return true;
    },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a failed re-provision keeps the previous deps/ whole, and it is still trusted for its source', () => {
  const root = tempDir('tf-root-');
  const tarball = fakeTarball();
  provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) });
  const before = fs.readFileSync(path.join(root, 'deps', MARKER), 'utf8');
  // The source changes to the pip wheel, whose download fails.
  assert.throws(() => provision({ root, env: baseEnv({ TF_NAPI_PYTHON: fakePython({}, 'no index reachable') }) }), ProvisionError);
  assert.equal(fs.readFileSync(path.join(root, 'deps', MARKER), 'utf8'), before);
  assert.deepEqual(leftovers(root), []);
  assert.equal(provision({ root, env: baseEnv({ LIBTENSORFLOW_DIR: tarball }) }).reused, true);
});
