# REQUIRES: cuda-device, torch
# RUN: %python %s %flow_tools_dir %flow_src_root | FileCheck %s
# CHECK: seed output shape (20, 33, 93, 100)
# CHECK: seed max error vs torch float64 within 2e-05: yes
# CHECK: benchmark: median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} gflops={{[0-9.]+}} runs=5
"""The seed's example at full size on the GPU (examples/seed.mlir through
flow-runner --target=cuda) against torch in float64, then --benchmark (the
kernels' time, measured with CUDA events)."""

import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

tools_dir, src_root = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
bound = 1 / np.sqrt(33 * 3 * 5)
x = rng.uniform(-1, 1, (20, 16, 50, 100)).astype(np.float32)
w = rng.uniform(-bound, bound, (16, 33, 3, 5)).astype(np.float32)
b = rng.uniform(-bound, bound, (33,)).astype(np.float32)
runner = os.path.join(tools_dir, "flow-runner")
seed = os.path.join(src_root, "examples", "seed.mlir")
with tempfile.TemporaryDirectory() as tmp:
    paths = []
    for name, a in (("x", x), ("w", w), ("b", b)):
        paths.append(os.path.join(tmp, name + ".npy"))
        np.save(paths[-1], a)
    out = os.path.join(tmp, "y.npy")
    inputs = [f"--input={p}" for p in paths]
    subprocess.run([runner, seed, "--target=cuda", *inputs, f"--output={out}"],
                   check=True)
    y = np.load(out)
    bench = subprocess.run([runner, seed, "--target=cuda", *inputs,
                            "--benchmark=5"], check=True, capture_output=True,
                           text=True).stdout
ref = torch.nn.functional.conv_transpose2d(
    torch.from_numpy(x).double(), torch.from_numpy(w).double(),
    torch.from_numpy(b).double(), stride=(2, 1), padding=(4, 2)).numpy()
print("seed output shape", y.shape)
err = float(np.abs(y - ref).max())
print(f"seed max error vs torch float64 within 2e-05: {'yes' if err <= 2e-5 else f'no ({err})'}")
print(bench.strip())
