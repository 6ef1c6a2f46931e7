#!/usr/bin/env bash
# Valgrind memcheck over scripts/valgrind-native.js (the addon's native surface, once each).
# Node runs --jitless so that valgrind sees no self-modifying code; scripts/valgrind.supp holds the
# reports that are V8's or TensorFlow's own. Leaks are checked for definite losses with a frame
# in the addon only: V8 and TF keep process-lifetime allocations. Takes ~2-4 minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v valgrind >/dev/null || { echo "valgrind-native: install valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -f dist/lib/native.js ] || npx tsc -p tsconfig.json

LOG="$(mktemp "${TMPDIR:-/tmp}/tf-napi-valgrind-XXXXXX.log")"
status=0
valgrind --tool=memcheck --error-exitcode=97 --error-limit=no --num-callers=40 \
  --suppressions=scripts/valgrind.supp --gen-suppressions=all \
  --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=none \
  --log-file="$LOG" node --jitless --expose-gc scripts/valgrind-native.js || status=$?

# Definite leaks count only when the allocation passed through the addon.
addon_leaks="$(awk '/definitely lost in loss record/{rec=$0; inrec=1; next} inrec && /tf_napi\.node/{print rec; inrec=0} /^==[0-9]+== $/{inrec=0}' "$LOG")"
grep -E "ERROR SUMMARY|definitely lost:" "$LOG" | sed 's/^==[0-9]*== //'
if [ "$status" -ne 0 ] || [ -n "$addon_leaks" ]; then
  [ -n "$addon_leaks" ] && echo "valgrind-native: leaks through the addon:" && echo "$addon_leaks"
  echo "valgrind-native: FAILED (exit $status); full log: $LOG" >&2
  exit 1
fi
echo "valgrind-native: clean (log: $LOG)"
