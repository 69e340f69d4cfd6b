#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/: clang-22, ASan + UBSan + libFuzzer)
# into build-fuzz/ and runs each for a share of SECONDS on its corpus.
#
#   scripts/fuzz.sh [SECONDS]     fuzz (default 60 s in all)
#   scripts/fuzz.sh --build-only  just build the fuzzers
#
# New inputs that raise coverage go to build-fuzz/corpus/<target>/ (the
# checked-in seeds in fuzz/corpus/ are only read); a crash leaves its input
# as build-fuzz/artifacts/<target>/crash-* and the script exits non-zero.
# Environment: FLOW_FUZZ_BUILD_DIR (default build-fuzz).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOW_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=60
build_only=0
case "${1:-}" in
  --build-only) build_only=1 ;;
  "") ;;
  *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS | --build-only]" >&2; exit 2 ;;
  *) seconds=$1 ;;
esac

"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root/fuzz" -B "$build" -G Ninja \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 >/dev/null
fi
cmake --build "$build" --target flow-fuzz-ir flow-fuzz-npy
[ "$build_only" = 1 ] && exit 0

# The IR target gets most of the time: its inputs are much slower.
ir_seconds=$(( seconds * 5 / 6 ))
npy_seconds=$(( seconds - ir_seconds ))
status=0
run() { # target seconds
  local target=$1 secs=$2
  [ "$secs" -gt 0 ] || return 0
  mkdir -p "$build/corpus/$target" "$build/artifacts/$target"
  echo "== $target: ${secs} s =="
  # rss_limit_mb: the IR target keeps one MLIRContext between inputs.
  "$build/bin/flow-fuzz-$target" \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
    -dict="$root/fuzz/$target.dict" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target/" \
    "$build/corpus/$target" "$root/fuzz/corpus/$target" || status=1
}
run ir "$ir_seconds"
run npy "$npy_seconds"
exit $status
