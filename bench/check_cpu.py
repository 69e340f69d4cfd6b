"""Correctness check of the CPU pipeline against PyTorch (float64), run
before committing pipeline changes (speed is the benchmark's business).

  check_cpu.py BUILD_DIR [--random N] [--medium N] [--jobs J] [--pipeline-opts S]

- N random configurations in OneFlow's autotest ranges (test/lib/convref.py;
  about 30% with dynamic N/H/W, some with batch 0), both strategies,
  max |flow - torch| <= 1e-4;
- N "medium" configurations (channels up to 48, sizes up to 40, kernels up to
  5, strides up to 4, f32 and f64, some dynamic batch) that exercise the
  kernel generator's channel/row/vector remainders, parallel tasks and
  copy-free paths, both strategies;
- every CPU shape of bench/shapes.json at batch 1, both strategies;
the last two with max |flow - torch| / (1 + |torch|) <= 1e-4.
Prints one line per group and exits non-zero on any mismatch.
"""

import argparse
import json
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "lib"))
import convref  # noqa: E402

STRATEGIES = ("phase", "zero-insert")


def medium_config(rng):
    while True:
        groups = rng.choice([1, 1, 1, 2, 3, 4])
        cfg = {
            "N": rng.randint(1, 3),
            "Cin": groups * rng.randint(1, 12),
            "Cout": groups * rng.randint(1, 12),
            "groups": groups,
            "H": rng.randint(1, 24), "W": rng.randint(1, 40),
            "kernel": [rng.randint(1, 5), rng.randint(1, 5)],
            "stride": [rng.randint(1, 4), rng.randint(1, 4)],
            "padding": [rng.randint(0, 3), rng.randint(0, 3)],
            "dilation": [rng.randint(1, 3), rng.randint(1, 3)],
            "bias": rng.random() < 0.8,
        }
        if rng.random() < 0.2:  # depthwise
            cfg["groups"] = cfg["Cin"] = cfg["Cout"] = rng.randint(1, 16)
        cfg["output_padding"] = [
            rng.randint(0, max(cfg["stride"][i], cfg["dilation"][i]) - 1)
            for i in range(2)]
        outs = [convref.out_size(cfg["H" if i == 0 else "W"], cfg["kernel"][i],
                                 cfg["stride"][i], cfg["padding"][i],
                                 cfg["output_padding"][i], cfg["dilation"][i])
                for i in range(2)]
        if min(outs) < 1 or max(outs) > 100:
            continue
        cfg["dynamic"] = rng.random() < 0.15
        return cfg


def bench_config(s):
    return {"N": 1, "Cin": s["Cin"], "Cout": s["Cout"], "groups": s["groups"],
            "H": s["H"], "W": s["W"], "kernel": list(s["kernel"]),
            "stride": list(s["stride"]), "padding": list(s["padding"]),
            "dilation": list(s["dilation"]),
            "output_padding": list(s["output_padding"]), "bias": True,
            "dynamic": False}


def check(tools, cfg, dtype, seed, strategy, relative, extra):
    arrays = convref.random_inputs(cfg, np.random.default_rng(seed),
                                   convref.DTYPES[dtype])
    ref = convref.torch_reference(cfg, arrays)
    mlir = convref.mlir_for(cfg, dtype)
    try:
        got = convref.run_flow(tools, mlir, arrays,
                               [f"--strategy={strategy}", *extra])
    except RuntimeError as e:
        return False, f"failed: {e}"
    if got.shape != ref.shape:
        return False, f"shape {got.shape} vs {ref.shape}"
    if ref.size == 0:
        return True, ""
    diff = np.abs(got.astype(np.float64) - ref)
    err = float((diff / (1 + np.abs(ref))).max() if relative else diff.max())
    return err <= 1e-4, f"max error {err:.3g}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build")
    p.add_argument("--random", type=int, default=120)
    p.add_argument("--medium", type=int, default=60)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--extra", default="",
                   help="extra flow-runner arguments, space-separated")
    args = p.parse_args()
    tools = os.path.join(args.build, "bin")
    extra = args.extra.split()

    groups = {}
    rng = random.Random(7)
    groups["random"] = [(convref.random_config(rng, allow_dynamic=True),
                         "f32", 100 + i, False) for i in range(args.random)]
    rng = random.Random(11)
    groups["medium"] = [(medium_config(rng),
                         "f64" if i % 5 == 4 else "f32", 500 + i, True)
                        for i in range(args.medium)]
    with open(os.path.join(HERE, "shapes.json")) as f:
        shapes = [s for s in json.load(f)["shapes"] if "cpu" in s["targets"]]
    groups["shapes@N=1"] = [(bench_config(s), "f32", 900 + i, True)
                            for i, s in enumerate(shapes)]

    failures = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        for name, items in groups.items():
            jobs = [(cfg, dt, seed, st, rel)
                    for cfg, dt, seed, rel in items for st in STRATEGIES]
            results = list(pool.map(
                lambda j: check(tools, j[0], j[1], j[2], j[3], j[4], extra),
                jobs))
            for st in STRATEGIES:
                ok = sum(1 for j, r in zip(jobs, results)
                         if j[3] == st and r[0])
                total = sum(1 for j in jobs if j[3] == st)
                print(f"{name} {st}: {ok}/{total} within 1e-4", flush=True)
            for j, r in zip(jobs, results):
                if not r[0]:
                    failures += 1
                    print(f"  MISMATCH {j[3]} {j[1]} {j[0]}: {r[1]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
