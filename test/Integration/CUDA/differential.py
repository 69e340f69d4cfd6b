# REQUIRES: cuda-device, torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib 320 | FileCheck %s
# CHECK: cuda phase: 320/320 within 0.0001
# CHECK: cuda zero-insert: 320/320 within 0.0001
"""The CPU suite's differential test on the GPU: random conv_transpose2d
configurations in OneFlow's autotest ranges (about 30% with dynamic N/H/W,
some with batch 0) through flow-runner --target=cuda with both lowerings,
against torch's conv_transpose2d in float64 (on the CPU). f32 bound 1e-4
(values O(1), at most 6*4*4 products per output; kernels use FMA)."""

import random
import sys

import numpy as np

tools_dir, lib_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, lib_dir)
import convref  # noqa: E402

TOL = 1e-4
rng = random.Random(42)
nrng = np.random.default_rng(42)
passed = {"phase": 0, "zero-insert": 0}
for i in range(count):
    cfg = convref.random_config(rng, allow_dynamic=True)
    arrays = convref.random_inputs(cfg, nrng)
    ref = convref.torch_reference(cfg, arrays)
    mlir = convref.mlir_for(cfg)
    for strategy in passed:
        got = convref.run_flow(tools_dir, mlir, arrays,
                               ["--target=cuda", f"--strategy={strategy}"])
        err = float(np.abs(got - ref).max()) if ref.size else 0.0
        if got.shape == ref.shape and err <= TOL:
            passed[strategy] += 1
        else:
            print(f"MISMATCH {strategy} {cfg}: shape {got.shape} vs "
                  f"{ref.shape}, max error {err}")
for strategy, n in passed.items():
    print(f"cuda {strategy}: {n}/{count} within {TOL}")
