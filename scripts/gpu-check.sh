#!/usr/bin/env bash
# Builds, on this (CPU) machine, the folder that checks flow's CUDA kernels on
# a GPU host that has the driver, NumPy and PyTorch but no LLVM: ahead-of-time CUDA libraries (flow-compile --target=cuda) for the
# differential test's configurations and the CUDA shapes of
# ../shared/bench/shapes.json, the loaders (flow_aot.py, flow-aot-run) and
# check.py, which compares every output with PyTorch (float64) and times flow
# against torch.nn.functional.conv_transpose2d (FP32, TF32 off).
#
# usage: scripts/gpu-check.sh [--out DIR] [--count N] [--chunk K]
#          [--shapes FILE] [--jobs J] [--cpu] [--dry-run]
#   --out DIR     the folder (default: $FLOW_BUILD_DIR/gpu-check, where
#                 FLOW_BUILD_DIR defaults to build/); DIR.tar.gz is made too
#   --count N     differential configurations (default 320, as the lit test)
#   --chunk K     entries per differential library (default 40)
#   --shapes FILE benchmark shapes (default ../shared/bench/shapes.json)
#   --cpu         also build CPU libraries (cpu/, x86-64-v3, single thread:
#                 no libomp) for check.py's CPU fallback
#   --dry-run     then run here what can run without a GPU: check.py --cpu
#                 (implies --cpu), check.py's refusal without a GPU, and
#                 flow-aot-run on a CUDA library ("no CUDA driver/device")
#
# On the GPU host:  tar xzf gpu-check.tar.gz && bash gpu-check/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOW_BUILD_DIR:-$root/build}
py=/usr/bin/python3
out=""
count=320
chunk=40
shapes=$root/../shared/bench/shapes.json
jobs=$(nproc 2>/dev/null || echo 2)
cpu=0
dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --count) count=$2; shift 2 ;;
    --count=*) count=${1#*=}; shift ;;
    --chunk) chunk=$2; shift 2 ;;
    --chunk=*) chunk=${1#*=}; shift ;;
    --shapes) shapes=$2; shift 2 ;;
    --shapes=*) shapes=${1#*=}; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --cpu) cpu=1; shift ;;
    --dry-run) dry=1; cpu=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "gpu-check.sh: error: unknown argument '$1'" >&2; exit 1 ;;
  esac
done
out=${out:-$build/gpu-check}
fc=$build/bin/flow-compile
runner=$build/bin/flow-aot-run
for tool in "$fc" "$runner"; do
  [ -x "$tool" ] || { echo "gpu-check.sh: error: $tool is missing; build first (FLOW_BUILD_DIR=$build scripts/build.sh)" >&2; exit 1; }
done
[ -f "$shapes" ] || { echo "gpu-check.sh: error: no shapes file $shapes" >&2; exit 1; }

# The CUDA back end must be there (toolkit at configure time, ptxas now).
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat > "$probe/p.mlir" <<'EOF'
func.func @main(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
EOF
if ! msg=$("$fc" "$probe/p.mlir" --target=cuda -o "$probe/libp.so" 2>&1); then
  echo "gpu-check.sh: error: cannot build CUDA libraries here: $msg" >&2
  exit 1
fi

echo "== gpu-check: building $out ($count differential configurations, chunks of $chunk; shapes from $shapes)"
rm -rf "$out" "$out.tar.gz"
mkdir -p "$out/cuda" "$out/src"
[ $cpu = 1 ] && mkdir -p "$out/cpu"
modules=$($py "$root/gpu-check/make_modules.py" "$out/src" "$root/test/lib" \
  "$shapes" "$count" "$chunk")

# One flow-compile per module and target, $jobs at a time.
jobs_file=$probe/jobs
: > "$jobs_file"
for m in $modules; do
  echo "cuda $m" >> "$jobs_file"
  [ $cpu = 1 ] && echo "cpu $m" >> "$jobs_file"
done
export fc out
start=$(date +%s)
if ! xargs -P "$jobs" -L 1 sh -c '
    target=$0 m=$1
    if [ "$target" = cuda ]; then
      "$fc" "$out/src/$m.mlir" --target=cuda -o "$out/cuda/lib$m.so" \
        --header="$out/src/lib$m.h"
    else
      "$fc" "$out/src/$m.mlir" --target=cpu --mcpu=x86-64-v3 --parallel=false \
        -o "$out/cpu/lib$m.so" --header="$out/src/lib$m-cpu.h"
    fi || { echo "gpu-check.sh: error: flow-compile failed for $target/$m" >&2; exit 255; }
    echo "  $target/lib$m.so"' < "$jobs_file"; then
  exit 1
fi
echo "   compiled in $(( $(date +%s) - start )) s"

cp "$root/python/flow_mlir/aot.py" "$out/flow_aot.py"
cp "$root/gpu-check/check.py" "$out/check.py"
cp "$root/gpu-check/run.sh" "$out/run.sh"
cp "$runner" "$out/flow-aot-run"
cat > "$out/README.txt" <<EOF
flow-mlir GPU check (built $(date -u +%Y-%m-%dT%H:%MZ) by scripts/gpu-check.sh
from $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')).

  bash run.sh                 environment facts, flow-aot-run smoke tests,
                              then check.py; logs and results go to \$OUT
                              (default: this folder)
  python3 check.py            compare every CUDA output with PyTorch (float64)
                              and time the benchmark shapes against
                              torch.nn.functional.conv_transpose2d (FP32, TF32
                              off); writes results.md / results.json
  python3 check.py --cpu      the same with the CPU libraries in cpu/ (if built)
  ./flow-aot-run cuda/libshapes.so -e A_seed1 --random-inputs --benchmark=20
                              one kernel from the shell (--list shows entries)

cuda/*.so and flow-aot-run need only glibc (>= 2.34), libgcc_s and the
driver's libcuda.so.1 (opened at run time; FLOW_CUDA_DEVICE selects the GPU). The kernels are
sm_90 cubins plus PTX (newer GPUs JIT the PTX). src/ has the modules and the
C headers. configs.json lists every entry with its configuration.
EOF

# Self-contained: no LLVM/MLIR, no libcuda link, no libstdc++ (static), no
# libomp (the CPU libraries are single-threaded).
bad=0
for lib in "$out"/cuda/*.so "$out"/cpu/*.so "$out/flow-aot-run"; do
  [ -e "$lib" ] || continue
  if ldd "$lib" | grep -E 'libMLIR|libLLVM|libcuda|libstdc\+\+|libomp|not found'; then
    echo "gpu-check.sh: error: $lib has a dependency it must not have" >&2
    bad=1
  fi
done
[ $bad = 0 ] || exit 1
glibc=$(for f in "$out"/cuda/*.so "$out/flow-aot-run"; do
  objdump -T "$f" | grep -o 'GLIBC_[0-9.]*'; done | sort -uV | tail -1)
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
size=$(du -sb "$out" | cut -f1)
tarsize=$(stat -c %s "$out.tar.gz")
echo "   $(ls "$out"/cuda/*.so | wc -l) CUDA libraries, $(( size / 1024 )) KiB in $out, $(( tarsize / 1024 )) KiB as $out.tar.gz; needs glibc >= ${glibc#GLIBC_}"
if [ "$size" -gt $(( 60 * 1024 * 1024 )) ]; then
  echo "gpu-check.sh: error: the folder is over 60 MiB; use --count or --chunk" >&2
  exit 1
fi

if [ $dry = 1 ]; then
  echo "== dry run: flow-aot-run on a CUDA library here"
  set +e
  "$out/flow-aot-run" "$out/cuda/libshapes.so" --list
  "$out/flow-aot-run" "$out/cuda/libdiff_00.so" -e d000 --random-inputs; echo "   exit code $?"
  echo "== dry run: check.py (CUDA) here"
  $py "$out/check.py" --runs 1; echo "   exit code $?"
  set -e
  echo "== dry run: check.py --cpu (the CPU fallback)"
  $py "$out/check.py" --cpu --runs 1 --warmup 0
fi
