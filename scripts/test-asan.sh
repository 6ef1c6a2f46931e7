#!/usr/bin/env bash
# AddressSanitizer + UBSan over the addon: builds it with TF_NAPI_SANITIZE=ON into build-asan/ (never
# touching build/), then runs the native-heavy tests against that build. Node and libtensorflow are
# not instrumented, so libasan is preloaded and only our code is checked; leak checking is off
# because V8 and TF keep process-lifetime allocations that LSan would report.
#
#   npm run test:asan                  # build + the default test files
#   scripts/test-asan.sh session graph # build + only dist/test/{session,graph}.test.js
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DEFAULT_TESTS=(native_tensor core_tensor graph session eager_native gradients gradient_tape function variable
  keras_optimizers keras_optimizer_behaviour fused_adam checkpoint bad_input_corpus concurrency)
TESTS=("${@:-${DEFAULT_TESTS[@]}}")

LIBASAN="$(gcc -print-file-name=libasan.so)"
[ -f "$LIBASAN" ] || { echo "test-asan: libasan not found (install gcc's libasan)" >&2; exit 2; }

# RelWithDebInfo: optimized like the real build, with line numbers in reports.
npx cmake-js compile --out build-asan --config RelWithDebInfo --CDTF_NAPI_SANITIZE=ON >build-asan.log 2>&1 ||
  { tail -40 build-asan.log >&2; exit 2; }
rm -f build-asan.log
ADDON="$(find build-asan -name tf_napi.node -type f | head -1)"
npx tsc -p tsconfig.json

# node-gyp-build loads <package>/build/Release/tf_napi.node, the package being two levels above
# dist/lib/native.js: a throwaway copy of the package layout points it at the ASan build.
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/tf-napi-asan-XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/build/Release" "$STAGE/reports"
cp "$ADDON" "$STAGE/build/Release/tf_napi.node"
# The op library and its loader (native/ops/), instrumented too, where they were built.
for lib in tf_napi_ops.so tf_napi_op_loader.node; do
  built="$(find build-asan -name "$lib" -type f | head -1)"
  if [ -n "$built" ]; then cp "$built" "$STAGE/build/Release/$lib"; fi
done
cp -r dist "$STAGE/dist"
for entry in deps node_modules .venv proto test examples scripts bench package.json; do
  [ -e "$entry" ] && ln -s "$ROOT/$entry" "$STAGE/$entry"
done

FILES=()
for t in "${TESTS[@]}"; do
  f="$STAGE/dist/test/$t.test.js"
  if [ -f "$f" ]; then FILES+=("$f"); else echo "test-asan: skipping $t (no dist/test/$t.test.js)" >&2; fi
done

# Reports go to files as well: node --test swallows a crashed child's stderr into its TAP output.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1:detect_odr_violation=0:log_path=$STAGE/reports/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$STAGE/reports/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Proves the tests will run on the instrumented addon, with the ASan runtime loaded.
LD_PRELOAD="$LIBASAN" node -e '
  require(process.argv[1] + "/dist/lib/native");
  const maps = require("fs").readFileSync("/proc/self/maps", "utf8");
  if (!maps.includes(process.argv[1] + "/build/Release/tf_napi.node") || !maps.includes("libasan")) {
    console.error("test-asan: the ASan addon is not the one loaded"); process.exit(2);
  }' "$STAGE"
status=0
LD_PRELOAD="$LIBASAN" node --test --test-concurrency=1 "${FILES[@]}" || status=$?

if compgen -G "$STAGE/reports/*" >/dev/null; then
  echo "test-asan: sanitizer reports:" >&2
  cat "$STAGE"/reports/* >&2
  exit 1
fi
echo "test-asan: no sanitizer reports; tests exited with $status"
exit "$status"
