# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root 40 | FileCheck %s
# CHECK: grad_input: 40/40 within 1e-12
# CHECK: grad_weight: 40/40 within 1e-12
"""Differential test of conv_transpose2d's gradients at the MLIR level: the
functions that flow_mlir's backward compiles (linalg.generic on tensors,
python/flow_mlir/nn/_grad_source.py), run through flow-runner in f64 for
random configurations in OneFlow's autotest ranges, against torch's float64
autograd. Bound: 1e-12 absolute (inputs U(-1, 1), sums of at most a few
thousand products).

Usage: grad.py TOOLS_DIR SRC_ROOT COUNT"""

import importlib.util
import os
import random
import sys

import numpy as np
import torch

tools_dir, src_root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, os.path.join(src_root, "test", "lib"))
import convref  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "grad_source", os.path.join(src_root, "python", "flow_mlir", "nn",
                                "_grad_source.py"))
grad_source = importlib.util.module_from_spec(spec)
spec.loader.exec_module(grad_source)

TOL = 1e-12
passed = {"grad_input": 0, "grad_weight": 0}
for i in range(count):
    cfg = convref.random_config(random.Random(4242 + i))
    if cfg["N"] == 0:
        cfg["N"] = 1
    rng = np.random.default_rng(i)
    x = torch.tensor(rng.uniform(-1, 1, (cfg["N"], cfg["Cin"], cfg["H"],
                                         cfg["W"])), requires_grad=True)
    w = torch.tensor(rng.uniform(-1, 1, (cfg["Cin"], cfg["Cout"] //
                                         cfg["groups"], *cfg["kernel"])),
                     requires_grad=True)
    kw = dict(stride=tuple(cfg["stride"]), padding=tuple(cfg["padding"]),
              output_padding=tuple(cfg["output_padding"]),
              groups=cfg["groups"], dilation=tuple(cfg["dilation"]))
    y = torch.nn.functional.conv_transpose2d(x, w, None, **kw)
    go = torch.tensor(rng.uniform(-1, 1, tuple(y.shape)))
    y.backward(go)
    shapes = (tuple(go.shape), tuple(x.shape), tuple(w.shape),
              kw["stride"], kw["padding"], kw["dilation"], cfg["groups"],
              "f64")
    gi = convref.run_flow(tools_dir, grad_source.grad_input_source(*shapes),
                          [go.numpy(), w.detach().numpy()])
    gw = convref.run_flow(tools_dir, grad_source.grad_weight_source(*shapes),
                          [x.detach().numpy(), go.numpy()])
    for name, got, want in (("grad_input", gi, x.grad.numpy()),
                            ("grad_weight", gw, w.grad.numpy())):
        err = np.abs(got - want).max()
        if got.shape == want.shape and err <= TOL:
            passed[name] += 1
        else:
            print(f"config {i} {cfg}: {name} error {err}", file=sys.stderr)
for name, n in passed.items():
    print(f"{name}: {n}/{count} within {TOL}")
