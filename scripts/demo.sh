#!/usr/bin/env bash
# The seed's example end to end: sets up and builds if needed, shows the type
# flow infers for nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1),
# padding=(4, 2)) on a 20x16x50x100 input, then runs it on the CPU JIT with
# random inputs and compares with PyTorch (float64).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOW_BUILD_DIR:-$root/build}
log=$(mktemp)
if ! "$root/scripts/build.sh" >"$log" 2>&1; then
  tail -n 40 "$log"; echo "demo: the build failed (full log: $log)" >&2; exit 1
fi
rm -f "$log"

echo "== 1. shape inference (flow-opt --flow-infer-shapes examples/seed.mlir)"
"$build/bin/flow-opt" "$root/examples/seed.mlir" --flow-infer-shapes |
  grep -o 'flow.conv_transpose2d.*'

echo
echo "== 2. the seed's op on the CPU JIT (flow-runner), against torch float64"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$build/bin/flow-runner" "$root/examples/seed.mlir" "$tmp" <<'PY'
import subprocess, sys, time
import numpy as np, torch
runner, model, tmp = sys.argv[1:]
rng = np.random.default_rng(0)
k = 1 / (33 * 3 * 5)
x = rng.standard_normal((20, 16, 50, 100)).astype(np.float32)
w = rng.uniform(-k**0.5, k**0.5, (16, 33, 3, 5)).astype(np.float32)
b = rng.uniform(-k**0.5, k**0.5, (33,)).astype(np.float32)
for name, a in (("x", x), ("w", w), ("b", b)):
    np.save(f"{tmp}/{name}.npy", a)
t = time.time()
run = subprocess.run([runner, model, f"--input={tmp}/x.npy", f"--input={tmp}/w.npy",
                      f"--input={tmp}/b.npy", f"--output={tmp}/y.npy", "--benchmark=5"],
                     check=True, capture_output=True, text=True)
y = np.load(f"{tmp}/y.npy")
ref = torch.nn.functional.conv_transpose2d(
    torch.from_numpy(x).double(), torch.from_numpy(w).double(),
    torch.from_numpy(b).double(), stride=(2, 1), padding=(4, 2)).numpy()
print("input  shape", x.shape)
print("output shape", y.shape)
print("max |flow - torch(float64)| = %.3g" % np.abs(y - ref).max())
print(run.stdout.strip())
PY
