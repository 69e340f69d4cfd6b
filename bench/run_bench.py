"""flow-mlir CPU benchmark driver (scripts/bench.sh runs it).

For each shape of bench/shapes.json whose targets include the chosen target,
times in one run, side by side:
  flow          the CPU JIT's compiled function, default strategy (phase):
                bench/flow_bench.cpp (flow's CPU pipeline and ExecutionEngine
                set-up; a call allocates, computes and returns the result)
  flow-zi       the same with strategy=zero-insert
  oneDNN        bench/deconv_onednn.cpp (deconvolution_forward, NCHW in/out)
  PyTorch       torch.nn.functional.conv_transpose2d
  flow-runner   flow-runner --benchmark (phase): the compiled function plus
                the runner copying the result into a fresh host array
All systems run with glibc malloc keeping freed blocks (MALLOC_MMAP_THRESHOLD_
and MALLOC_TRIM_THRESHOLD_ raised), so that a result allocated per call (flow,
PyTorch) is not a fresh mmap with page faults every time.
Every system is run in several interleaved rounds (so that load changes on a
shared machine hit all of them alike); each round reports the median of its
timed runs after a warm-up, and the figure is the median over rounds. The
machine's FP32 FMA peak (bench/fma_peak.cpp) is measured before and after
(the larger of its wall-clock rate and its rate per CPU-second, so that a
loaded machine does not lower it). Besides wall-clock times, flow-bench and
deconv-onednn report the process CPU time per call: the table's last column
gives flow's useful FLOPs per CPU-second against the peak per CPU-second of
one thread, a figure that load on a shared machine disturbs much less.
Prints a table (ms, GFLOP/s, ratio oneDNN time / system time) and writes
JSON and a PNG chart.
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"median_ms=([0-9.eE+-]+) min_ms=([0-9.eE+-]+)")

SYSTEMS = [
    ("flow", "flow (phase)"),
    ("flow-zi", "flow (zero-insert)"),
    ("onednn", "oneDNN 2.6"),
    ("torch", "PyTorch"),
    ("flow-runner", "flow-runner end to end (phase)"),
]
CPU_MS = re.compile(r"cpu_ms_per_run=([0-9.eE+-]+)")


def flops(s):
    cog = s["Cout"] // s["groups"]
    return 2.0 * s["N"] * s["Cin"] * cog * s["H"] * s["W"] * \
        s["kernel"][0] * s["kernel"][1]


def out_size(s, i):
    inp = s["H"] if i == 0 else s["W"]
    return ((inp - 1) * s["stride"][i] - 2 * s["padding"][i] +
            s["dilation"][i] * (s["kernel"][i] - 1) +
            s["output_padding"][i] + 1)


def shape_args(s):
    return [s["N"], s["Cin"], s["H"], s["W"], s["Cout"], s["kernel"][0],
            s["kernel"][1], s["stride"][0], s["stride"][1], s["padding"][0],
            s["padding"][1], s["output_padding"][0], s["output_padding"][1],
            s["dilation"][0], s["dilation"][1], s["groups"]]


def mlir_for(s):
    x = f"tensor<{s['N']}x{s['Cin']}x{s['H']}x{s['W']}xf32>"
    w = (f"tensor<{s['Cin']}x{s['Cout'] // s['groups']}x"
         f"{s['kernel'][0]}x{s['kernel'][1]}xf32>")
    b = f"tensor<{s['Cout']}xf32>"
    y = f"tensor<{s['N']}x{s['Cout']}x{out_size(s, 0)}x{out_size(s, 1)}xf32>"
    def pair(k):
        return f"array<i64: {s[k][0]}, {s[k][1]}>"
    return (f"func.func @main(%x: {x}, %w: {w}, %b: {b}) -> {y} {{\n"
            f"  %y = flow.conv_transpose2d %x, %w, %b {{stride = "
            f"{pair('stride')}, padding = {pair('padding')}, output_padding = "
            f"{pair('output_padding')}, dilation = {pair('dilation')}, "
            f"groups = {s['groups']}}} : ({x}, {w}, {b}) -> {y}\n"
            f"  return %y : {y}\n}}\n")


def run_line(cmd, env, timeout):
    """Runs cmd; returns (median_ms, min_ms, full line) or raises."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=timeout)
    out = proc.stdout + proc.stderr
    m = None
    for line in out.splitlines():
        mm = LINE.search(line)
        if mm:
            m, text = mm, line
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{out}")
    return float(m.group(1)), float(m.group(2)), text.strip()


def cpu_ms(line):
    m = CPU_MS.search(line)
    return float(m.group(1)) if m else None


class Runner:
    def __init__(self, args, env):
        self.args, self.env = args, env
        self.tmp = tempfile.mkdtemp(prefix="flow-bench-")

    def command(self, system, s, runs):
        a = self.args
        nums = [str(v) for v in shape_args(s)]
        if system in ("flow", "flow-zi", "flow-runner"):
            path = os.path.join(self.tmp, f"{s['name']}.mlir")
            if not os.path.exists(path):
                with open(path, "w") as f:
                    f.write(mlir_for(s))
            if system == "flow-runner":
                return [os.path.join(a.build, "bin", "flow-runner"), path,
                        "--random-inputs=1", f"--benchmark={runs}"]
            cmd = [os.path.join(a.build, "bin", "flow-bench"), path,
                   f"--runs={runs}", f"--warmup={a.warmup}"]
            if system == "flow-zi":
                cmd.append("--strategy=zero-insert")
            return cmd
        if system == "onednn":
            return [os.path.join(a.build, "bin", "deconv-onednn"), *nums,
                    f"--runs={runs}", f"--warmup={a.warmup}"]
        return [sys.executable, os.path.join(HERE, "deconv_torch.py"), *nums,
                f"--runs={runs}", f"--warmup={a.warmup}",
                f"--threads={a.threads}"]

    def measure(self, system, s, runs):
        return run_line(self.command(system, s, runs), self.env,
                        self.args.timeout)


def measure_peak(args, env):
    exe = os.path.join(args.build, "bin", "fma-peak")
    proc = subprocess.run([exe, f"--threads={args.threads}"],
                          capture_output=True, text=True, env=env)
    m = re.search(r"gflops=([0-9.]+).*vector_bits=(\d+) cpu_gflops=([0-9.]+)",
                  proc.stdout)
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"fma-peak failed: {proc.stdout}{proc.stderr}")
    return float(m.group(1)), int(m.group(2)), float(m.group(3))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def chart(path, results, peak, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [r["name"] for r in results]
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(names) + 3), 5.2))
    width = 0.8 / len(SYSTEMS)
    colors = ["#1f77b4", "#9ecae1", "#d62728", "#7f7f7f", "#c7e9c0"]
    for k, (key, label) in enumerate(SYSTEMS):
        xs, ys = [], []
        for i, r in enumerate(results):
            g = r["systems"].get(key, {}).get("gflops")
            if g:
                xs.append(i - 0.4 + width * (k + 0.5))
                ys.append(g)
        bars = ax.bar(xs, ys, width, label=label, color=colors[k])
        for x, y in zip(xs, ys):
            ax.text(x, y * 1.05, f"{y:.0f}" if y >= 10 else f"{y:.1f}",
                    ha="center", va="bottom", fontsize=7, rotation=90)
    ax.axhline(peak, color="black", linestyle="--", linewidth=1)
    ax.text(len(names) - 0.5, peak * 1.05, f"measured FP32 peak {peak:.0f}",
            ha="right", va="bottom", fontsize=8)
    ax.axhline(0.6 * peak, color="black", linestyle=":", linewidth=0.8)
    ax.text(len(names) - 0.5, 0.6 * peak * 1.05, "60% of peak", ha="right",
            va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.set_ylim(bottom=0.5, top=peak * 3)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names)
    ax.set_ylabel("GFLOP/s (useful FLOPs, log scale)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--target", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--build", required=True, help="flow-mlir build dir")
    p.add_argument("--shapes", default=os.path.join(HERE, "shapes.json"))
    p.add_argument("--only", default="", help="comma-separated shape names")
    p.add_argument("--systems", default=",".join(k for k, _ in SYSTEMS))
    p.add_argument("--runs", type=int, default=10,
                   help="timed runs per round (fewer for slow systems)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--budget", type=float, default=8.0,
                   help="seconds of timed runs per system, shape and round")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--out", default=None,
                   help="output dir for JSON and PNG (default BUILD/bench)")
    args = p.parse_args()
    if args.target != "cpu":
        print("bench: only --target cpu is implemented here "
              "(the CUDA benchmark runs on the GPU host)", file=sys.stderr)
        return 2

    with open(args.shapes) as f:
        shapes = [s for s in json.load(f)["shapes"]
                  if args.target in s["targets"]]
    if args.only:
        wanted = args.only.split(",")
        shapes = [s for s in shapes if s["name"] in wanted]
    systems = args.systems.split(",")
    out_dir = args.out or os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               MALLOC_MMAP_THRESHOLD_=str(1 << 32),
               MALLOC_TRIM_THRESHOLD_=str(1 << 32))
    runner = Runner(args, env)

    load0 = os.getloadavg()
    peak0, bits, cpu_peak0 = measure_peak(args, env)
    results = []
    for s in shapes:
        f = flops(s)
        # A probe run per system sets the runs per round within the budget.
        runs = {}
        for sysname in systems:
            med, _, _ = runner.measure(sysname, s, 1)
            runs[sysname] = max(1, min(args.runs,
                                       int(args.budget * 1e3 / max(med, 1e-3))))
        per = {k: [] for k in systems}
        mins = {k: [] for k in systems}
        cpus = {k: [] for k in systems}
        lines = {}
        for _ in range(args.rounds):
            for sysname in systems:
                med, mn, text = runner.measure(sysname, s, runs[sysname])
                per[sysname].append(med)
                mins[sysname].append(mn)
                lines[sysname] = text
                if cpu_ms(text) is not None:
                    cpus[sysname].append(cpu_ms(text))
        entry = {"name": s["name"], "shape": s, "flops": f, "systems": {}}
        for sysname in systems:
            med = statistics.median(per[sysname])
            entry["systems"][sysname] = {
                "median_ms": med, "min_ms": min(mins[sysname]),
                "round_medians_ms": per[sysname], "runs_per_round":
                runs[sysname], "gflops": f / (med * 1e-3) / 1e9,
                "cpu_ms_per_run": statistics.median(cpus[sysname])
                if cpus[sysname] else None,
                "last_line": lines[sysname]}
        results.append(entry)
        print(f"# {s['name']}: " + ", ".join(
            f"{k} {entry['systems'][k]['median_ms']:.3f} ms"
            for k in systems), flush=True)
    peak1, _, cpu_peak1 = measure_peak(args, env)
    load1 = os.getloadavg()
    cpu_peak = max(cpu_peak0, cpu_peak1)
    # The machine's peak: on a loaded machine the FMA loop's wall-clock rate
    # drops with the share of the cores it gets, its rate per CPU-second
    # does not; the larger (stricter) figure is the one %peak refers to.
    peak = max(peak0, peak1, cpu_peak)

    # Table.
    print()
    print(f"load average (1, 5, 15 min) before: "
          f"{', '.join(f'{v:.2f}' for v in load0)}; after: "
          f"{', '.join(f'{v:.2f}' for v in load1)}")
    print(f"CPU: {cpu_model()}, "
          f"{args.threads} threads; measured FP32 FMA peak {peak:.1f} GFLOP/s "
          f"({bits}-bit vectors; wall clock before {peak0:.1f}, after "
          f"{peak1:.1f}; {cpu_peak:.1f} per CPU-second of its threads)")
    head = f"{'shape':<10} {'GFLOP':>7} "
    for k in systems:
        head += f"| {k:>8} ms {'GF/s':>7} {'x1DNN':>6} "
    print(head + "| flow %peak (wall, CPU time)")
    ratios = {k: [] for k in systems}
    for r in results:
        line = f"{r['name']:<10} {r['flops'] / 1e9:7.3f} "
        base = r["systems"].get("onednn", {}).get("median_ms")
        for k in systems:
            e = r["systems"][k]
            ratio = base / e["median_ms"] if base else float("nan")
            e["ratio_to_onednn"] = ratio
            ratios[k].append(ratio)
            line += (f"| {e['median_ms']:11.3f} {e['gflops']:7.1f} "
                     f"{ratio:6.2f} ")
        if "flow" in r["systems"]:
            r["systems"]["flow"]["percent_of_peak"] = \
                100 * r["systems"]["flow"]["gflops"] / peak
            line += f"| {r['systems']['flow']['percent_of_peak']:5.1f}%"
            # Load-independent view: useful FLOPs per CPU-second of the
            # process against the FMA loop's rate per CPU-second of a thread.
            cpu = r["systems"]["flow"].get("cpu_ms_per_run")
            if cpu:
                pct = 100 * r["flops"] / (cpu * 1e-3) / 1e9 / (
                    cpu_peak / args.threads)
                r["systems"]["flow"]["percent_of_peak_cpu_time"] = pct
                line += f" {pct:5.1f}%"
        print(line)
    geo = {}
    for k in systems:
        vals = [v for v in ratios[k] if v and not math.isnan(v)]
        if vals:
            geo[k] = math.exp(sum(math.log(v) for v in vals) / len(vals))
    print("geomean of oneDNN time / system time: " +
          ", ".join(f"{k} {v:.3f}" for k, v in geo.items()))

    report = {
        "target": args.target, "threads": args.threads,
        "load_average_before": load0, "load_average_after": load1,
        "machine": {"processor": cpu_model(),
                    "cpus": os.cpu_count(), "uname": platform.platform()},
        "peak_gflops": peak, "peak_before": peak0, "peak_after": peak1,
        "peak_cpu_gflops": cpu_peak,
        "vector_bits": bits, "rounds": args.rounds, "warmup": args.warmup,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "geomean_ratio_to_onednn": geo, "shapes": results,
    }
    json_path = os.path.join(out_dir, f"bench-{args.target}.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
    png_path = os.path.join(out_dir, f"bench-{args.target}.png")
    chart(png_path, results, peak,
          f"ConvTranspose2d, float32, NCHW, {args.threads} threads, "
          f"{cpu_model()} ({bits}-bit FMA)\n"
          f"median of {args.rounds} interleaved rounds, "
          f"{report['timestamp']}, load average {load0[0]:.2f} -> "
          f"{load1[0]:.2f}")
    print(f"wrote {json_path} and {png_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
