#!/usr/bin/env bash
# Runs on the GPU host inside the folder: environment facts, loader smoke
# tests, then check.py; everything is also written to $OUT (default .).
cd "$(dirname "$0")"
out=${OUT:-.}
{
  date -u; uname -a; ldd --version | head -1
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  python3 -c "import sys, numpy, torch; print(sys.version.split()[0], numpy.__version__, torch.__version__, torch.version.cuda, torch.backends.cudnn.version(), torch.cuda.is_available())"
  echo "== flow-aot-run smoke"
  timeout 60 ./flow-aot-run cuda/libshapes.so --list; echo "rc=$?"
  timeout 60 ./flow-aot-run cuda/libdiff_00.so -e d000 --random-inputs --print | tail -3; echo "rc=$?"
  timeout 120 ./flow-aot-run cuda/libshapes.so -e A_seed1 --random-inputs --benchmark=10; echo "rc=$?"
} > "$out/env.log" 2>&1
cat "$out/env.log"
echo "== check.py"
timeout 400 python3 check.py --runs 15 --warmup 3 --out "$out" 2>&1 | tee "$out/check.log"
echo "check rc=${PIPESTATUS[0]}"
