# REQUIRES: torch
# RUN: %python %s %flow_tools_dir 1300 | FileCheck %s
# CHECK: valid configurations: {{[0-9]+}}, shapes equal to torch: all
# CHECK: invalid configurations: {{[0-9]+}}, rejected by both: all
# CHECK: flow-opt exit code: 1
# CHECK-NOT: {{.}}
"""Compares the result shape flow-infer-shapes computes for random
conv_transpose2d configurations with the one torch.nn.functional
.conv_transpose2d produces (an oracle no one here wrote), and checks that
configurations torch rejects are rejected by the verifier too, with an error
that names the problem torch names (flow-opt exits 1 then, 0 otherwise)."""

import random
import re
import subprocess
import sys

import torch

tools_dir, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261126)


def config():
    g = rng.randint(1, 5)
    c = {
        "N": rng.choice([0, 1, 1, 2, 3]),
        "Cin": g * rng.randint(1, 3), "Cog": rng.randint(1, 3), "groups": g,
        "H": rng.randint(1, 20), "W": rng.randint(1, 20),
        "k": [rng.randint(1, 4), rng.randint(1, 4)],
        "s": [rng.randint(1, 3), rng.randint(1, 3)],
        "p": [rng.randint(0, 3), rng.randint(0, 3)],
        "d": [rng.randint(1, 5), rng.randint(1, 5)],
    }
    c["op"] = [rng.randint(0, max(c["s"][i], c["d"][i]) - 1) for i in range(2)]
    # One in six breaks a rule torch also enforces.
    broken = rng.randint(0, 5) == 0
    if broken:
        what = rng.choice(["op", "pad", "groups"])
        if what == "op":
            i = rng.randint(0, 1)
            c["op"][i] = max(c["s"][i], c["d"][i]) + rng.randint(0, 1)
        elif what == "pad":
            c["p"][rng.randint(0, 1)] += 12
        else:
            c["groups"] = g + 1 if (c["Cin"] % (g + 1)) else g + 2
            if c["Cin"] % c["groups"] == 0:
                c["groups"] = c["Cin"] + 1
    return c


def mlir(c, i):
    x = f"tensor<{c['N']}x{c['Cin']}x{c['H']}x{c['W']}xf32>"
    w = f"tensor<{c['Cin']}x{c['Cog']}x{c['k'][0]}x{c['k'][1]}xf32>"
    a = lambda v: f"array<i64: {v[0]}, {v[1]}>"
    # The op's location names its chunk in diagnostics: "f<i>:1:1: error".
    return (f"func.func @f{i}(%x: {x}, %w: {w}) -> tensor<?x?x?x?xf32> {{\n"
            f"  %y = flow.conv_transpose2d %x, %w {{stride = {a(c['s'])}, "
            f"padding = {a(c['p'])}, output_padding = {a(c['op'])}, "
            f"dilation = {a(c['d'])}, groups = {c['groups']}}}\n"
            f"       : ({x}, {w}) -> tensor<?x?x?x?xf32> loc(\"f{i}\":1:1)\n"
            f"  return %y : tensor<?x?x?x?xf32>\n}}\n")


def expected_errors(c, torch_error):
    """The verifier messages (substrings) that name the problem torch's
    error names; None when the error is not one this test knows."""
    if "output padding must be smaller than either stride or dilation" in \
            torch_error:
        return ["output_padding must be smaller than either stride or "
                "dilation"]
    m = re.search(r"Calculated output size per channel: \((-?\d+) x (-?\d+)\)"
                  r"\. Output size is too small", torch_error)
    if m:
        return [f"output {name} would be {size} (must be >= 1)"
                for name, size in zip(("height", "width"),
                                      (int(m.group(1)), int(m.group(2))))
                if size < 1]
    if re.search(r"expected weight to be (divisible by|at least) \d+ at "
                 r"dimension 0",
                 torch_error):
        return [f"input channels ({c['Cin']}) must be divisible by groups "
                f"({c['groups']})"]
    return None


def torch_shape(c):
    """torch's result shape, or its error message."""
    # torch skips its checks for an empty batch, so ask it with N >= 1; the
    # batch passes through unchanged.
    try:
        x = torch.zeros(max(c["N"], 1), c["Cin"], c["H"], c["W"])
        w = torch.zeros(c["Cin"], c["Cog"], *c["k"])
        y = torch.nn.functional.conv_transpose2d(
            x, w, stride=c["s"], padding=c["p"], output_padding=c["op"],
            groups=c["groups"], dilation=c["d"])
        return (c["N"],) + tuple(y.shape[1:]), None
    except RuntimeError as err:
        return None, str(err)


configs = [config() for _ in range(count)]
chunks = [mlir(c, i) for i, c in enumerate(configs)]
proc = subprocess.run(
    [f"{tools_dir}/flow-opt", "-", "--flow-infer-shapes", "--split-input-file"],
    input="\n// -----\n".join(chunks), capture_output=True, text=True)
# Each chunk's output (or nothing for a chunk that failed to verify).
inferred = {}
for m in re.finditer(r"func\.func @f(\d+)\(.*\) -> tensor<(\d+)x(\d+)x(\d+)x(\d+)xf32>",
                     proc.stdout):
    inferred[int(m.group(1))] = tuple(int(v) for v in m.group(2, 3, 4, 5))
# Each chunk's errors; every line of stderr must be one of them.
errors = {}
for line in proc.stderr.splitlines():
    m = re.match(r"f(\d+):1:1: error: '?flow\.conv_transpose2d'? op (.*)",
                 line)
    if m:
        errors.setdefault(int(m.group(1)), []).append(m.group(2))
    elif line.strip() and not re.match(r"f\d+:1:1: note: see current "
                                       r"operation: ", line):
        print(f"UNEXPECTED stderr line: {line}")

valid = invalid = shape_ok = reject_ok = 0
for i, c in enumerate(configs):
    expected, torch_error = torch_shape(c)
    if expected is not None:
        valid += 1
        if inferred.get(i) == expected and i not in errors:
            shape_ok += 1
        else:
            print(f"MISMATCH f{i}: {c} torch {expected} flow {inferred.get(i)}"
                  f" errors {errors.get(i)}")
        continue
    invalid += 1
    wanted = expected_errors(c, torch_error)
    got = errors.get(i, [])
    if wanted is None:
        print(f"UNMAPPED torch error for f{i}: {torch_error}")
    elif i in inferred:
        print(f"ACCEPTED f{i} that torch rejects: {c} -> {inferred[i]}")
    elif not all(any(w in g for g in got) for w in wanted):
        print(f"WRONG ERROR f{i}: {c}: torch says {torch_error!r}, expected "
              f"{wanted}, flow-opt says {got}")
    else:
        reject_ok += 1

print(f"valid configurations: {valid}, shapes equal to torch: "
      f"{'all' if shape_ok == valid else shape_ok}")
print(f"invalid configurations: {invalid}, rejected by both: "
      f"{'all' if reject_ok == invalid else reject_ok}")
print(f"flow-opt exit code: {proc.returncode}")
assert valid >= 1000, valid
assert invalid >= 100, invalid
assert shape_ok == valid and reject_ok == invalid, "see the lines above"
assert proc.returncode == 1, proc.returncode
