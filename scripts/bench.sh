#!/usr/bin/env bash
# Benchmarks flow's CPU JIT against oneDNN and PyTorch on bench/shapes.json.
#   scripts/bench.sh [--target cpu] [--only A_seed1,C_dcgan] [--rounds K]
#                    [--runs R] [--out DIR] ...   (see bench/run_bench.py -h)
#   scripts/bench.sh --compile [--only ...] [--targets cpu,cuda] [--rounds K]
#                    compile times instead (see bench/compile_time.py -h)
# Builds flow-runner and the bench helpers in $FLOW_BUILD_DIR (default
# build/), then prints a table and writes BUILD/bench/bench-cpu.{json,png}
# (--compile: BUILD/bench/bench-compile.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOW_BUILD_DIR:-$root/build}

"$root/scripts/build.sh" >/dev/null
if [ "${1:-}" = "--compile" ]; then
  shift
  exec /usr/bin/python3 "$root/bench/compile_time.py" --build "$build" "$@"
fi
cmake --build "$build" --target flow-bench-tools >/dev/null
exec /usr/bin/python3 "$root/bench/run_bench.py" --build "$build" "$@"
