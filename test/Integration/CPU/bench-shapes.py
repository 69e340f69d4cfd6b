# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib %flow_src_root/bench/shapes.json | FileCheck %s
# CHECK: A_seed1: ok
# CHECK: B_seed2: ok
# CHECK: C_dcgan: ok
# CHECK: D_unet: ok
# CHECK: E_grpdil: ok
# CHECK: F_dw: ok
# CHECK: G_vae: ok
# CHECK: H_pix2pix: ok
# CHECK: 8/8 shapes within bounds
"""The benchmark shapes (bench/shapes.json) at reduced batch through the
optimised CPU pipeline (flow-runner's default: the vectorised, register-tiled,
parallel kernels), against torch's conv_transpose2d in float64:

- strategy=phase and strategy=zero-insert with a static batch of 2 (G_vae and
  H_pix2pix, benchmarked on CUDA only, at batch 1 and a quarter of the
  spatial size to keep the test short),
- strategy=phase with a dynamic batch (the always-parallel path).

The batch is reduced, channels, kernel, stride, padding and spatial sizes are
the benchmark's own, so the register tiles, remainder tiles, task split and
stack buffers are those of the benchmark. Inputs U(-1, 1), weights and bias
at PyTorch's init scale; f32 bound 1e-5 * sqrt(products per output) + 1e-6 (the rounding
error seen is about 50x smaller; an indexing mistake gives O(0.1)).
"""

import json
import math
import sys

import numpy as np

tools_dir, lib_dir, shapes_path = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, lib_dir)
import convref  # noqa: E402

with open(shapes_path) as f:
    shapes = json.load(f)["shapes"]

rng = np.random.default_rng(6)
good = 0
for s in shapes:
    cfg = {k: s[k] for k in ("Cin", "Cout", "groups", "H", "W", "kernel",
                             "stride", "padding", "output_padding",
                             "dilation")}
    cfg["bias"] = True
    if "cpu" in s["targets"]:
        cfg["N"] = 2
    else:
        cfg["N"], cfg["H"], cfg["W"] = 1, s["H"] // 4, s["W"] // 4
    cig = cfg["Cin"] // cfg["groups"]
    products = cig * cfg["kernel"][0] * cfg["kernel"][1]
    bound = 1 / math.sqrt(cfg["Cout"] // cfg["groups"] * cfg["kernel"][0] *
                          cfg["kernel"][1])
    x = rng.uniform(-1, 1, (cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]))
    w = rng.uniform(-bound, bound, (cfg["Cin"], cfg["Cout"] // cfg["groups"],
                                    *cfg["kernel"]))
    b = rng.uniform(-bound, bound, (cfg["Cout"],))
    arrays = [a.astype(np.float32) for a in (x, w, b)]
    ref = convref.torch_reference(cfg, arrays)
    tol = 1e-5 * math.sqrt(products) + 1e-6
    errors = []
    for dynamic, strategy in ((False, "phase"), (False, "zero-insert"),
                              (True, "phase")):
        cfg["dynamic"] = dynamic
        got = convref.run_flow(tools_dir, convref.mlir_for(cfg), arrays,
                               [f"--strategy={strategy}"])
        err = float(np.abs(got - ref).max()) if got.shape == ref.shape else math.inf
        errors.append(f"{strategy}{'/dynamic' if dynamic else ''} {err:.2e}")
        if err > tol:
            errors[-1] += " TOO LARGE"
    ok = not any("TOO LARGE" in e for e in errors)
    good += ok
    print(f"{s['name']}: {'ok' if ok else 'FAIL'} (bound {tol:.1e}; "
          + ", ".join(errors) + ")")
print(f"{good}/{len(shapes)} shapes within bounds")
