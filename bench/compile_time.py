"""Compile-time benchmark (scripts/bench.sh --compile runs it).

For every shape of bench/shapes.json and both targets (whatever targets the
shape is run on in the speed benchmark), compiles the shape's
flow module with `flow-runner --compile-only --compile-stats` in a fresh
process, twice in a fresh compile-cache directory: cold (a miss: the whole
compilation) and cached (a hit: the stored object is found, nothing is
lowered or compiled). Compile-only: the code is not loaded, so the CUDA
target (to the fatbin, ptxas from the CUDA toolkit) needs no GPU. The split:
  front    parsing the module and reading the entry's signature
  lower    the MLIR pass pipeline (flow -> ... -> LLVM dialect), of which
  device   gpu-module-to-binary: NVPTX code generation, ptxas, fatbinary
  llvm     LLVM IR translation, -O3 and host code generation
  cache    the cache's key, lookup (read + checksum) and store
Each figure is the median of --rounds runs (processes). Prints a table and
writes BUILD/bench/bench-compile.json.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_bench import cpu_model, mlir_for  # noqa: E402

LINE = re.compile(r"compile: cache=(\w+) (.*)")
FIELDS = ("front_ms", "lower_ms", "device_binary_ms", "llvm_ms", "cache_ms",
          "total_ms")


def compile_once(runner, path, target, cache_dir, timeout):
    env = dict(os.environ, FLOW_CACHE_DIR=cache_dir)
    env.pop("FLOW_CACHE_MAX_BYTES", None)
    start = time.perf_counter()
    proc = subprocess.run([runner, path, f"--target={target}",
                           "--compile-only", "--compile-stats"],
                          capture_output=True, text=True, env=env,
                          timeout=timeout)
    wall = (time.perf_counter() - start) * 1e3
    m = LINE.search(proc.stdout)
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"flow-runner failed on {path} ({target}):\n"
                           f"{proc.stdout}{proc.stderr}")
    stats = dict(kv.split("=") for kv in m.group(2).split())
    stats = {k: float(v) for k, v in stats.items()}
    stats["cache"] = m.group(1)
    stats["process_ms"] = wall
    return stats


def median_stats(runs):
    return {k: statistics.median(r[k] for r in runs)
            for k in runs[0] if k != "cache"}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", required=True, help="flow-mlir build dir")
    p.add_argument("--shapes", default=os.path.join(HERE, "shapes.json"))
    p.add_argument("--only", default="", help="comma-separated shape names")
    p.add_argument("--targets", default="cpu,cuda")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--out", default=None,
                   help="output directory (default BUILD/bench)")
    args = p.parse_args()
    runner = os.path.join(args.build, "bin", "flow-runner")
    with open(args.shapes) as f:
        shapes = json.load(f)["shapes"]
    if args.only:
        names = set(args.only.split(","))
        shapes = [s for s in shapes if s["name"] in names]
    targets = [t for t in args.targets.split(",") if t]
    results = []
    work = tempfile.mkdtemp(prefix="flow-compile-bench-")
    try:
        for target in targets:
            for s in shapes:
                path = os.path.join(work, f"{s['name']}.mlir")
                with open(path, "w") as f:
                    f.write(mlir_for(s))
                cold, cached = [], []
                for r in range(args.rounds):
                    cache_dir = os.path.join(work, f"cache-{target}-{r}")
                    shutil.rmtree(cache_dir, ignore_errors=True)
                    first = compile_once(runner, path, target, cache_dir,
                                         args.timeout)
                    second = compile_once(runner, path, target, cache_dir,
                                          args.timeout)
                    if first["cache"] != "miss" or second["cache"] != "hit":
                        raise RuntimeError(f"{s['name']} ({target}): expected "
                                           "a miss then a hit, got "
                                           f"{first['cache']}, "
                                           f"{second['cache']}")
                    cold.append(first)
                    cached.append(second)
                row = {"shape": s["name"], "target": target,
                       "cold": median_stats(cold),
                       "cached": median_stats(cached)}
                results.append(row)
                c, h = row["cold"], row["cached"]
                print(f"{s['name']:10} {target:4}  cold: total {c['total_ms']:8.1f}"
                      f" ms = lower {c['lower_ms']:8.1f} (device "
                      f"{c['device_binary_ms']:7.1f}) + llvm "
                      f"{c['llvm_ms']:7.1f} + other "
                      f"{c['total_ms'] - c['lower_ms'] - c['llvm_ms']:6.1f}"
                      f"   cached: total {h['total_ms']:6.1f} ms", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {"host": platform.node(), "cpu": cpu_model(),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "rounds": args.rounds, "fields_ms": list(FIELDS),
              "results": results}
    out_dir = args.out or os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    json_path = os.path.join(out_dir, "bench-compile.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {json_path}")


if __name__ == "__main__":
    main()
