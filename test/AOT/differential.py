# REQUIRES: torch
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %flow_tools_dir %flow_src_root %t 40 | FileCheck %s
# CHECK: compiled 40 entries (phase) and 10 entries (zero-insert)
# CHECK-NEXT: phase: aot == jit (bitwise): 40/40
# CHECK-NEXT: phase: aot vs torch: 40/40 within 0.0001
# CHECK-NEXT: phase: jit vs torch: 40/40 within 0.0001
# CHECK-NEXT: zero-insert: aot == jit (bitwise): 10/10
# CHECK-NEXT: zero-insert: aot vs torch: 10/10 within 0.0001
# CHECK-NEXT: zero-insert: jit vs torch: 10/10 within 0.0001
# CHECK-NEXT: flow-aot-run == flow_mlir.load: 10/10
"""AOT against JIT on the differential configurations: the first COUNT
configurations of test/Integration/CPU/differential.py (same seeds: about 30%
with dynamic N/H/W, some with batch 0) compiled into one library per
strategy with flow-compile (one entry per configuration), called through the
Python loader (python/flow_mlir/aot.py, imported by path) and, for every
fourth, through flow-aot-run with .npy files. The AOT results must equal the
JIT's (flow-runner) bit for bit -- same pipeline, same CPU -- and both must be
within 1e-4 of torch's conv_transpose2d in float64."""

import importlib.util
import os
import random
import subprocess
import sys

import numpy as np

tools_dir, src_root, tmp, count = sys.argv[1:5]
count = int(count)
sys.path.insert(0, os.path.join(src_root, "test", "lib"))
import convref  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "flow_aot", os.path.join(src_root, "python", "flow_mlir", "aot.py"))
aot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(aot)

TOL = 1e-4
rng = random.Random(42)
nrng = np.random.default_rng(42)
cases = []
for i in range(count):
    cfg = convref.random_config(rng, allow_dynamic=True)
    arrays = convref.random_inputs(cfg, nrng)
    cases.append((cfg, arrays, convref.mlir_for(cfg)))


def entry(i, mlir):
    return mlir.replace("func.func @main(", f"func.func @c{i}(", 1)


def compile_library(name, indices, strategy):
    src = os.path.join(tmp, f"{name}.mlir")
    with open(src, "w") as f:
        f.write("\n".join(entry(i, cases[i][2]) for i in indices))
    lib = os.path.join(tmp, f"lib{name}.so")
    subprocess.run([os.path.join(tools_dir, "flow-compile"), src, "-o", lib,
                    f"--strategy={strategy}"], check=True)
    return aot.load(lib), lib


strategies = {"phase": list(range(count)),
              "zero-insert": list(range(max(1, count // 4)))}
libraries = {s: compile_library(s.replace("-", "_"), idx, s)
             for s, idx in strategies.items()}
print(f"compiled {len(strategies['phase'])} entries (phase) and "
      f"{len(strategies['zero-insert'])} entries (zero-insert)")

aot_results = {}
for strategy, indices in strategies.items():
    lib = libraries[strategy][0]
    same = aot_ok = jit_ok = 0
    for i in indices:
        cfg, arrays, mlir = cases[i]
        ref = convref.torch_reference(cfg, arrays)
        jit = convref.run_flow(tools_dir, mlir, arrays,
                               [f"--strategy={strategy}"])
        got = lib[f"c{i}"](*arrays)
        if strategy == "phase":
            aot_results[i] = got
        if got.shape == jit.shape and got.dtype == jit.dtype and \
                np.array_equal(got, jit):
            same += 1
        else:
            diff = (float(np.abs(got - jit).max())
                    if got.shape == jit.shape and got.size else None)
            print(f"AOT != JIT {strategy} c{i} {cfg}: shapes {got.shape} "
                  f"{jit.shape}, max difference {diff}")
        for name, val in (("aot", got), ("jit", jit)):
            err = (float(np.abs(val - ref).max())
                   if val.shape == ref.shape and ref.size else 0.0)
            ok = val.shape == ref.shape and err <= TOL
            if name == "aot":
                aot_ok += ok
            else:
                jit_ok += ok
            if not ok:
                print(f"MISMATCH {name} {strategy} c{i} {cfg}: shape "
                      f"{val.shape} vs {ref.shape}, max error {err}")
    n = len(indices)
    print(f"{strategy}: aot == jit (bitwise): {same}/{n}")
    print(f"{strategy}: aot vs torch: {aot_ok}/{n} within {TOL}")
    print(f"{strategy}: jit vs torch: {jit_ok}/{n} within {TOL}")

# The C++ loader on every fourth configuration.
runner_checks = runner_same = 0
lib_path = libraries["phase"][1]
for i in range(0, count, 4):
    cfg, arrays, _ = cases[i]
    cmd = [os.path.join(tools_dir, "flow-aot-run"), lib_path, "-e", f"c{i}"]
    for k, a in enumerate(arrays):
        path = os.path.join(tmp, f"c{i}_in{k}.npy")
        np.save(path, a)
        cmd.append(f"--input={path}")
    out = os.path.join(tmp, f"c{i}_out.npy")
    cmd.append(f"--output={out}")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    runner_checks += 1
    if proc.returncode == 0:
        got = np.load(out)
        if got.shape == aot_results[i].shape and \
                np.array_equal(got, aot_results[i]):
            runner_same += 1
            continue
    print(f"flow-aot-run differs on c{i}: {proc.stderr.strip()}")
print(f"flow-aot-run == flow_mlir.load: {runner_same}/{runner_checks}")
