# REQUIRES: torch
# RUN: %python %s %flow_tools_dir %flow_src_root/test/lib 24 | FileCheck %s
# CHECK: f16 phase: 24/24 within bound
# CHECK: f16 zero-insert: 24/24 within bound
# CHECK: bf16 phase: 24/24 within bound
# CHECK: bf16 zero-insert: 24/24 within bound
"""Differential test of the half-precision types against torch's
conv_transpose2d in float64, over random configurations in OneFlow's
autotest ranges (some with dynamic N/H/W or batch 0), both lowerings.

f16 goes through .npy files as float16. bf16 has no .npy dtype, so the entry
takes and returns f32 and converts on tensors around the op (linalg.generic
with arith.truncf / arith.extf, round to nearest even, as torch's
.to(torch.bfloat16)); the reference gets the same rounded inputs.

The stated bound, per output element, with ref the float64 result on the
rounded inputs, S = sum of |x*w| (+|b|) over its terms and n its number of
terms: the lowering accumulates in f32 and rounds the sum once, so

    |flow - ref| <= u*|ref| + (1 + u)*n*2^-24*S + tiny

with u = 2^-11 (f16) or 2^-8 (bf16), the unit roundoff of the result type,
and tiny its smallest subnormal spacing (2^-24 for f16, 2^-133 for bf16):
the products of two f16/bf16 values are exact in f32, the f32 sum is off by
at most n*2^-24*S, and the final rounding adds at most u times the sum.
Accumulating in the narrow type instead would break it (about n*u*S).
Measured (24 configurations per type and lowering): the worst element is at
0.991 (f16) and 0.996 (bf16) of its bound, the final rounding's share, which
a correctly rounded result can reach; the f32 sum's share is small."""

import random
import sys

import numpy as np
import torch

tools_dir, lib_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, lib_dir)
import convref  # noqa: E402

UNIT = {"f16": 2.0 ** -11, "bf16": 2.0 ** -8}
TINY = {"f16": 2.0 ** -24, "bf16": 2.0 ** -133}


def to_bf16(a):
    """Rounds float32 values to bfloat16 (nearest even), back as float32."""
    return torch.from_numpy(a).to(torch.bfloat16).to(torch.float32).numpy()


def bf16_wrapper(cfg):
    """@main taking f32, converting to bf16 around the flow op."""
    x = [cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]]
    w = [cfg["Cin"], cfg["Cout"] // cfg["groups"]] + cfg["kernel"]
    dyn = [True, False, True, True] if cfg.get("dynamic") else [False] * 4
    shapes = [("x", x, dyn), ("w", w, [False] * 4)]
    if cfg["bias"]:
        shapes.append(("b", [cfg["Cout"]], [False]))

    def ty(dims, mask, elem):
        return "tensor<" + "x".join(
            "?" if m else str(d) for d, m in zip(dims, mask)) + f"x{elem}>"

    lines, operands, types = [], [], []
    for name, dims, mask in shapes:
        f32, b16 = ty(dims, mask, "f32"), ty(dims, mask, "bf16")
        rank = len(dims)
        ids = ", ".join(f"d{i}" for i in range(rank))
        parallel = ", ".join(['"parallel"'] * rank)
        dyn_sizes = ", ".join(f"%{name}d{i}" for i, m in enumerate(mask) if m)
        for i, m in enumerate(mask):
            if m:
                lines.append(f"  %c{name}{i} = arith.constant {i} : index")
                lines.append(f"  %{name}d{i} = tensor.dim %{name}, %c{name}{i}"
                             f" : {f32}")
        lines.append(f"  %{name}e = tensor.empty({dyn_sizes}) : {b16}")
        lines.append(
            f"  %{name}16 = linalg.generic {{indexing_maps = "
            f"[affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> ({ids})>],"
            f" iterator_types = [{parallel}]}}"
            f" ins(%{name} : {f32}) outs(%{name}e : {b16}) {{\n"
            f"  ^bb0(%a: f32, %o: bf16):\n"
            f"    %t = arith.truncf %a : f32 to bf16\n"
            f"    linalg.yield %t : bf16\n  }} -> {b16}")
        operands.append(f"%{name}16")
        types.append(b16)
    r16, r32 = "tensor<?x?x?x?xbf16>", "tensor<?x?x?x?xf32>"
    attrs = (f"stride = array<i64: {cfg['stride'][0]}, {cfg['stride'][1]}>, "
             f"padding = array<i64: {cfg['padding'][0]}, {cfg['padding'][1]}>, "
             f"output_padding = array<i64: {cfg['output_padding'][0]}, "
             f"{cfg['output_padding'][1]}>, "
             f"dilation = array<i64: {cfg['dilation'][0]}, "
             f"{cfg['dilation'][1]}>, groups = {cfg['groups']}")
    lines.append(f"  %y = flow.conv_transpose2d {', '.join(operands)} "
                 f"{{{attrs}}} : ({', '.join(types)}) -> {r16}")
    ids = "d0, d1, d2, d3"
    for i in range(4):
        lines.append(f"  %cy{i} = arith.constant {i} : index")
        lines.append(f"  %yd{i} = tensor.dim %y, %cy{i} : {r16}")
    lines.append(f"  %ye = tensor.empty(%yd0, %yd1, %yd2, %yd3) : {r32}")
    lines.append(
        f"  %y32 = linalg.generic {{indexing_maps = "
        f"[affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> ({ids})>],"
        f" iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        f"\"parallel\"]}} ins(%y : {r16}) outs(%ye : {r32}) {{\n"
        f"  ^bb0(%a: bf16, %o: f32):\n"
        f"    %e = arith.extf %a : bf16 to f32\n"
        f"    linalg.yield %e : f32\n  }} -> {r32}")
    args = ", ".join(f"%{name}: {ty(dims, mask, 'f32')}"
                     for name, dims, mask in shapes)
    return (f"func.func @main({args}) -> {r32} {{\n" + "\n".join(lines) +
            f"\n  return %y32 : {r32}\n}}\n")


def reference(cfg, arrays):
    """(float64 result, S, n) on the given (already rounded) inputs."""
    ref = convref.torch_reference(cfg, arrays)
    absolute = convref.torch_reference(cfg, [np.abs(a) for a in arrays])
    ones = [np.ones_like(a) for a in arrays]
    terms = convref.torch_reference(cfg, ones)  # terms per output (+1 bias)
    return ref, absolute, terms


def within(got, ref, absolute, terms, elem):
    if got.shape != ref.shape:
        return False, float("inf")
    if ref.size == 0:
        return True, 0.0
    bound = (UNIT[elem] * np.abs(ref) +
             (1 + UNIT[elem]) * terms * 2.0 ** -24 * absolute + TINY[elem])
    err = np.abs(got.astype(np.float64) - ref)
    return bool((err <= bound).all()), float((err / bound).max())


rng = random.Random(16)
nrng = np.random.default_rng(16)
passed = {(e, s): 0 for e in ("f16", "bf16") for s in ("phase", "zero-insert")}
worst = {k: 0.0 for k in passed}
for i in range(count):
    for elem in ("f16", "bf16"):
        cfg = convref.random_config(rng, allow_dynamic=True)
        if elem == "f16":
            arrays = convref.random_inputs(cfg, nrng, np.float16)
            mlir = convref.mlir_for(cfg, "f16")
        else:
            arrays = [to_bf16(a)
                      for a in convref.random_inputs(cfg, nrng, np.float32)]
            mlir = bf16_wrapper(cfg)
        ref, absolute, terms = reference(cfg, arrays)
        for strategy in ("phase", "zero-insert"):
            got = convref.run_flow(tools_dir, mlir, arrays,
                                   [f"--strategy={strategy}"])
            ok, ratio = within(got, ref, absolute, terms, elem)
            worst[(elem, strategy)] = max(worst[(elem, strategy)], ratio)
            if ok:
                passed[(elem, strategy)] += 1
            else:
                print(f"MISMATCH {elem} {strategy} {cfg}: shape {got.shape} "
                      f"vs {ref.shape}, error/bound {ratio:.3g}")
for (elem, strategy), n in passed.items():
    print(f"{elem} {strategy}: {n}/{count} within bound "
          f"(worst error/bound {worst[(elem, strategy)]:.3f})")
