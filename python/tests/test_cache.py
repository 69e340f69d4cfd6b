"""The kernel cache: one compilation per (shapes, dtype, attributes, target,
strategy); a repeated call runs the cached kernel without compiling."""

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import assert_close_to_torch


def arrays(n=1, c=3, h=4, w=5, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1, 1, (n, c, h, w)).astype(dtype),
            rng.uniform(-1, 1, (c, 2, 3, 2)).astype(dtype),
            rng.uniform(-1, 1, (2,)).astype(dtype))


def test_second_call_does_not_recompile():
    x, w, b = arrays(seed=1)
    kw = {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 3)}
    y1 = F.conv_transpose2d(x, w, b, **kw)
    compiles, info = flow.compile_count(), flow.cache_info()
    # new values, same signature: cached
    x2, w2, b2 = arrays(seed=2)
    y2 = F.conv_transpose2d(x2, w2, b2, **kw)
    after = flow.cache_info()
    assert flow.compile_count() == compiles
    assert after.compiles == info.compiles
    assert after.hits == info.hits + 1
    assert after.misses == info.misses
    assert_close_to_torch(y1, x, w, b, **kw)
    assert_close_to_torch(y2, x2, w2, b2, **kw)
    # stride given as an int pair or a list normalises to the same key
    F.conv_transpose2d(x2, w2, b2, stride=[2, 1], padding=(1, 0),
                       dilation=(1, 3))
    assert flow.compile_count() == compiles


@pytest.mark.parametrize("change", [
    "height", "dtype", "stride", "padding", "output_padding",
    "dilation", "no_bias", "strategy",
])
def test_each_part_of_the_signature_is_a_separate_kernel(change):
    x, w, b = arrays(n=2, c=4, h=3, w=3, seed=3)
    w = w[:, :1]  # (4, 1, 3, 2): groups=2 gives Cout=2
    base = {"stride": (2, 2), "padding": (0, 1), "output_padding": (0, 0),
            "dilation": (1, 1), "groups": 2}
    F.conv_transpose2d(x, w, b, **base)
    before = flow.compile_count()
    F.conv_transpose2d(x, w, b, **base)
    assert flow.compile_count() == before
    kw, args = dict(base), [x, w, b]
    if change == "height":
        args[0] = x[:, :, :2]
    elif change == "dtype":
        args = [a.astype(np.float64) for a in args]
    elif change == "no_bias":
        args[2] = None
    elif change == "strategy":
        kw["strategy"] = "zero-insert"
    else:
        kw[change] = {"stride": (2, 1), "padding": (1, 1),
                      "output_padding": (1, 0), "dilation": (2, 1)}[change]
    y = F.conv_transpose2d(*args, **kw)
    assert flow.compile_count() == before + 1
    kw.pop("strategy", None)
    assert_close_to_torch(y, *args, **kw)
    F.conv_transpose2d(*args, **kw, **({"strategy": "zero-insert"}
                                       if change == "strategy" else {}))
    assert flow.compile_count() == before + 1


def test_batch_sizes_share_the_kernel():
    """The batch is a dynamic dim of the kernel (see test_dynamic_shapes)."""
    x, w, b = arrays(n=1, seed=6)
    kw = {"stride": (3, 2), "padding": (1, 1)}
    F.conv_transpose2d(x, w, b, **kw)
    before = flow.compile_count()
    x4 = np.concatenate([x, x, x, x])
    assert_close_to_torch(F.conv_transpose2d(x4, w, b, **kw), x4, w, b, **kw)
    assert flow.compile_count() == before


def test_module_calls_share_the_kernel():
    m = nn.ConvTranspose2d(3, 5, 2, stride=2)
    x = np.random.default_rng(4).uniform(-1, 1, (2, 3, 4, 4)).astype(
        np.float32)
    m(x)
    before = flow.compile_count()
    for _ in range(5):
        m(x)
    # another layer with the same hyper-parameters and shapes: same kernel
    m2 = nn.ConvTranspose2d(3, 5, 2, stride=2)
    y2 = m2(x)
    assert flow.compile_count() == before
    assert_close_to_torch(y2, x, m2.weight, m2.bias, stride=2)


def test_compile_of_identical_text_is_cached():
    text = """
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}"""
    f1 = flow.compile(text)
    before = flow.compile_count()
    f2 = flow.compile(text)
    assert f2 is f1 and flow.compile_count() == before
    f3 = flow.compile(text, cache=False)
    assert f3 is not f1 and flow.compile_count() == before + 1


def test_failed_compilations_are_not_cached():
    bad = "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> { return }"
    size = flow.cache_info().size
    for _ in range(2):
        with pytest.raises(flow.CompileError):
            flow.compile(bad)
    assert flow.cache_info().size == size


def test_clear_cache_and_limit():
    x, w, b = arrays(seed=5)
    F.conv_transpose2d(x, w, b)
    flow.clear_cache()
    info = flow.cache_info()
    assert info.size == 0 and info.hits == 0 and info.misses == 0
    before = flow.compile_count()
    F.conv_transpose2d(x, w, b)
    assert flow.compile_count() == before + 1
    old = info.maxsize
    try:
        flow.set_cache_limit(1)
        F.conv_transpose2d(x, w, b, stride=2)  # evicts the stride-1 kernel
        assert flow.cache_info().size == 1
        F.conv_transpose2d(x, w, b)
        assert flow.compile_count() == before + 3
        with pytest.raises(ValueError):
            flow.set_cache_limit(0)
    finally:
        flow.set_cache_limit(old)


def test_threads_share_kernels_and_get_correct_results():
    """Several threads on a few signatures: each signature compiles once and
    every result is right (kernels run without the GIL)."""
    import concurrent.futures
    kws = [{"stride": 2}, {"stride": (1, 3), "padding": 1},
           {"dilation": 2, "output_padding": 1}]
    jobs = [(i % 3, seed) for i, seed in enumerate(range(24))]
    flow.clear_cache()
    before = flow.compile_count()

    def work(job):
        k, seed = job
        x, w, b = arrays(n=2, seed=seed)
        y = F.conv_transpose2d(x, w, b, **kws[k])
        return job, x, w, b, y

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, jobs))
    assert flow.compile_count() - before == 3
    for (k, _), x, w, b, y in results:
        assert_close_to_torch(y, x, w, b, **kws[k])
