#!/usr/bin/env bash
# One device run for the fused Adam kernel: build, check, time, then PyTorch's Adam on the same GPU.
#   bash bench/cuda/run-device.sh      (from the repo root; needs nvcc, an sm_90 GPU, python3 with torch)
# Writes $OUT/results.txt (everything printed), $OUT/ptxas.txt (registers, spills) and
# $OUT/sass_default.txt (the default kernel's SASS). Each stage has its own time limit (about
# 4.5 minutes in all; about 2 expected); a failed stage is reported and the later ones still run.
set -euo pipefail

OUT=${OUT:-/tmp/fused-adam-out}
BIN=/tmp/fused_adam_harness
export OUT BIN PYTHONUNBUFFERED=1
mkdir -p "$OUT"
exec > >(tee -a "$OUT/results.txt") 2>&1
TEE_PID=$!
FAILED=""
START=$SECONDS

stage() {  # stage NAME LIMIT_S CMD...
  local name=$1 limit=$2 rc=0 t0=$SECONDS
  shift 2
  echo "=== stage $name (limit ${limit}s)"
  timeout --kill-after=5 "$limit" "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "=== stage $name: ok ($((SECONDS - t0))s)"
  else
    echo "=== stage $name: FAILED rc=$rc ($((SECONDS - t0))s)$([ "$rc" -eq 124 ] && echo ', timed out' || true)"
    FAILED="$FAILED $name"
  fi
}

gpu_state() {
  nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total,clocks.sm,clocks.mem,temperature.gpu,power.draw \
    --format=csv,noheader 2>&1 || true
}

build() {
  set -euo pipefail
  nvcc --version | tail -1
  # -ffp-contract=off: the host reference must not fuse multiply-adds either (the device code
  # uses round-to-nearest intrinsics, which nvcc never contracts).
  nvcc -O3 -arch=sm_90 -Xcompiler -ffp-contract=off -Xptxas -v -o "$BIN" bench/cuda/fused_adam_harness.cu \
    2> "$OUT/ptxas.txt" || { cat "$OUT/ptxas.txt"; return 1; }
  set +e  # the rest is reporting
  grep -iE 'warning|error' "$OUT/ptxas.txt"
  echo "kernels compiled: $(grep -c 'Compiling entry function' "$OUT/ptxas.txt")"
  # Registers per kernel: cap (slots), block, ilp, amsgrad, mode (0 adam, 1 streaming, 2 pattern).
  awk '/Compiling entry function/ { k = $0 } /Used [0-9]+ registers/ && k != "" { print k " :: " $0; k = "" }' "$OUT/ptxas.txt" |
    sed -nE 's/.*adam_kernelILi([0-9]+)ELi([0-9]+)ELi([0-9]+)ELb([01])ELi([0-9])E.*Used ([0-9]+) registers.*/  cap \1 block \2 ilp \3 ams \4 mode \5: \6 regs/p' | sort -u
  if grep -qE '[1-9][0-9]* bytes (stack frame|spill)' "$OUT/ptxas.txt"; then
    echo "WARNING: a kernel has a stack frame or spills (see ptxas.txt)"
  else
    echo "no stack frames, no spills"
  fi
  # SASS of the default kernel (256 slots, block 256, ilp 2, Adam): expect 128-bit loads/stores.
  if command -v cuobjdump > /dev/null; then
    cuobjdump -sass "$BIN" > /tmp/sass_all.txt
    awk '/Function : / { on = /adam_kernelILi256ELi256ELi2ELb0ELi0E/ } on' /tmp/sass_all.txt > "$OUT/sass_default.txt"
    echo "default kernel SASS: $(wc -l < "$OUT/sass_default.txt") lines, LDG.E.128 $(grep -c 'LDG.E.128' "$OUT/sass_default.txt")," \
      "STG.E.128 $(grep -c 'STG.E.128' "$OUT/sass_default.txt"), local memory (LDL/STL) $(grep -cE 'LDL|STL' "$OUT/sass_default.txt")"
  else
    echo "cuobjdump not found: no SASS check"
  fi
  return 0
}
export -f build

summary() {
  set +e
  echo
  echo "=================== summary ($((SECONDS - START))s; failed stages:${FAILED:- none})"
  echo "check lines ok: $(grep -cE '^  ok ' "$OUT/results.txt"), FAIL: $(grep -cE '^  FAIL' "$OUT/results.txt")"
  grep -E '^  FAIL' "$OUT/results.txt" | head -20
  grep -E 'cap (8|256|576) block 256 ilp 2 ams . mode 0:|no stack frames|WARNING|SASS:' "$OUT/results.txt"
  echo "-- fused_adam (this repo)"
  sed -n '/^-- summary/,/^=== stage timing/p' "$OUT/results.txt" | grep -v '^=== stage'
  echo "-- PyTorch"
  sed -n '/^torch [0-9]/,/^=== stage torch/p' "$OUT/results.txt" | grep -v '^=== stage'
}

echo "=== fused Adam device run, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
stage nvidia-smi 30 nvidia-smi
stage build 80 bash -c build
stage cpu-selftest 20 "$BIN" --cpu-selftest
stage correctness 70 "$BIN" --correctness
echo "GPU before timing: $(gpu_state)"
stage timing 60 "$BIN" --timing
echo "GPU after timing:  $(gpu_state)"
stage torch 60 python3 bench/cuda/torch_fused_adam.py
summary
# Let tee finish writing results.txt before the run ends.
exec 1>&- 2>&-
wait "$TEE_PID" 2> /dev/null || true
[ -z "$FAILED" ]
