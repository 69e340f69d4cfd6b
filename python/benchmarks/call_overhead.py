"""Per-call cost of a cached tiny conv_transpose2d through each layer of
flow_mlir, in microseconds (median of several rounds):

  module      nn.ConvTranspose2d.__call__ (validation skipped on a cache hit)
  functional  nn.functional.conv_transpose2d
  compiled    a flow_mlir.compile()d function
  kernel      the extension's Kernel directly (copy in, run, wrap out)
  torch       torch.nn.functional.conv_transpose2d on the same data, for scale

  PYTHONPATH=build/python_packages /usr/bin/python3 python/benchmarks/call_overhead.py
"""

import statistics
import time

import numpy as np

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F


def per_call_us(fn, calls=5000, rounds=7):
    fn()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t) / calls * 1e6)
    return statistics.median(times)


def main():
    m = nn.ConvTranspose2d(2, 2, 3, stride=2)
    x = np.random.default_rng(0).uniform(-1, 1, (1, 2, 4, 4)).astype(
        np.float32)
    w, b = m.weight, m.bias
    fn = flow.compile(m.emit_mlir(x))
    kernel, args = fn._kernel, [x, w, b]
    compiles = flow.compile_count()
    rows = [
        ("module", lambda: m(x)),
        ("functional", lambda: F.conv_transpose2d(x, w, b, stride=2)),
        ("compiled", lambda: fn(x, w, b)),
        ("kernel", lambda: kernel(args)),
    ]
    try:
        import torch
        torch.set_num_threads(1)
        tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
        rows.append(("torch", lambda: torch.nn.functional.conv_transpose2d(
            tx, tw, tb, stride=2)))
    except ImportError:
        pass
    print("tiny conv: input (1, 2, 4, 4) f32, weight (2, 2, 3, 3), "
          "stride 2 -> (1, 2, 9, 9)")
    for name, f in rows:
        print(f"{name:>10}: {per_call_us(f):7.1f} us/call")
    assert flow.compile_count() == compiles + 1  # only the module's first call


if __name__ == "__main__":
    main()
