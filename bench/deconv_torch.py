"""Times torch.nn.functional.conv_transpose2d (float32, NCHW) for one
configuration and prints one line
    torch: median_ms=M min_ms=M gflops=G runs=R threads=T

usage: deconv_torch.py N Cin H W Cout kH kW sH sW pH pW opH opW dH dW groups
                       [--runs=R] [--warmup=W] [--threads=T]
"""

import statistics
import sys
import time


def main(argv):
    nums, runs, warmup, threads = [], 20, 3, 2
    for a in argv:
        if a.startswith("--runs="):
            runs = int(a[7:])
        elif a.startswith("--warmup="):
            warmup = int(a[9:])
        elif a.startswith("--threads="):
            threads = int(a[10:])
        else:
            nums.append(int(a))
    if len(nums) != 16:
        print(__doc__, file=sys.stderr)
        return 1
    n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups = nums
    import torch
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    x = torch.rand((n, cin, h, w), generator=g) * 2 - 1
    wt = torch.rand((cin, cout // groups, kh, kw), generator=g) * 2 - 1
    b = torch.rand((cout,), generator=g) * 2 - 1

    def once():
        return torch.nn.functional.conv_transpose2d(
            x, wt, b, stride=(sh, sw), padding=(ph, pw),
            output_padding=(oph, opw), groups=groups, dilation=(dh, dw))

    times = []
    with torch.inference_mode():
        for _ in range(warmup):
            once()
        for _ in range(runs):
            t0 = time.perf_counter()
            once()
            times.append((time.perf_counter() - t0) * 1e3)
    med = statistics.median(times)
    flops = 2.0 * n * cin * (cout // groups) * h * w * kh * kw
    print(f"torch: median_ms={med:.4f} min_ms={min(times):.4f} "
          f"gflops={flops / (med * 1e-3) / 1e9:.3f} runs={runs} "
          f"threads={torch.get_num_threads()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
