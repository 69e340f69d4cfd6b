# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root | FileCheck %s
# CHECK: seed output shape (20, 33, 93, 100)
# CHECK: seed max error vs torch float64 within 2e-05: yes
"""The seed's example at full size, nn.ConvTranspose2d(16, 33, (3, 5),
stride=(2, 1), padding=(4, 2)) on 20x16x50x100, through examples/seed.mlir and
flow-runner, against torch in float64. f32 bound 2e-5: inputs U(-1, 1),
weights and bias at PyTorch's init scale, at most 16*15 products.

Usage: seed.py TOOLS_DIR SRC_ROOT [FLOW_RUNNER_ARG...]; with --benchmark=N
among the arguments, flow-runner's benchmark line is printed after the
check."""

import os
import sys

import numpy as np

tools_dir, src_root = sys.argv[1], sys.argv[2]
extra = [a for a in sys.argv[3:] if not a.startswith("--benchmark")]
benchmark = [a for a in sys.argv[3:] if a.startswith("--benchmark")]
sys.path.insert(0, os.path.join(src_root, "test", "lib"))
import convref  # noqa: E402

with open(os.path.join(src_root, "examples", "seed.mlir")) as f:
    mlir = f.read()
cfg, arrays = convref.seed_case()
y = convref.run_flow(tools_dir, mlir, arrays, extra)
ref = convref.torch_reference(cfg, arrays)
print("seed output shape", y.shape)
err = float(np.abs(y - ref).max())
print("seed max error vs torch float64 within 2e-05:",
      "yes" if err <= 2e-5 else f"no ({err})")
if benchmark:
    _, out = convref.run_runner(tools_dir, mlir, arrays, extra + benchmark,
                                output=False)
    print(out.strip())
