"""Times a torch model converted with flow_mlir.convert against the same
model in torch, side by side on the CPU (float32), and prints one line per
mode:
    <model> <mode>: torch_ms=M flow_ms=M flow/torch=R runs=R threads=T

Models: dcgan (DCGAN's generator, 100 -> 64x64x3, ngf=64, batch 16),
unet (a U-Net decoder, 3 up-steps from 256x8x8). Modes: 'infer' (eval,
no_grad) and 'train' (forward + backward). Median of R runs after warm-up
(which includes flow's compilations).

usage: PYTHONPATH=build/python_packages /usr/bin/python3 \\
           bench/convert_model.py [dcgan|unet] [--runs=R] [--threads=T]
"""

import copy
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python",
                                "tests"))


def build(name, torch):
    from test_convert import UNetDecoder, dcgan_generator
    if name == "dcgan":
        return dcgan_generator(ngf=64), (torch.randn(16, 100, 1, 1),)
    model = UNetDecoder(chans=(256, 128, 64, 32))
    skips = [torch.randn(4, c, s, s) for c, s in ((128, 16), (64, 32),
                                                  (32, 64))]
    return model, (torch.randn(4, 256, 8, 8), skips)


def median_ms(step, runs, warmup=2):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main(argv):
    runs, threads, names = 10, 2, []
    for a in argv:
        if a.startswith("--runs="):
            runs = int(a[7:])
        elif a.startswith("--threads="):
            threads = int(a[10:])
        elif a in ("dcgan", "unet"):
            names.append(a)
        else:
            print(__doc__, file=sys.stderr)
            return 1
    import torch
    import flow_mlir as flow
    torch.set_num_threads(threads)
    for name in names or ["dcgan", "unet"]:
        torch.manual_seed(0)
        theirs, inputs = build(name, torch)
        ours = flow.convert(copy.deepcopy(theirs))
        for mode in ("infer", "train"):
            def step(model, mode=mode):
                if mode == "infer":
                    model.eval()
                    with torch.no_grad():
                        model(*inputs)
                else:
                    model.train()
                    model.zero_grad()
                    model(*inputs).sum().backward()
            t_torch = median_ms(lambda: step(theirs), runs)
            t_flow = median_ms(lambda: step(ours), runs)
            print(f"{name} {mode}: torch_ms={t_torch:.2f} "
                  f"flow_ms={t_flow:.2f} flow/torch={t_flow / t_torch:.2f} "
                  f"runs={runs} threads={threads}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
