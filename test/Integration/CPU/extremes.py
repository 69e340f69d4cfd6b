# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib | FileCheck %s
# CHECK-NOT: MISMATCH
# CHECK: extremes: [[N:[0-9]+]]/[[N]] runs within bound
"""Extreme but valid conv_transpose2d configurations, each through flow-runner
in f32 (static and dynamic N/H/W) and f64 (static), against torch's
conv_transpose2d in float64, on three CPU paths: the default pipeline (the
vectorised kernels where they apply) and both linalg lowerings with the
kernels off (flow-lower-to-cpu{kernels=false}):

  kernel 1x1; stride larger than the kernel (output phases that only get the
  bias), up to 10^9; dilation larger than the input; output_padding at its limit
  (max(stride, dilation) - 1); 1x1 inputs; batch 0; padding that leaves a
  1x1 output; groups equal to the channels.

Bounds: max |flow - torch| <= 1e-5 (f32) and 1e-12 (f64). Inputs, weights
and bias are U(-1, 1) and no output here sums more than 18 products and the
bias (n <= 19 terms of magnitude <= 1), so the worst case of f32 summation,
n * 2^-24 * sum|terms| ~ 2e-5, is never approached by random data (typical
error ~ sqrt(n) * 2^-24); measured worst: 2.1e-7 (f32), 4.4e-16 (f64), on
every path."""

import sys

import numpy as np

tools_dir, lib_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, lib_dir)
import convref  # noqa: E402

TOL = {"f32": 1e-5, "f64": 1e-12}
DT = {"f32": np.float32, "f64": np.float64}


def cfg(name, N=2, Cin=2, Cout=3, groups=1, H=4, W=5, kernel=(3, 3),
        stride=(1, 1), padding=(0, 0), output_padding=(0, 0),
        dilation=(1, 1), bias=True):
    return name, {"N": N, "Cin": Cin, "Cout": Cout, "groups": groups,
                  "H": H, "W": W, "kernel": list(kernel),
                  "stride": list(stride), "padding": list(padding),
                  "output_padding": list(output_padding),
                  "dilation": list(dilation), "bias": bias}


CASES = [
    cfg("kernel 1x1", kernel=(1, 1)),
    cfg("kernel 1x1, stride 3 (2/3 of the outputs are bias only)",
        kernel=(1, 1), stride=(3, 3)),
    cfg("kernel 1x1, stride 2, output_padding 1", kernel=(1, 1),
        stride=(2, 2), output_padding=(1, 1)),
    cfg("stride 5 > kernel 2", kernel=(2, 2), stride=(5, 5)),
    cfg("stride 4 > kernel 3, asymmetric", kernel=(3, 1), stride=(4, 2),
        padding=(1, 0)),
    cfg("stride 10^9 on a 1x1 input (hung the CPU kernels, found by "
        "fuzzing)", H=1, W=1, stride=(10**9, 10**9)),
    cfg("stride 65536 > kernel, 1x2 input", H=1, W=2, kernel=(2, 3),
        stride=(65536, 65536)),
    cfg("dilation 7 > input 2", H=2, W=2, dilation=(7, 7)),
    cfg("dilation 9 > input 1 and 3", H=1, W=3, dilation=(9, 5),
        kernel=(2, 3)),
    cfg("dilation > input with stride", H=2, W=3, dilation=(6, 4),
        stride=(2, 3)),
    cfg("output_padding at its limit (stride 3)", stride=(3, 3),
        output_padding=(2, 2)),
    cfg("output_padding at its limit (dilation 4 > stride 1)",
        dilation=(4, 4), output_padding=(3, 3)),
    cfg("output_padding at its limit, mixed", stride=(2, 4), dilation=(5, 1),
        output_padding=(4, 3)),
    cfg("1x1 input", H=1, W=1),
    cfg("1x1 input, stride 3, padding 1", H=1, W=1, stride=(3, 3),
        padding=(1, 1)),
    cfg("1x1 input, kernel 1x1", H=1, W=1, kernel=(1, 1)),
    cfg("1x1 input, 1x1 output (padding eats the kernel)", H=1, W=1,
        kernel=(3, 3), padding=(1, 1)),
    cfg("batch 0", N=0),
    cfg("batch 0, strided and grouped", N=0, Cin=4, Cout=4, groups=2,
        stride=(2, 2)),
    cfg("padding leaves a 1x1 output", H=2, W=2, kernel=(2, 2),
        padding=(1, 1)),
    cfg("groups = channels (depthwise)", Cin=3, Cout=3, groups=3,
        stride=(2, 2)),
    cfg("1 channel, no bias", Cin=1, Cout=1, bias=False, stride=(2, 3)),
]


def linalg(strategy):
    return [f"--pipeline=flow-lower-to-cpu{{kernels=false "
            f"strategy={strategy}}}"]


PATHS = {"default": [], "linalg phase": linalg("phase"),
         "linalg zero-insert": linalg("zero-insert")}
runs = ok = 0
worst = {"f32": 0.0, "f64": 0.0}
nrng = np.random.default_rng(5)
for name, c in CASES:
    for dtype in ("f32", "f64"):
        arrays = convref.random_inputs(c, nrng, DT[dtype])
        ref = convref.torch_reference(c, arrays)
        for dynamic in ((False, True) if dtype == "f32" else (False,)):
            c["dynamic"] = dynamic
            mlir = convref.mlir_for(c, dtype)
            for path, flags in PATHS.items():
                runs += 1
                got = convref.run_flow(tools_dir, mlir, arrays, flags)
                err = (float(np.abs(got - ref).max())
                       if ref.size and got.shape == ref.shape else 0.0)
                worst[dtype] = max(worst[dtype], err)
                if got.shape == ref.shape and err <= TOL[dtype]:
                    ok += 1
                else:
                    print(f"MISMATCH {name} ({dtype}, {path}, "
                          f"dynamic={dynamic}): shape {got.shape} vs "
                          f"{ref.shape}, max error {err}")
print(f"extremes: {ok}/{runs} runs within bound (worst error: f32 "
      f"{worst['f32']:.3g}, f64 {worst['f64']:.3g})")
