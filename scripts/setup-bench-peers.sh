#!/usr/bin/env bash
# Installs the benchmark peers into bench/peers/ (idempotent; needs only the npm registry and the pip index):
#   tfjs/         @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm, as published
#   tfjs-node/    @tensorflow/tfjs-node built from source against the TF 2.21 C library
#   python-venv/  tensorflow-cpu 2.21 + Keras 3
# Writes bench/peers/status.json: one entry per implementation, ok or missing with the reason.
# Exits 0 unless no peer at all could be set up. Logs: bench/peers/logs/.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS="$ROOT/bench/peers"
LOGS="$PEERS/logs"
TFJS_VERSION=4.22.0
TF_VERSION=2.21.0
# Where the project keeps the TF C library; the tensorflow-cpu wheel is the fallback.
TF_DEPS="${TF_DEPS:-$ROOT/deps}"
export PIP_INDEX_URL="${PIP_INDEX_URL:-file:///opt/pypi/simple}"
export PIP_EXTRA_INDEX_URL="${PIP_EXTRA_INDEX_URL:-file:///opt/pypi-more/simple}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)

mkdir -p "$LOGS"
rm -f "$PEERS"/.status-*.json
START=$SECONDS

# record IMPL ok|missing DETAIL: one implementation's line for status.json.
record() {
  node -e 'const [f, impl, state, detail] = process.argv.slice(1);
    require("fs").writeFileSync(f, JSON.stringify({ impl, ok: state === "ok", [state === "ok" ? "version" : "reason"]: detail }));' \
    "$PEERS/.status-$1.json" "$1" "$2" "$3"
}

# The last lines of a log, as the reason a step failed.
tail_of() { tail -n 5 "$1" | tr '\n' ' ' | cut -c1-600; }

step() { printf '[%4ss] %s\n' "$((SECONDS - START))" "$*"; }

# --- tfjs (pure JS CPU) and tfjs-backend-wasm ------------------------------------------------
setup_tfjs() {
  local dir="$PEERS/tfjs" log="$LOGS/tfjs.log"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "name": "bench-peer-tfjs", "private": true }' >"$dir/package.json"
  step "tfjs: npm install @tensorflow/tfjs@$TFJS_VERSION @tensorflow/tfjs-backend-wasm@$TFJS_VERSION"
  if ! (cd "$dir" && npm install "${NPM_FLAGS[@]}" "@tensorflow/tfjs@$TFJS_VERSION" \
      "@tensorflow/tfjs-backend-wasm@$TFJS_VERSION") >"$log" 2>&1; then
    record tfjs-cpu missing "npm install failed: $(tail_of "$log")"
    record tfjs-wasm missing "npm install failed: $(tail_of "$log")"
    return
  fi
  local backend out
  for backend in cpu wasm; do
    if out=$(cd "$dir" && node -e '
        const tf = require("@tensorflow/tfjs");
        require("@tensorflow/tfjs-backend-wasm");
        (async () => {
          if (!(await tf.setBackend(process.argv[1])) || tf.getBackend() !== process.argv[1]) throw new Error("backend unavailable");
          const s = tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0];
          if (s !== 14) throw new Error("wrong result " + s);
          console.log(tf.version.tfjs);
        })().catch((e) => { console.error(e.message); process.exit(1); });' "$backend" 2>>"$log"); then
      record "tfjs-$backend" ok "$out"
      step "tfjs-$backend: ok ($out)"
    else
      record "tfjs-$backend" missing "backend check failed: $(tail_of "$log")"
      step "tfjs-$backend: FAILED (see $log)"
    fi
  done
}

# --- tfjs-node, built against TF 2.21 --------------------------------------------------------
HEADER_DIRS=(tensorflow/c tensorflow/core/platform tsl/platform xla/tsl/platform xla/tsl/c)
LIBS=(libtensorflow_cc.so.2 libtensorflow_framework.so.2)

# Unpacks the headers and libraries from the tensorflow-cpu wheel into $1 (include/, lib/).
tf_from_wheel() {
  local into="$1" wheel_dir
  wheel_dir="$(mktemp -d)"
  pip download --no-deps --retries 0 "tensorflow-cpu==$TF_VERSION" -d "$wheel_dir" &&
    python3 - "$wheel_dir" "$into" "${HEADER_DIRS[*]}" "${LIBS[*]}" <<'EOF'
import glob, os, shutil, sys, zipfile
wheel_dir, into, header_dirs, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
with zipfile.ZipFile(glob.glob(os.path.join(wheel_dir, '*.whl'))[0]) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        rel = name[len('tensorflow/include/'):] if name.startswith('tensorflow/include/') else None
        if rel and any(rel.startswith(d + '/') for d in header_dirs):
            target = os.path.join(into, 'include', rel)
        elif name.startswith('tensorflow/') and os.path.basename(name) in libs and name.count('/') == 1:
            target = os.path.join(into, 'lib', os.path.basename(name))
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst)
EOF
  local rc=$?
  rm -rf "$wheel_dir"
  return $rc
}

# Stages headers and libraries the way tfjs-node's binding.gyp expects them in deps/.
stage_tf_deps() {
  local pkg="$1" src="$TF_DEPS" d l missing=0
  for d in "${HEADER_DIRS[@]}"; do [ -d "$src/include/$d" ] || missing=1; done
  for l in "${LIBS[@]}"; do [ -f "$src/lib/$l" ] || missing=1; done
  rm -rf "$pkg/deps"
  mkdir -p "$pkg/deps/include" "$pkg/deps/lib"
  if [ $missing = 1 ]; then
    echo "TF C library incomplete in $src: taking it from the tensorflow-cpu $TF_VERSION wheel"
    tf_from_wheel "$pkg/deps" || return 1
  else
    for d in "${HEADER_DIRS[@]}"; do
      mkdir -p "$pkg/deps/include/$(dirname "$d")"
      cp -r "$src/include/$d" "$pkg/deps/include/$d" || return 1
    done
    # Hard links cost no space (the libraries are ~850 MB) and survive a re-provisioned deps/.
    for l in "${LIBS[@]}"; do
      ln -f "$src/lib/$l" "$pkg/deps/lib/$l" 2>/dev/null || cp -f "$src/lib/$l" "$pkg/deps/lib/$l" || return 1
    done
  fi
  # binding.gyp links -ltensorflow -ltensorflow_framework, and install.js only builds (instead of
  # downloading TF 2.9.1) when deps/lib/libtensorflow.so.2.9.1 exists: the 2.21 libraries under those names.
  (cd "$pkg/deps/lib" &&
    ln -sf libtensorflow_cc.so.2 libtensorflow.so &&
    ln -sf libtensorflow_cc.so.2 libtensorflow.so.2 &&
    ln -sf libtensorflow_cc.so.2 libtensorflow.so.2.9.1 &&
    ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so &&
    ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so.2.9.1)
}

check_tfjs_node() {
  [ -d "$PEERS/tfjs-node/node_modules" ] || return 1
  (cd "$PEERS/tfjs-node" && node -e '
    const tf = require("@tensorflow/tfjs-node");
    const native = tf.backend().binding.TF_Version;
    if (tf.getBackend() !== "tensorflow") throw new Error("backend is " + tf.getBackend());
    if (!native.startsWith(process.argv[1])) throw new Error("linked against TF " + native);
    if (tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0] !== 14) throw new Error("wrong result");
    console.log(`${tf.version["tfjs-node"]} (TF ${native})`);' "${TF_VERSION%.0}" 2>/dev/null)
}

setup_tfjs_node() {
  local dir="$PEERS/tfjs-node" log="$LOGS/tfjs-node.log" pkg out nodedir
  pkg="$dir/node_modules/@tensorflow/tfjs-node"
  if out=$(check_tfjs_node); then
    record tfjs-node ok "$out"
    step "tfjs-node: already built ($out)"
    return
  fi
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "name": "bench-peer-tfjs-node", "private": true }' >"$dir/package.json"
  step "tfjs-node: npm install --ignore-scripts @tensorflow/tfjs-node@$TFJS_VERSION"
  if ! (cd "$dir" && npm install "${NPM_FLAGS[@]}" --ignore-scripts "@tensorflow/tfjs-node@$TFJS_VERSION") >"$log" 2>&1; then
    record tfjs-node missing "npm install failed: $(tail_of "$log")"
    return
  fi
  step "tfjs-node: staging TF $TF_VERSION headers and libraries in its deps/"
  if ! stage_tf_deps "$pkg" >>"$log" 2>&1; then
    record tfjs-node missing "could not stage the TF C library: $(tail_of "$log")"
    return
  fi
  # A "tf-lib" key without "addon" makes install.js run `node-pre-gyp install --build-from-source`
  # (node-gyp) instead of fetching a prebuilt addon; the URL itself is never fetched, as deps/lib is there.
  echo "{ \"tf-lib\": \"file://$pkg/deps/lib\" }" >"$pkg/scripts/custom-binary.json"
  # node-gyp must not download Node headers: use the local ones unless npm already names a nodedir.
  nodedir="$(npm config get nodedir 2>/dev/null)"
  if [ -z "$nodedir" ] || [ "$nodedir" = undefined ] || [ "$nodedir" = null ]; then
    nodedir="$(dirname "$(dirname "$(command -v node)")")"
  fi
  step "tfjs-node: npm rebuild (node-gyp, nodedir=$nodedir)"
  if ! (cd "$dir" && npm_config_nodedir="$nodedir" npm rebuild --foreground-scripts @tensorflow/tfjs-node) >>"$log" 2>&1; then
    record tfjs-node missing "build failed: $(tail_of "$log")"
    step "tfjs-node: build FAILED (see $log)"
    return
  fi
  if out=$(check_tfjs_node 2>>"$log"); then
    record tfjs-node ok "$out"
    step "tfjs-node: ok ($out)"
  else
    record tfjs-node missing "built, but the backend check failed: $(tail_of "$log")"
    step "tfjs-node: check FAILED (see $log)"
  fi
}

# --- Python TensorFlow + Keras 3 -------------------------------------------------------------
check_python() {
  "$PEERS/python-venv/bin/python" -c '
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf, keras
assert tf.__version__ == sys.argv[1], tf.__version__
assert keras.__version__.startswith("3."), keras.__version__
print(f"TF {tf.__version__}, Keras {keras.__version__}")' "$TF_VERSION" 2>/dev/null
}

setup_python() {
  local venv="$PEERS/python-venv" log="$LOGS/python.log" out
  if out=$(check_python); then
    record python-tf ok "$out"
    step "python-tf: already installed ($out)"
    return
  fi
  step "python-tf: venv + pip install tensorflow-cpu==$TF_VERSION"
  if ! { [ -x "$venv/bin/python" ] || python3 -m venv "$venv"; } >"$log" 2>&1 ||
     ! "$venv/bin/pip" install --retries 0 "tensorflow-cpu==$TF_VERSION" >>"$log" 2>&1; then
    record python-tf missing "venv or pip install failed: $(tail_of "$log")"
    step "python-tf: FAILED (see $log)"
    return
  fi
  if out=$(check_python 2>>"$log"); then
    record python-tf ok "$out"
    step "python-tf: ok ($out)"
  else
    record python-tf missing "installed, but import failed: $(tail_of "$log")"
    step "python-tf: check FAILED (see $log)"
  fi
}

setup_tfjs
setup_tfjs_node
setup_python

node -e '
  const fs = require("fs"), path = require("path");
  const [dir, seconds] = process.argv.slice(1);
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(".status-")).sort();
  const impls = {};
  for (const f of files) {
    const { impl, ...rest } = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    impls[impl] = rest;
    fs.unlinkSync(path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, "status.json"),
    JSON.stringify({ updated: new Date().toISOString(), setupSeconds: Number(seconds), impls }, null, 2) + "\n");
  const ok = Object.values(impls).filter((s) => s.ok).length;
  for (const [impl, s] of Object.entries(impls)) console.log(`${impl.padEnd(10)} ${s.ok ? "ok       " + s.version : "MISSING  " + s.reason}`);
  process.exit(ok > 0 ? 0 : 1);' "$PEERS" "$((SECONDS - START))"
rc=$?
step "done; status in bench/peers/status.json"
exit $rc
