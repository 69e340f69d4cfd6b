"""Reference helpers for the flow_mlir tests: random ConvTranspose2d
configurations in OneFlow's autotest ranges (as test/lib/convref.py), the
PyTorch float64 reference, and a rounding-error bound to compare against.

The bound: each output is a sum of n = (Cin/groups)*kH*kW products plus the
bias. Computed in a floating-point type with unit roundoff u, in any order,
with or without FMA, the result y satisfies the classic bound
    |y - exact| <= gamma(n + 1) * (|x| (*) |w| + |b|),    gamma(m) = m*u/(1 - m*u)
where (*) is the same transposed convolution on absolute values, evaluated
by PyTorch in float64 (the extra 1 covers rounding the result to the output
type). For float16 products may underflow into subnormals, each adding an
absolute error below 2**-25; that is added as n * 2**-25.
"""

import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")

UNIT_ROUNDOFF = {
    np.dtype(np.float16): 2.0 ** -11,
    np.dtype(np.float32): 2.0 ** -24,
    np.dtype(np.float64): 2.0 ** -53,
}
SUBNORMAL_STEP = {
    np.dtype(np.float16): 2.0 ** -25,
    np.dtype(np.float32): 2.0 ** -150,
    np.dtype(np.float64): 0.0,
}


def out_size(i, k, s, p, op, d):
    return (i - 1) * s - 2 * p + d * (k - 1) + op + 1


def random_config(rng, max_batch=3):
    """A valid configuration in OneFlow's autotest ranges: channels 1-3 per
    group (so 1-15 in all), kernel 1-4, stride 1-3, padding 0-3, dilation
    1-5, groups 1-5; small spatial sizes so that the suite stays fast."""
    while True:
        groups = rng.randint(1, 5)
        cfg = {
            "N": 0 if rng.random() < 0.05 else rng.randint(1, max_batch),
            "Cin": groups * rng.randint(1, 3),
            "Cout": groups * rng.randint(1, 3),
            "groups": groups,
            "H": rng.randint(1, 10), "W": rng.randint(1, 10),
            "kernel": (rng.randint(1, 4), rng.randint(1, 4)),
            "stride": (rng.randint(1, 3), rng.randint(1, 3)),
            "padding": (rng.randint(0, 3), rng.randint(0, 3)),
            "dilation": (rng.randint(1, 5), rng.randint(1, 5)),
            "bias": rng.random() < 0.7,
        }
        cfg["output_padding"] = tuple(
            rng.randint(0, max(cfg["stride"][i], cfg["dilation"][i]) - 1)
            for i in range(2))
        outs = [out_size((cfg["H"], cfg["W"])[i], cfg["kernel"][i],
                         cfg["stride"][i], cfg["padding"][i],
                         cfg["output_padding"][i], cfg["dilation"][i])
                for i in range(2)]
        if min(outs) >= 1 and max(outs) <= 32:
            return cfg


def configs(count, seed):
    return [random_config(random.Random(seed * 100003 + i))
            for i in range(count)]


def config_id(cfg):
    return ("N{N}_ci{Cin}_co{Cout}_g{groups}_{H}x{W}_k{kernel[0]}x{kernel[1]}"
            "_s{stride[0]}{stride[1]}_p{padding[0]}{padding[1]}"
            "_op{output_padding[0]}{output_padding[1]}"
            "_d{dilation[0]}{dilation[1]}{b}").format(
                b="_b" if cfg["bias"] else "", **cfg)


def random_arrays(cfg, seed, dtype=np.float32):
    """x, w, b (None without bias) drawn from U(-1, 1) in `dtype`."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (cfg["N"], cfg["Cin"], cfg["H"], cfg["W"]))
    w = rng.uniform(-1, 1, (cfg["Cin"], cfg["Cout"] // cfg["groups"],
                            *cfg["kernel"]))
    b = rng.uniform(-1, 1, (cfg["Cout"],)) if cfg["bias"] else None
    return (x.astype(dtype), w.astype(dtype),
            None if b is None else b.astype(dtype))


def conv_kwargs(cfg):
    return {k: cfg[k] for k in ("stride", "padding", "output_padding",
                                "groups", "dilation")}


def as_numpy(a):
    """A NumPy view of an array, a tensor or a Parameter (detached)."""
    if isinstance(a, torch.Tensor):
        return a.detach().cpu().numpy()
    return a


def np_dtype(dtype):
    """A NumPy dtype from a NumPy or torch dtype."""
    if isinstance(dtype, torch.dtype):
        return np.dtype(str(dtype).rpartition(".")[2])
    return np.dtype(dtype)


def torch_conv(x, w, b, **kw):
    """torch.nn.functional.conv_transpose2d in float64."""
    t = [None if a is None else
         torch.from_numpy(np.asarray(as_numpy(a), np.float64))
         for a in (x, w, b)]
    return torch.nn.functional.conv_transpose2d(t[0], t[1], t[2], **kw).numpy()


def error_bound(x, w, b, dtype, **kw):
    """Elementwise bound on |flow - exact| (see the module docstring)."""
    dt = np.dtype(dtype)
    x, w, b = as_numpy(x), as_numpy(w), as_numpy(b)
    xa = np.abs(np.asarray(x, np.float64))
    wa = np.abs(np.asarray(w, np.float64))
    ba = None if b is None else np.abs(np.asarray(b, np.float64))
    magnitude = torch_conv(xa, wa, ba, **kw)
    n = w.shape[0] // kw.get("groups", 1) * w.shape[2] * w.shape[3]
    m = n + 1
    u = UNIT_ROUNDOFF[dt]
    gamma = m * u / (1 - m * u)
    return gamma * magnitude + n * SUBNORMAL_STEP[dt]


def assert_close_to_torch(y, x, w, b, dtype=None, **kw):
    """Checks y against PyTorch float64 within error_bound; returns the
    maximum absolute error."""
    ref = torch_conv(x, w, b, **kw)
    y, x = as_numpy(y), as_numpy(x)
    dtype = np.dtype(dtype or x.dtype)
    assert y.dtype == dtype, f"dtype {y.dtype}, expected {dtype}"
    assert y.shape == ref.shape, f"shape {y.shape}, expected {ref.shape}"
    if ref.size == 0:
        return 0.0
    err = np.abs(y.astype(np.float64) - ref)
    bound = error_bound(x, w, b, dtype, **kw)
    bad = err > bound
    assert not bad.any(), (
        f"{int(bad.sum())} of {err.size} outputs exceed the {dtype} bound; "
        f"worst at {np.unravel_index(np.argmax(err - bound), err.shape)}: "
        f"error {err.max():.3g}, bound there {bound.flat[np.argmax(err - bound)]:.3g}")
    return float(err.max())
