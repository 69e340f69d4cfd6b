"""Resource use of the Python module.

* Memory: the process's resident set stays flat over 10,000 calls of a
  compiled kernel (through nn.ConvTranspose2d, flow.compile, and a call
  that fails), so nothing leaks per call.
* Limits: a call whose buffers cannot exist (about 1e12 elements) raises a
  clear RuntimeError from the JIT (JitModule checks the sizes it can compute
  before the call, and the memory guard refuses any other allocation over
  the limit during it), instead of aborting or being OOM-killed; the kernel
  stays usable and the refused calls leak nothing.
"""

import ctypes
import os

import numpy as np
import pytest

try:
    import flow_mlir as flow
except ImportError as e:  # the package is not built or not on PYTHONPATH
    pytest.skip(f"flow_mlir is not importable ({e}); build it and put "
                "build/python_packages on PYTHONPATH",
                allow_module_level=True)

CALLS = 10_000
# Growth allowed over CALLS calls: under 100 bytes a call. A leak of one
# result (at least 4*3*15*15*4 bytes here) per call would be 100x more.
MAX_GROWTH_KIB = 1024

UNDER_ASAN = "libclang_rt.asan" in os.environ.get("LD_PRELOAD", "")
needs_plain_malloc = pytest.mark.skipif(
    UNDER_ASAN, reason="under ASan, freed memory waits in the quarantine, so "
    "RSS does not measure leaks (scripts/test.sh --sanitize)")


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    pytest.skip("no VmRSS in /proc/self/status")


def _malloc_trim():
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def growth_over_calls(call, calls=CALLS, warmup=500):
    """RSS growth (KiB) over `calls` calls, after `warmup` calls that fill
    the kernel cache and the allocators' pools."""
    for _ in range(warmup):
        call()
    # Free heap left by earlier tests (large tensors freed into glibc's
    # heap after its mmap threshold rose) would absorb a leak unseen.
    _malloc_trim()
    before = rss_kib()
    for _ in range(calls):
        call()
    after = rss_kib()
    print(f"RSS {before} KiB -> {after} KiB over {calls} calls")
    return after - before


@needs_plain_malloc
def test_rss_measure_sees_a_leak_of_one_result_per_call():
    """The measure itself: keeping one result-sized buffer (3.5 KiB) per
    call is far over the bound."""
    kept = []
    growth = growth_over_calls(lambda: kept.append(np.ones(900, np.float32)),
                               warmup=0)
    assert growth > 10 * MAX_GROWTH_KIB, f"RSS grew by only {growth} KiB"


@needs_plain_malloc
def test_rss_flat_over_calls_of_a_module():
    m = flow.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
    x = np.random.default_rng(0).standard_normal((4, 3, 8, 8),
                                                 dtype=np.float32)
    growth = growth_over_calls(lambda: m(x))
    assert growth < MAX_GROWTH_KIB, f"RSS grew by {growth} KiB"


CONV = """
func.func @main(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>)
    -> tensor<?x3x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
     : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}
"""


@needs_plain_malloc
def test_rss_flat_over_calls_of_a_compiled_function():
    fn = flow.compile(CONV)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2, 7, 5), dtype=np.float32)
    w = rng.standard_normal((2, 3, 3, 3), dtype=np.float32)
    growth = growth_over_calls(lambda: fn(x, w))
    assert growth < MAX_GROWTH_KIB, f"RSS grew by {growth} KiB"


@needs_plain_malloc
def test_rss_flat_over_failing_calls():
    fn = flow.compile(CONV)
    bad = np.zeros((2, 5, 7, 5), np.float32)  # 5 channels, not 2
    w = np.zeros((2, 3, 3, 3), np.float32)

    def call():
        with pytest.raises(ValueError):
            fn(bad, w)
    growth = growth_over_calls(call)
    assert growth < MAX_GROWTH_KIB, f"RSS grew by {growth} KiB"


# --- buffers that cannot be allocated --------------------------------------

# Dilation 10^6 on a 2x2 kernel: a 1000002 x 1000002 output, 4e12 bytes.
HUGE = """
func.func @main(%x: tensor<{x}xf32>, %w: tensor<1x1x2x2xf32>)
    -> tensor<{y}xf32> {{
  %y = flow.conv_transpose2d %x, %w {{dilation = array<i64: 1000000, 1000000>}}
     : (tensor<{x}xf32>, tensor<1x1x2x2xf32>) -> tensor<{y}xf32>
  return %y : tensor<{y}xf32>
}}
"""


def test_huge_static_result_is_a_clear_error():
    fn = flow.compile(HUGE.format(x="1x1x2x2", y="1x1x1000002x1000002"))
    x, w = np.ones((1, 1, 2, 2), np.float32), np.ones((1, 1, 2, 2), np.float32)
    with pytest.raises(RuntimeError,
                       match=r"result 0 of @main of shape \(1, 1, 1000002, "
                             r"1000002\) needs 3\.6 TiB .* more than the "
                             r"memory limit"):
        fn(x, w)


def test_huge_dynamic_result_is_a_clear_error():
    fn = flow.compile(HUGE.format(x="?x1x?x?", y="?x1x?x?"))
    w = np.ones((1, 1, 2, 2), np.float32)
    with pytest.raises(RuntimeError,
                       match=r"conv_transpose2d output of shape \(1, 1, "
                             r"1000002, 1000002\) needs .* more than the "
                             r"memory limit"):
        fn(np.ones((1, 1, 2, 2), np.float32), w)


# Two chained convolutions: the second one's output size is only known
# inside the call, so the memory guard (not the pre-check) refuses it.
CHAIN = """
func.func @main(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x2x2xf32>)
    -> tensor<?x1x?x?xf32> {
  %a = flow.conv_transpose2d %x, %w
     : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  %b = flow.conv_transpose2d %a, %w {stride = array<i64: 8, 8>}
     : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %b : tensor<?x1x?x?xf32>
}
"""


def test_allocation_over_the_limit_inside_a_call(monkeypatch):
    fn = flow.compile(CHAIN)
    w = np.ones((1, 1, 2, 2), np.float32)
    small = np.ones((1, 1, 2, 2), np.float32)
    ok = fn(small, w)  # 3x3 -> 18x18
    assert ok.shape == (1, 1, 18, 18)
    # 100x100 -> 101x101 (40 KiB) -> 802x802 (2.5 MiB): over a 1 MiB limit.
    big = np.ones((1, 1, 100, 100), np.float32)
    monkeypatch.setenv("FLOW_JIT_MEMORY_LIMIT", str(1 << 20))
    with pytest.raises(RuntimeError,
                       match=r"@main needs a buffer of .* more than the "
                             r"memory limit of 1\.0 MiB \(1048576 bytes\) "
                             r"\(FLOW_JIT_MEMORY_LIMIT\)"):
        fn(big, w)
    # Still usable, and refused calls free what they had allocated.
    np.testing.assert_array_equal(fn(small, w), ok)
    if not UNDER_ASAN:
        def refused():
            with pytest.raises(RuntimeError):
                fn(big, w)
        growth = growth_over_calls(refused, calls=2000, warmup=100)
        assert growth < MAX_GROWTH_KIB, f"RSS grew by {growth} KiB"
    monkeypatch.delenv("FLOW_JIT_MEMORY_LIMIT")
    assert fn(big, w).shape == (1, 1, 802, 802)
