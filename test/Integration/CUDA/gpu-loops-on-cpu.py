# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib 80 | FileCheck %s
# CHECK: phase f32: 80/80 within 0.0001
# CHECK: zero-insert f32: 80/80 within 0.0001
# CHECK: phase f64: 16/16 within 1e-10
# CHECK: phase+tile f32: 80/80 within 0.0001
# CHECK: zero-insert+tile f32: 80/80 within 0.0001
# CHECK: phase+tile f64: 16/16 within 1e-10
"""The CUDA back end's loop nests, checked for numbers without a GPU.

flow-lower-to-cuda turns every linalg op into an scf.parallel nest over
blocks and threads (flow-linalg-to-gpu-loops: flattened parallel space,
div/rem index recovery, guarded partial tile, register accumulation) before
convert-parallel-loops-to-gpu makes it a kernel. This test runs exactly
those nests on the CPU instead (the same passes up to
flow-linalg-to-gpu-loops, with host deallocation of the intermediate buffers
in place of flow-gpu-stage-buffers' gpu.dealloc, then the mapped loops
lowered as ordinary loops),
through flow-runner --pipeline, on random conv_transpose2d configurations
in OneFlow's autotest ranges (with dynamic N/H/W and batch 0), and compares
with torch's conv_transpose2d in float64. A small block size (64) makes
partial tiles and multi-block grids common. The "+tile" runs give every
thread a register tile of up to 16 outputs (register-tile=16, min-threads=1,
so that small configurations are tiled too; inexact splits are common)."""

import random
import sys

import numpy as np

tools_dir, lib_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, lib_dir)
import convref  # noqa: E402


def pipeline(strategy, tile):
    return ("--pipeline=inline,"
            f"convert-flow-to-linalg{{strategy={strategy}}},canonicalize,cse,"
            "one-shot-bufferize{bufferize-function-boundaries "
            "function-boundary-type-conversion=identity-layout-map},"
            "cse,canonicalize,buffer-deallocation-pipeline,"
            "convert-bufferization-to-memref,flow-memref-copy-to-linalg,"
            "func.func(flow-linalg-to-gpu-loops{block-size=64"
            f"{' register-tile=16 min-threads=1' if tile else ''}}}),"
            "lower-affine,convert-scf-to-cf,expand-strided-metadata,"
            "lower-affine,arith-expand{include-bf16},"
            "finalize-memref-to-llvm,convert-math-to-llvm,"
            "convert-arith-to-llvm,convert-index-to-llvm,convert-func-to-llvm,"
            "convert-cf-to-llvm,reconcile-unrealized-casts")


rng = random.Random(7)
nrng = np.random.default_rng(7)
cases = [("phase", "f32", np.float32, 1e-4, count),
         ("zero-insert", "f32", np.float32, 1e-4, count),
         ("phase", "f64", np.float64, 1e-10, count // 5)]
cases += [(s + "+tile",) + c[1:] for c in cases for s in [c[0]]]
for name, dtype, nptype, tol, n in cases:
    strategy, tile = name.split("+")[0], name.endswith("+tile")
    passed = 0
    for _ in range(n):
        cfg = convref.random_config(rng, allow_dynamic=True)
        arrays = convref.random_inputs(cfg, nrng, nptype)
        ref = convref.torch_reference(cfg, arrays)
        got = convref.run_flow(tools_dir, convref.mlir_for(cfg, dtype), arrays,
                               [pipeline(strategy, tile)])
        err = float(np.abs(got - ref).max()) if ref.size else 0.0
        if got.shape == ref.shape and err <= tol:
            passed += 1
        else:
            print(f"MISMATCH {name} {dtype} {cfg}: shape {got.shape} vs "
                  f"{ref.shape}, max error {err}")
    print(f"{name} {dtype}: {passed}/{n} within {tol}")
