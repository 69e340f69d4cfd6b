# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root | FileCheck %s
"""Operands with dynamic dims that the other operands fix (issue 20): the
fuzzer's regression inputs fuzz/corpus/ir/regress-dynamic-bias*.mlir run
through flow-runner with the CPU kernels and the linalg lowering, against
torch in float64 (f32 bound 1e-5: values U(-1, 1), at most 4*4 + 2*9 + 3*9
products); sizes that contradict the static ones are one error line naming
the operand, before anything runs."""

import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

tools_dir, src_root = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src_root, "test", "lib"))
import convref  # noqa: E402

corpus = os.path.join(src_root, "fuzz", "corpus", "ir")
PIPELINES = {"kernels": [],
             "linalg": ["--pipeline=flow-lower-to-cpu{kernels=false}"]}


def source(name):
    with open(os.path.join(corpus, name)) as f:
        return f.read()


def reference(x, convs):
    y = torch.from_numpy(x.astype(np.float64))
    for w, b, kw in convs:
        y = torch.nn.functional.conv_transpose2d(
            y, torch.from_numpy(w.astype(np.float64)),
            None if b is None else torch.from_numpy(b.astype(np.float64)),
            **kw)
    return y.numpy()


def check(label, mlir, arrays, ref):
    for name, extra in PIPELINES.items():
        y = convref.run_flow(tools_dir, mlir, arrays, extra)
        err = float(np.abs(y - ref).max())
        print(f"{label} {name}: shape {y.shape} == {ref.shape}: "
              f"{y.shape == ref.shape}, within 1e-5: {err <= 1e-5}")


def runner_error(mlir, arrays):
    """flow-runner's exit code and stderr on `mlir` with `arrays`."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "m.mlir")
        with open(src, "w") as f:
            f.write(mlir)
        cmd = [os.path.join(tools_dir, "flow-runner"), src,
               f"--output={tmp}/out.npy"]
        for i, a in enumerate(arrays):
            np.save(f"{tmp}/in{i}.npy", a)
            cmd.append(f"--input={tmp}/in{i}.npy")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wrote = os.path.exists(f"{tmp}/out.npy")
        return proc.returncode, proc.stderr.strip(), wrote


def errors(label, mlir, arrays):
    """The check before the call is the same for every pipeline."""
    rc, err, wrote = runner_error(mlir, arrays)
    print(f"{label}: rc={rc} lines={len(err.splitlines())} wrote={wrote} "
          f"{err}")


rng = np.random.default_rng(20)
u = lambda *s: rng.uniform(-1, 1, s).astype(np.float32)  # noqa: E731

# The reduced module: a tensor<?xf32> bias of a 3-channel output.
single = source("regress-dynamic-bias.mlir")
x, w, b = u(1, 4, 5, 5), u(4, 3, 3, 3), u(3)
check("single", single, [x, w, b], reference(x, [(w, b, {})]))
# CHECK: single kernels: shape (1, 3, 7, 7) == (1, 3, 7, 7): True, within 1e-5: True
# CHECK: single linalg: shape (1, 3, 7, 7) == (1, 3, 7, 7): True, within 1e-5: True
errors("single bias of 5", single, [x, w, u(5)])
# CHECK: single bias of 5: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 2 (the bias of the conv_transpose2d at {{.*}}m.mlir:2:8): dim 0 is 5, expected 3 (the output channels (weight dim 1))

# The fuzzer's original module: a grouped first conv with a dynamic bias,
# then two more on its partly dynamic output.
chain = source("regress-dynamic-bias-chain.mlir")
x0, w0, b0, w1, w2 = u(1, 4, 4, 1), u(4, 1, 4, 1), u(2), u(2, 3, 3, 3), \
    u(3, 3, 3, 3)
ref = reference(x0, [
    (w0, b0, dict(stride=(4, 1), padding=(3, 0), output_padding=(1, 0),
                  dilation=(2, 1), groups=2)),
    (w1, None, dict(stride=3, padding=2, output_padding=2, dilation=2)),
    (w2, None, dict(stride=3, padding=(2, 1), output_padding=2,
                    dilation=2))])
check("chain", chain, [x0, w0, b0, w1, w2], ref)
# CHECK: chain kernels: shape (1, 3, [[H:[0-9]+]], [[W:[0-9]+]]) == (1, 3, [[H]], [[W]]): True, within 1e-5: True
# CHECK: chain linalg: shape (1, 3, [[H]], [[W]]) == (1, 3, [[H]], [[W]]): True, within 1e-5: True
errors("chain bias of 3", chain, [x0, w0, u(3), w1, w2])
# CHECK: chain bias of 3: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 2 (the bias of the conv_transpose2d at {{.*}}m.mlir:2:9): dim 0 is 3, expected 2 (the output channels (weight dim 1 * groups 2))

# A dynamic weight: its channels come from the input and the bias.
dyn_weight = """func.func @main(%x: tensor<1x4x5x5xf32>, %w: tensor<?x?x3x3xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<?x?x3x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
"""
x, w, b = u(1, 4, 5, 5), u(4, 3, 3, 3), u(6)
check("dyn-weight", dyn_weight, [x, w, b],
      reference(x, [(w, b, dict(groups=2))]))
# CHECK: dyn-weight kernels: shape (1, 6, 7, 7) == (1, 6, 7, 7): True, within 1e-5: True
# CHECK: dyn-weight linalg: shape (1, 6, 7, 7) == (1, 6, 7, 7): True, within 1e-5: True
errors("dyn-weight dim 0", dyn_weight, [x, u(2, 3, 3, 3), b])
# CHECK: dyn-weight dim 0: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 1 (the weight of the conv_transpose2d at {{.*}}m.mlir:2:8): dim 0 is 2, expected 4 (the input channels)
errors("dyn-weight dim 1", dyn_weight, [x, u(4, 2, 3, 3), b])
# CHECK: dyn-weight dim 1: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 1 (the weight of the conv_transpose2d at {{.*}}m.mlir:2:8): dim 1 is 2 (times 2: 4), expected 6 (the bias length)

# Dynamic input channels, batch and bias against a static result type.
dyn_input = """func.func @main(%x: tensor<?x?x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<?xf32>) -> tensor<2x3x7x7xf32> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<?x?x5x5xf32>, tensor<4x3x3x3xf32>, tensor<?xf32>) -> tensor<2x3x7x7xf32>
  return %y : tensor<2x3x7x7xf32>
}
"""
x, w, b = u(2, 4, 5, 5), u(4, 3, 3, 3), u(3)
check("dyn-input", dyn_input, [x, w, b], reference(x, [(w, b, {})]))
# CHECK: dyn-input kernels: shape (2, 3, 7, 7) == (2, 3, 7, 7): True, within 1e-5: True
# CHECK: dyn-input linalg: shape (2, 3, 7, 7) == (2, 3, 7, 7): True, within 1e-5: True
errors("dyn-input channels", dyn_input, [u(2, 3, 5, 5), w, b])
# CHECK: dyn-input channels: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 0 (the input of the conv_transpose2d at {{.*}}m.mlir:2:8): dim 1 is 3, expected 4 (the weight's dim 0)
errors("dyn-input batch", dyn_input, [u(1, 4, 5, 5), w, b])
# CHECK: dyn-input batch: rc=1 lines=1 wrote=False flow-runner: error: @main: argument 0 (the input of the conv_transpose2d at {{.*}}m.mlir:2:8): dim 0 is 1, expected 2 (the result type's batch)
