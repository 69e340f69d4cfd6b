#!/usr/bin/env python3
"""The GPU check: flow's ahead-of-time CUDA kernels against PyTorch.

Run on the GPU host, inside the folder scripts/gpu-check.sh built:

    python3 check.py                 # CUDA libraries in cuda/
    python3 check.py --cpu           # CPU fallback: the libraries in cpu/
                                     # (built with gpu-check.sh --cpu), torch
                                     # on the CPU; checks the script itself

Needs only NumPy and PyTorch (flow_aot.py loads the libraries with ctypes).
For every entry it makes U(-1, 1) inputs, runs flow, and compares with
torch.nn.functional.conv_transpose2d in float64 (on the GPU, i.e. cuDNN's
double path; on the CPU with --cpu): it passes when
max|flow - ref| <= tol * max(1, max|ref|) (tol 1e-4, float32). For the
benchmark shapes it also times flow (its kernels, with CUDA events, and the
whole call including the host<->GPU copies) against conv_transpose2d on
float32 GPU tensors with TF32 off and cudnn.benchmark on (the median of
--runs after warm-up), and prints the table: pass, errors, ms, ratio to
cuDNN. Writes results.md and results.json next to this script (or --out).
Exit code 0 only when every comparison passed.
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import flow_aot  # noqa: E402  (a copy of python/flow_mlir/aot.py)


def make_inputs(cfg, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]))
    w = rng.uniform(-1, 1, (cfg["Cin"], cfg["Cout"] // cfg["groups"],
                            *cfg["kernel"]))
    arrays = [x.astype(np.float32), w.astype(np.float32)]
    if cfg["bias"]:
        arrays.append(rng.uniform(-1, 1, (cfg["Cout"],)).astype(np.float32))
    return arrays


def torch_conv(torch, cfg, tensors):
    bias = tensors[2] if cfg["bias"] else None
    return torch.nn.functional.conv_transpose2d(
        tensors[0], tensors[1], bias, stride=tuple(cfg["stride"]),
        padding=tuple(cfg["padding"]),
        output_padding=tuple(cfg["output_padding"]), groups=cfg["groups"],
        dilation=tuple(cfg["dilation"]))


def flops(cfg):
    return (2.0 * cfg["N"] * cfg["Cin"] * (cfg["Cout"] // cfg["groups"]) *
            cfg["H"] * cfg["W"] * cfg["kernel"][0] * cfg["kernel"][1])


def median(values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        return float("nan")
    return values[n // 2] if n % 2 else 0.5 * (values[n // 2 - 1] +
                                                values[n // 2])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpu", action="store_true",
                    help="CPU fallback: cpu/ libraries, torch on the CPU")
    ap.add_argument("--runs", type=int, default=20,
                    help="timed runs per shape (median)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--limit", type=int, default=0,
                    help="check only the first N differential entries")
    ap.add_argument("--only", choices=["differential", "shapes"])
    ap.add_argument("--libs", default=None,
                    help="folder of the libraries (default: cuda/, or cpu/ "
                    "with --cpu)")
    ap.add_argument("--out", default=HERE,
                    help="where to write results.md and results.json")
    args = ap.parse_args()

    import torch
    device = "cpu" if args.cpu else "cuda"
    if device == "cuda" and not torch.cuda.is_available():
        print("check.py: error: torch sees no CUDA device; on a machine "
              "without a GPU run 'check.py --cpu' (the CPU fallback)",
              file=sys.stderr)
        return 2
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    libdir = os.path.join(HERE, args.libs or ("cpu" if args.cpu else "cuda"))
    if not os.path.isdir(libdir):
        print(f"check.py: error: no {libdir} (gpu-check.sh builds cuda/; "
              "cpu/ only with --cpu)", file=sys.stderr)
        return 2
    with open(os.path.join(HERE, "configs.json")) as f:
        records = json.load(f)["entries"]
    if args.only:
        records = [r for r in records if
                   (r["kind"] == "shape") == (args.only == "shapes")]
    if args.limit:
        kept, n = [], 0
        for r in records:
            if r["kind"] == "differential":
                n += 1
                if n > args.limit:
                    continue
            kept.append(r)
        records = kept

    if device == "cuda":
        name = torch.cuda.get_device_name(0)
        cudnn = torch.backends.cudnn.version()
        header = (f"device: {name}; torch {torch.__version__}, cuDNN {cudnn}; "
                  "FP32, TF32 off, cudnn.benchmark on")
    else:
        cpu_name = platform.processor() or platform.machine()
        header = (f"device: CPU fallback ({cpu_name}, torch "
                  f"{torch.__version__}, {torch.get_num_threads()} threads)")
    print(header, flush=True)

    libraries, load_errors = {}, {}

    def library(name):
        if name in libraries or name in load_errors:
            return libraries.get(name)
        path = os.path.join(libdir, f"lib{name}.so")
        try:
            lib = flow_aot.load(path)
            lib.device_check()
            libraries[name] = lib
        except flow_aot.AotError as e:
            load_errors[name] = str(e)
            print(f"{name}: {e}", flush=True)
        return libraries.get(name)

    results = []
    counts = {"differential": [0, 0], "shape": [0, 0]}
    worst = {"differential": 0.0, "shape": 0.0}
    for r in records:
        cfg, kind = r["config"], r["kind"]
        seed = r.get("index", 1000 + len(results))
        arrays = make_inputs(cfg, seed)
        row = {"kind": kind, "entry": r["entry"], "name": r.get("name"),
               "config": cfg, "passed": False}
        counts[kind][1] += 1
        lib = library(r["library"])
        if lib is None:
            row["error"] = load_errors[r["library"]]
            results.append(row)
            continue
        fn = lib[r["entry"]]
        try:
            got = fn(*arrays)
        except flow_aot.AotError as e:
            row["error"] = str(e)
            print(f"FAIL {r['entry']} {cfg}: {e}", flush=True)
            results.append(row)
            continue
        t64 = [torch.from_numpy(a.astype(np.float64)).to(device)
               for a in arrays]
        ref = torch_conv(torch, cfg, t64).cpu().numpy()
        err = float(np.abs(got - ref).max()) if ref.size and \
            got.shape == ref.shape else 0.0
        scale = max(1.0, float(np.abs(ref).max()) if ref.size else 1.0)
        ok = got.shape == ref.shape and err <= args.tol * scale
        row.update(passed=ok, max_error=err, ref_max=scale)
        worst[kind] = max(worst[kind], err / scale)
        if ok:
            counts[kind][0] += 1
        else:
            print(f"MISMATCH {r['entry']} {cfg}: shape {got.shape} vs "
                  f"{ref.shape}, max error {err:.3g} (scale {scale:.3g})",
                  flush=True)
        if kind == "shape":
            t32 = [torch.from_numpy(a).to(device) for a in arrays]
            base = torch_conv(torch, cfg, t32).cpu().numpy()
            row["torch_fp32_error"] = float(np.abs(base - ref).max())
            # flow: kernels (CUDA events) and the whole call (wall clock).
            kernel_ms, call_ms = [], []
            for i in range(args.warmup + args.runs):
                start = time.perf_counter()
                _, ms = lib.kernel_time(fn, *arrays)
                wall = (time.perf_counter() - start) * 1e3
                if i >= args.warmup:
                    call_ms.append(wall)
                    if ms is not None:
                        kernel_ms.append(ms)
            # torch.nn.functional.conv_transpose2d, FP32.
            torch_ms = []
            for i in range(args.warmup + args.runs):
                if device == "cuda":
                    begin = torch.cuda.Event(enable_timing=True)
                    end = torch.cuda.Event(enable_timing=True)
                    begin.record()
                    torch_conv(torch, cfg, t32)
                    end.record()
                    end.synchronize()
                    ms = begin.elapsed_time(end)
                else:
                    start = time.perf_counter()
                    torch_conv(torch, cfg, t32)
                    ms = (time.perf_counter() - start) * 1e3
                if i >= args.warmup:
                    torch_ms.append(ms)
            flow_ms = median(kernel_ms) if kernel_ms else median(call_ms)
            row.update(flow_kernel_ms=median(kernel_ms) if kernel_ms else None,
                       flow_call_ms=median(call_ms), torch_ms=median(torch_ms),
                       ratio=flow_ms / median(torch_ms),
                       gflops_flow=flops(cfg) / flow_ms / 1e6,
                       gflops_torch=flops(cfg) / median(torch_ms) / 1e6)
        results.append(row)

    lines = []
    if counts["differential"][1]:
        lines.append(f"differential: {counts['differential'][0]}/"
                     f"{counts['differential'][1]} passed (max error / "
                     f"max(1, |ref|) = {worst['differential']:.3g}, "
                     f"tol {args.tol})")
    if counts["shape"][1]:
        lines.append(f"shapes: {counts['shape'][0]}/{counts['shape'][1]} "
                     f"passed (max error / max(1, |ref|) = "
                     f"{worst['shape']:.3g}, tol {args.tol})")
        what = "cuDNN" if device == "cuda" else "torch CPU"
        lines += ["",
                  f"| shape | pass | flow err | {what} FP32 err | "
                  f"flow kernels ms | flow call ms | {what} ms | "
                  f"flow/{what} | flow GFLOP/s | {what} GFLOP/s |",
                  "|---|---|---|---|---|---|---|---|---|---|"]

        def fmt(v, spec):
            return "-" if v is None or (isinstance(v, float) and
                                        math.isnan(v)) else format(v, spec)
        for row in results:
            if row["kind"] != "shape":
                continue
            lines.append(
                f"| {row['name']} | {'yes' if row['passed'] else 'NO'} | "
                f"{fmt(row.get('max_error'), '.2e')} | "
                f"{fmt(row.get('torch_fp32_error'), '.2e')} | "
                f"{fmt(row.get('flow_kernel_ms'), '.3f')} | "
                f"{fmt(row.get('flow_call_ms'), '.3f')} | "
                f"{fmt(row.get('torch_ms'), '.3f')} | "
                f"{fmt(row.get('ratio'), '.2f')} | "
                f"{fmt(row.get('gflops_flow'), '.4g')} | "
                f"{fmt(row.get('gflops_torch'), '.4g')} |")
        lines.append("")
        lines.append("flow/" + what + ": flow's kernel time (CUDA events; "
                     "the call time on the CPU) over " + what + "'s; "
                     "flow call ms includes the host<->GPU copies of "
                     "every argument and result.")
    for name, err in load_errors.items():
        lines.append(f"library {name}: {err}")
    text = "\n".join(lines)
    print("\n" + text)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(header + "\n\n" + text + "\n")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"header": header, "results": results}, f, indent=1)
    total = counts["differential"][1] + counts["shape"][1]
    passed = counts["differential"][0] + counts["shape"][0]
    print(f"\n{passed} passed, {total - passed} failed")
    return 0 if passed == total and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
