#!/usr/bin/env node
// @ts-check
'use strict';
// Puts libtensorflow (C API library + headers) into deps/ for the addon build and rpath.
// Plain JavaScript: it runs from `npm install`, before TypeScript is compiled.
//
// Lookup order:
//   1. LIBTENSORFLOW_DIR: a folder with lib/ and include/ (Google's C tarball, or the same layout);
//   2. an installed Python tensorflow / tensorflow-cpu package, located without importing it;
//   3. `pip download` of the tensorflow-cpu wheel (tensorflow with TF_NAPI_GPU=1), of which the two
//      shared libraries and the whole tensorflow/include tree are extracted.
//
// The include tree has TF's C++ op and kernel API (with absl, Eigen, protobuf ...): with it CMake
// also builds the custom-op library (native/ops/). A LIBTENSORFLOW_DIR with only the C headers
// (Google's C tarball) still works: the op library is then not built, and the optimizers use
// TF's own per-variable kernels.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const TF_VERSION = '2.21.0';
const MARKER = '.tf-napi.json';
// The library with the TF_*/TFE_* symbols: the Python wheel's, then the C tarball's.
const C_API_LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow.so.2'];
const FRAMEWORK_LIBRARY = 'libtensorflow_framework.so.2';
// The header the op library needs besides the C API's (CMake builds it only where this exists).
const CXX_API_HEADER = path.join('tensorflow', 'core', 'framework', 'op_kernel.h');
// deps/ layout version: 2 extracts the whole include tree from a wheel (1 had the C headers only).
const LAYOUT = 2;

class ProvisionError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ProvisionError';
  }
}

const HELP = `
How to fix it, any one of:
  - point LIBTENSORFLOW_DIR at a folder with lib/ and include/ (e.g. Google's libtensorflow C tarball unpacked),
    then run \`npm rebuild tf-napi\` (or \`npm install\` in a checkout);
  - \`pip install tensorflow-cpu==${TF_VERSION}\` (or tensorflow==${TF_VERSION}) for the python3 on your PATH
    (or the one TF_NAPI_PYTHON names), then run npm install again;
  - make \`python3 -m pip download tensorflow-cpu==${TF_VERSION}\` work (a reachable package index).`;

/** @param {string} p */
function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** @param {string} libDir */
function findCApiLibrary(libDir) {
  return C_API_LIBRARIES.find((name) => isFile(path.join(libDir, name))) ?? null;
}

/**
 * @typedef {{kind: 'env' | 'python' | 'pip', libDir: string, includeDir: string, cApiLibrary: string, version: string | null, description: string}} Source
 */

/**
 * Step 1: LIBTENSORFLOW_DIR. A set but unusable folder is an error, not a fall-through:
 * the user asked for it explicitly.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Source | null}
 */
function fromEnvDir(env) {
  const dir = env.LIBTENSORFLOW_DIR;
  if (!dir) return null;
  const root = path.resolve(dir);
  const libDir = path.join(root, 'lib');
  const includeDir = path.join(root, 'include');
  const cApiLibrary = findCApiLibrary(libDir);
  if (!cApiLibrary) {
    throw new ProvisionError(`LIBTENSORFLOW_DIR=${dir}: no ${C_API_LIBRARIES.join(' or ')} in ${libDir}.` + HELP);
  }
  if (!isFile(path.join(includeDir, 'tensorflow', 'c', 'c_api.h'))) {
    throw new ProvisionError(`LIBTENSORFLOW_DIR=${dir}: no tensorflow/c/c_api.h in ${includeDir}.` + HELP);
  }
  return { kind: 'env', libDir, includeDir, cApiLibrary, version: null, description: `LIBTENSORFLOW_DIR=${root}` };
}

/** @param {NodeJS.ProcessEnv} env */
function pythonCommand(env) {
  return env.TF_NAPI_PYTHON || 'python3';
}

// find_spec locates a top-level package without executing it; metadata gives the version.
const LOCATE_PY = `
import importlib.util, importlib.metadata, json
spec = importlib.util.find_spec('tensorflow')
result = None
if spec is not None and spec.loader is not None and spec.submodule_search_locations:
    dists = []
    for dist in ('tensorflow', 'tensorflow-cpu'):
        try:
            dists.append([dist, importlib.metadata.version(dist)])
        except importlib.metadata.PackageNotFoundError:
            pass
    result = {'dir': list(spec.submodule_search_locations)[0], 'dists': dists}
print(json.dumps(result))
`;

/**
 * Step 2: an installed Python TensorFlow.
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} gpu
 * @returns {Source | null}
 */
function fromPythonPackage(env, gpu) {
  const python = pythonCommand(env);
  // An empty cwd so that a tensorflow/ folder beside us is never mistaken for the package.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-locate-'));
  try {
    const r = spawnSync(python, ['-c', LOCATE_PY], { env, cwd, encoding: 'utf8' });
    if (r.status !== 0 || !r.stdout) return null;
    const found = JSON.parse(r.stdout.trim());
    if (!found) return null;
    const cApiLibrary = findCApiLibrary(found.dir);
    if (!cApiLibrary || !isFile(path.join(found.dir, 'include', 'tensorflow', 'c', 'c_api.h'))) return null;
    /** @type {[string, string][]} */
    const dists = found.dists;
    // The tensorflow-cpu wheel has no CUDA kernels: with TF_NAPI_GPU=1 only `tensorflow` will do.
    const usable = dists.filter(([name]) => !gpu || name === 'tensorflow');
    if (dists.length > 0 && usable.length === 0) return null;
    const version = usable.length > 0 ? usable[0][1] : null;
    const name = usable.length > 0 ? usable[0][0] : 'tensorflow';
    return {
      kind: 'python',
      libDir: found.dir,
      includeDir: path.join(found.dir, 'include'),
      cApiLibrary,
      version,
      description: `Python package ${name}${version ? ' ' + version : ''} at ${found.dir}`,
    };
  } catch {
    return null;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * The first source in lookup order that exists without downloading (steps 1 and 2).
 * @param {NodeJS.ProcessEnv} env
 * @returns {Source | null}
 */
function locateInstalled(env) {
  const gpu = env.TF_NAPI_GPU === '1';
  return fromEnvDir(env) ?? fromPythonPackage(env, gpu);
}

/** @param {NodeJS.ProcessEnv} env */
function wheelName(env) {
  return env.TF_NAPI_GPU === '1' ? 'tensorflow' : 'tensorflow-cpu';
}

/** @param {string} p */
function readJson(p) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * deps/ is trusted only when its marker (written last) matches what we would provision now
 * and every file it names is there.
 * @param {string} depsDir
 * @param {{kind: string, origin: string}} wanted
 */
function reusableDeps(depsDir, wanted) {
  const marker = readJson(path.join(depsDir, MARKER));
  if (!marker || marker.kind !== wanted.kind || marker.origin !== wanted.origin || marker.layout !== LAYOUT) return null;
  const libDir = path.join(depsDir, 'lib');
  const complete =
    isFile(path.join(libDir, marker.cApiLibrary)) &&
    isFile(path.join(libDir, 'libtensorflow_c.so')) &&
    isFile(path.join(depsDir, 'include', 'tensorflow', 'c', 'c_api.h'));
  return complete ? marker : null;
}

/**
 * Writes deps/ atomically: everything goes into a sibling temp folder, renamed into place.
 * @param {string} depsDir
 * @param {(staging: string) => {cApiLibrary: string, version: string | null}} fill
 * @param {{kind: string, origin: string, description: string}} source
 */
function writeDeps(depsDir, fill, source) {
  const staging = fs.mkdtempSync(`${depsDir}.staging-`);
  fs.chmodSync(staging, 0o755);
  try {
    fs.mkdirSync(path.join(staging, 'lib'));
    const { cApiLibrary, version } = fill(staging);
    // One fixed name for CMake to link, whichever library carries the C API.
    fs.symlinkSync(cApiLibrary, path.join(staging, 'lib', 'libtensorflow_c.so'));
    const cxxHeaders = isFile(path.join(staging, 'include', CXX_API_HEADER));
    const marker = { ...source, cApiLibrary, version, layout: LAYOUT, cxxHeaders };
    fs.writeFileSync(path.join(staging, MARKER), JSON.stringify(marker, null, 2) + '\n');
    fs.rmSync(depsDir, { recursive: true, force: true });
    fs.renameSync(staging, depsDir);
    return marker;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Links an installed libtensorflow into deps/ (no copy: the libraries stay where they are).
 * @param {string} depsDir
 * @param {Source} source
 */
function linkInstalled(depsDir, source) {
  return writeDeps(
    depsDir,
    (staging) => {
      for (const name of fs.readdirSync(source.libDir)) {
        if (/^libtensorflow.*\.so/.test(name)) {
          fs.symlinkSync(path.join(source.libDir, name), path.join(staging, 'lib', name));
        }
      }
      fs.symlinkSync(source.includeDir, path.join(staging, 'include'));
      return { cApiLibrary: source.cApiLibrary, version: source.version };
    },
    { kind: source.kind, origin: source.libDir, description: source.description },
  );
}

/**
 * @param {string} python
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function runPython(python, args, env) {
  const r = spawnSync(python, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { ok: false, output: String(r.error.message) };
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

// Extracts the libraries named in argv[3] and the whole tensorflow/include tree (~13,000 headers,
// ~270 MB for 2.21), refusing members that would land outside dest.
const EXTRACT_PY = `
import sys, zipfile, os
wheel, dest, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
root = os.path.realpath(dest)
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith('/'):
            continue
        if name.startswith('tensorflow/') and name[len('tensorflow/'):] in libs:
            target = os.path.join(dest, 'lib', os.path.basename(name))
        elif name.startswith('tensorflow/include/'):
            target = os.path.join(dest, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        if not os.path.realpath(target).startswith(root + os.sep):
            raise SystemExit('unsafe path in wheel: ' + name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, 'wb') as out:
            while True:
                chunk = src.read(1 << 22)
                if not chunk:
                    break
                out.write(chunk)
`;

/**
 * Step 3: download the wheel with pip and extract what the addon needs.
 * @param {string} depsDir
 * @param {NodeJS.ProcessEnv} env
 */
function downloadWheel(depsDir, env) {
  const python = pythonCommand(env);
  const spec = `${wheelName(env)}==${TF_VERSION}`;
  return writeDeps(
    depsDir,
    (staging) => {
      const download = path.join(staging, 'wheel');
      const pip = runPython(
        python,
        [
          '-m',
          'pip',
          'download',
          '--no-deps',
          '--retries',
          '0',
          '--only-binary=:all:',
          '--disable-pip-version-check',
          spec,
          '-d',
          download,
        ],
        env,
      );
      if (!pip.ok) {
        throw new ProvisionError(
          `Could not find libtensorflow: LIBTENSORFLOW_DIR is not set, no Python tensorflow package is installed ` +
            `for ${python}, and \`${python} -m pip download ${spec}\` failed:\n${pip.output.split('\n').slice(-5).join('\n')}` +
            HELP,
        );
      }
      const wheels = fs.readdirSync(download).filter((f) => f.endsWith('.whl'));
      if (wheels.length !== 1) throw new ProvisionError(`pip download ${spec} gave ${wheels.length} wheels in ${download}`);
      const extract = runPython(
        python,
        ['-c', EXTRACT_PY, path.join(download, wheels[0]), staging, [C_API_LIBRARIES[0], FRAMEWORK_LIBRARY].join(',')],
        env,
      );
      fs.rmSync(download, { recursive: true, force: true });
      if (!extract.ok) throw new ProvisionError(`Extracting ${wheels[0]} failed:\n${extract.output}` + HELP);
      for (const needed of [
        path.join('lib', C_API_LIBRARIES[0]),
        path.join('lib', FRAMEWORK_LIBRARY),
        path.join('include', 'tensorflow', 'c', 'c_api.h'),
      ]) {
        if (!isFile(path.join(staging, needed))) {
          throw new ProvisionError(`${wheels[0]} has no ${needed}: is it a TensorFlow ${TF_VERSION} wheel?` + HELP);
        }
      }
      return { cApiLibrary: C_API_LIBRARIES[0], version: TF_VERSION };
    },
    { kind: 'pip', origin: spec, description: `pip wheel ${spec}` },
  );
}

/**
 * @param {{root: string, env?: NodeJS.ProcessEnv}} options
 * @returns {{reused: boolean, marker: any}}
 */
function provision({ root, env = process.env }) {
  const depsDir = path.join(root, 'deps');
  const installed = locateInstalled(env);
  const wanted = installed
    ? { kind: installed.kind, origin: installed.libDir }
    : { kind: 'pip', origin: `${wheelName(env)}==${TF_VERSION}` };
  const reused = reusableDeps(depsDir, wanted);
  if (reused) return { reused: true, marker: reused };
  const marker = installed ? linkInstalled(depsDir, installed) : downloadWheel(depsDir, env);
  return { reused: false, marker };
}

function main() {
  const started = Date.now();
  try {
    const { reused, marker } = provision({ root: path.resolve(__dirname, '..') });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`tf-napi: libtensorflow ${reused ? 'reused' : 'provisioned'} from ${marker.description} (${seconds}s)`);
  } catch (e) {
    const message = e instanceof ProvisionError ? e.message : e instanceof Error ? e.stack : String(e);
    console.error(`tf-napi: ${message}`);
    process.exit(1);
  }
}

module.exports = { provision, locateInstalled, ProvisionError, TF_VERSION };

if (require.main === module) main();
