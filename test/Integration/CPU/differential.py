# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib 320 | FileCheck %s
# CHECK: phase: 320/320 within 0.0001
# CHECK: zero-insert: 320/320 within 0.0001
"""Differential test: random conv_transpose2d configurations in OneFlow's
autotest ranges (about 30% with dynamic N/H/W, some with batch 0) run
through flow-runner with both lowerings, against torch's conv_transpose2d in
float64. f32 bound: max |flow - torch| <= 1e-4 (values are O(1): inputs and
weights are U(-1, 1), at most 6*4*4 products per output).

Usage: differential.py TOOLS_DIR TEST_LIB_DIR COUNT [FLOW_RUNNER_ARG...]
(the CUDA suite passes --target=cuda; each line is then prefixed "cuda")."""

import sys

tools_dir, lib_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
extra = sys.argv[4:]
sys.path.insert(0, lib_dir)
import convref  # noqa: E402

label = "cuda " if "--target=cuda" in extra else ""
passed = convref.differential(tools_dir, count, extra)
for strategy, n in passed.items():
    print(f"{label}{strategy}: {n}/{count} within {convref.DIFFERENTIAL_TOL}")
