"""Helpers shared by the Python-driven lit tests: random ConvTranspose2d
configurations in OneFlow's autotest ranges, MLIR text for them, and the
PyTorch reference (float64) that no one here wrote."""

import os
import random
import subprocess
import tempfile

import numpy as np

DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64}


def out_size(i, k, s, p, op, d):
    return (i - 1) * s - 2 * p + d * (k - 1) + op + 1


def random_config(rng, max_batch=3, allow_dynamic=False):
    """A valid configuration in OneFlow's autotest ranges (channels 1-6 per
    group, kernel 1-4, stride 1-3, padding 0-3, dilation 1-5, groups 1-5)."""
    while True:
        groups = rng.randint(1, 5)
        cfg = {
            "N": rng.randint(0 if rng.random() < 0.05 else 1, max_batch),
            "Cin": groups * rng.randint(1, 3),
            "Cout": groups * rng.randint(1, 3),
            "groups": groups,
            "H": rng.randint(1, 12), "W": rng.randint(1, 12),
            "kernel": [rng.randint(1, 4), rng.randint(1, 4)],
            "stride": [rng.randint(1, 3), rng.randint(1, 3)],
            "padding": [rng.randint(0, 3), rng.randint(0, 3)],
            "dilation": [rng.randint(1, 5), rng.randint(1, 5)],
            "bias": rng.random() < 0.7,
        }
        cfg["output_padding"] = [
            rng.randint(0, max(cfg["stride"][i], cfg["dilation"][i]) - 1)
            for i in range(2)]
        outs = [out_size(cfg["H" if i == 0 else "W"], cfg["kernel"][i],
                         cfg["stride"][i], cfg["padding"][i],
                         cfg["output_padding"][i], cfg["dilation"][i])
                for i in range(2)]
        if min(outs) < 1 or max(outs) > 40:
            continue
        cfg["dynamic"] = allow_dynamic and rng.random() < 0.3
        return cfg


def _shape(dims, dyn_mask=None):
    return "x".join("?" if dyn_mask and dyn_mask[i] else str(d)
                    for i, d in enumerate(dims))


def mlir_for(cfg, dtype="f32"):
    """The entry @main computing cfg's conv_transpose2d with flow."""
    x = [cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]]
    w = [cfg["Cin"], cfg["Cout"] // cfg["groups"]] + cfg["kernel"]
    dyn = [True, False, True, True] if cfg.get("dynamic") else None
    xt = f"tensor<{_shape(x, dyn)}x{dtype}>"
    wt = f"tensor<{_shape(w)}x{dtype}>"
    bt = f"tensor<{cfg['Cout']}x{dtype}>"
    rt = f"tensor<?x?x?x?x{dtype}>"
    attrs = (f"stride = array<i64: {cfg['stride'][0]}, {cfg['stride'][1]}>, "
             f"padding = array<i64: {cfg['padding'][0]}, {cfg['padding'][1]}>, "
             f"output_padding = array<i64: {cfg['output_padding'][0]}, "
             f"{cfg['output_padding'][1]}>, "
             f"dilation = array<i64: {cfg['dilation'][0]}, {cfg['dilation'][1]}>, "
             f"groups = {cfg['groups']}")
    args = [f"%x: {xt}", f"%w: {wt}"]
    operands, types = "%x, %w", f"{xt}, {wt}"
    if cfg["bias"]:
        args.append(f"%b: {bt}")
        operands += ", %b"
        types += f", {bt}"
    return (f"func.func @main({', '.join(args)}) -> {rt} {{\n"
            f"  %y = flow.conv_transpose2d {operands} {{{attrs}}}\n"
            f"       : ({types}) -> {rt}\n"
            f"  return %y : {rt}\n}}\n")


def random_inputs(cfg, rng_np, dtype=np.float32):
    x = rng_np.uniform(-1, 1, (cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]))
    w = rng_np.uniform(-1, 1, (cfg["Cin"], cfg["Cout"] // cfg["groups"],
                               *cfg["kernel"]))
    arrays = [x.astype(dtype), w.astype(dtype)]
    if cfg["bias"]:
        arrays.append(rng_np.uniform(-1, 1, (cfg["Cout"],)).astype(dtype))
    return arrays


def torch_reference(cfg, arrays):
    """torch.nn.functional.conv_transpose2d in float64."""
    import torch
    t = [torch.from_numpy(a.astype(np.float64)) for a in arrays]
    bias = t[2] if cfg["bias"] else None
    return torch.nn.functional.conv_transpose2d(
        t[0], t[1], bias, stride=tuple(cfg["stride"]),
        padding=tuple(cfg["padding"]),
        output_padding=tuple(cfg["output_padding"]), groups=cfg["groups"],
        dilation=tuple(cfg["dilation"])).numpy()


def run_runner(tools_dir, mlir, arrays, extra=(), output=True):
    """Runs flow-runner on the MLIR text `mlir` with `arrays` as --input
    files; returns (the result array or None, flow-runner's stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "m.mlir")
        with open(src, "w") as f:
            f.write(mlir)
        cmd = [os.path.join(tools_dir, "flow-runner"), src]
        for i, a in enumerate(arrays):
            path = os.path.join(tmp, f"in{i}.npy")
            np.save(path, a)
            cmd.append(f"--input={path}")
        out = os.path.join(tmp, "out.npy")
        if output:
            cmd.append(f"--output={out}")
        proc = subprocess.run([*cmd, *extra], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"flow-runner failed: {proc.stderr}\n{mlir}")
        return (np.load(out) if output else None), proc.stdout


def run_flow(tools_dir, mlir, arrays, extra=()):
    """Runs flow-runner on `mlir` with `arrays`; returns the result array."""
    return run_runner(tools_dir, mlir, arrays, extra)[0]


def seed_case():
    """The seed's example, nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1),
    padding=(4, 2)) with bias on a 20x16x50x100 input: its configuration and
    arrays (inputs U(-1, 1), weight and bias at PyTorch's init scale)."""
    cfg = {"stride": [2, 1], "padding": [4, 2], "output_padding": [0, 0],
           "dilation": [1, 1], "groups": 1, "bias": True}
    rng = np.random.default_rng(0)
    bound = 1 / np.sqrt(33 * 3 * 5)
    x = rng.uniform(-1, 1, (20, 16, 50, 100)).astype(np.float32)
    w = rng.uniform(-bound, bound, (16, 33, 3, 5)).astype(np.float32)
    b = rng.uniform(-bound, bound, (33,)).astype(np.float32)
    return cfg, [x, w, b]


def differential(tools_dir, count, extra=()):
    """Random configurations in OneFlow's autotest ranges (about 30% with
    dynamic N/H/W, some with batch 0) through flow-runner with both
    lowerings, against torch_reference. Prints a MISMATCH line per failure;
    returns {strategy: configurations within TOL}."""
    rng = random.Random(42)
    nrng = np.random.default_rng(42)
    passed = {"phase": 0, "zero-insert": 0}
    for _ in range(count):
        cfg = random_config(rng, allow_dynamic=True)
        arrays = random_inputs(cfg, nrng)
        ref = torch_reference(cfg, arrays)
        mlir = mlir_for(cfg)
        for strategy in passed:
            got = run_flow(tools_dir, mlir, arrays,
                           [*extra, f"--strategy={strategy}"])
            err = float(np.abs(got - ref).max()) if ref.size else 0.0
            if got.shape == ref.shape and err <= DIFFERENTIAL_TOL:
                passed[strategy] += 1
            else:
                print(f"MISMATCH {strategy} {cfg}: shape {got.shape} vs "
                      f"{ref.shape}, max error {err}")
    return passed


# f32 bound of differential(): values are O(1) (inputs and weights U(-1, 1),
# at most 6*4*4 products per output).
DIFFERENTIAL_TOL = 1e-4
