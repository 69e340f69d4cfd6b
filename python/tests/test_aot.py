"""flow_mlir.load: libraries made ahead of time by flow-compile, called from
Python with ctypes (python/flow_mlir/aot.py). The libraries are compiled in
the tests with the build's flow-compile (found next to the package in the
build tree, via $FLOW_BUILD_DIR, or on PATH); without it the tests skip."""

import gc
import os
import shutil
import subprocess

import numpy as np
import pytest

import flow_mlir
from flow_mlir import aot


def _find_flow_compile():
    candidates = []
    if os.environ.get("FLOW_BUILD_DIR"):
        candidates.append(os.path.join(os.environ["FLOW_BUILD_DIR"], "bin"))
    # build/python_packages/flow_mlir/__init__.py -> build/bin
    package = os.path.dirname(os.path.abspath(flow_mlir.__file__))
    candidates.append(os.path.join(package, "..", "..", "bin"))
    for d in candidates:
        path = os.path.join(d, "flow-compile")
        if os.access(path, os.X_OK):
            return os.path.normpath(path)
    return shutil.which("flow-compile")


FLOW_COMPILE = _find_flow_compile()
needs_compiler = pytest.mark.skipif(
    FLOW_COMPILE is None,
    reason="flow-compile not found (build it; set FLOW_BUILD_DIR)")

MODULE = """
func.func @main(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>,
                %b: tensor<3xf32>) -> tensor<?x3x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 1, 0>,
          dilation = array<i64: 1, 2>}
       : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>)
      -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}

func.func @f64(%x: tensor<1x4x3x3xf64>, %w: tensor<4x1x2x2xf64>)
    -> tensor<1x2x6x6xf64> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, groups = 2}
       : (tensor<1x4x3x3xf64>, tensor<4x1x2x2xf64>) -> tensor<1x2x6x6xf64>
  return %y : tensor<1x2x6x6xf64>
}

func.func @half(%x: tensor<1x1x2x2xf16>, %w: tensor<1x1x2x2xf16>)
    -> tensor<1x1x3x3xf16> {
  %y = flow.conv_transpose2d %x, %w
       : (tensor<1x1x2x2xf16>, tensor<1x1x2x2xf16>) -> tensor<1x1x3x3xf16>
  return %y : tensor<1x1x3x3xf16>
}

func.func @two(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>)
    -> (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) {
  %y = flow.conv_transpose2d %x, %w
       : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y, %x : tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>
}
"""


def _compile(tmp_path, text, name, *extra):
    src = tmp_path / f"{name}.mlir"
    src.write_text(text)
    lib = tmp_path / f"lib{name}.so"
    proc = subprocess.run([FLOW_COMPILE, str(src), "-o", str(lib), *extra],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return lib


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    if FLOW_COMPILE is None:
        pytest.skip("flow-compile not found")
    tmp = tmp_path_factory.mktemp("aot")
    return flow_mlir.load(_compile(tmp, MODULE, "kernels"))


def _torch_reference(x, w, b=None, **kw):
    torch = pytest.importorskip("torch")
    t = [torch.from_numpy(a.astype(np.float64)) for a in (x, w)]
    tb = None if b is None else torch.from_numpy(b.astype(np.float64))
    return torch.nn.functional.conv_transpose2d(t[0], t[1], tb, **kw).numpy()


def test_load_is_exported():
    assert flow_mlir.load is aot.load


@needs_compiler
def test_entries_and_signatures(library):
    assert library.target == "cpu"
    assert set(library.functions) == {"main", "f64", "half", "two"}
    assert library["main"].signature == (
        "@main(tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> "
        "(tensor<?x3x?x?xf32>)")
    assert "main" in library and library.main is library["main"]
    library.device_check()
    assert library.available()


@needs_compiler
@pytest.mark.parametrize("shape", [(1, 2, 4, 5), (3, 2, 1, 1), (0, 2, 3, 3),
                                   (2, 2, 7, 2)])
def test_dynamic_shapes_against_torch(library, shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    w = rng.uniform(-1, 1, (2, 3, 3, 3)).astype(np.float32)
    b = rng.uniform(-1, 1, (3,)).astype(np.float32)
    out = library(x, w, b)  # "main"
    ref = _torch_reference(x, w, b, stride=(2, 1), padding=(1, 0),
                           dilation=(1, 2))
    assert out.shape == ref.shape and out.dtype == np.float32
    if ref.size:
        assert np.abs(out - ref).max() <= 1e-5


@needs_compiler
def test_f64_groups_and_flops(library):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 4, 3, 3))
    w = rng.standard_normal((4, 1, 2, 2))
    out = library.f64(x, w)
    ref = _torch_reference(x, w, stride=2, groups=2)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)
    # 2 * N*Cin*(Cout/groups)*H*W*kH*kW
    assert library.f64.flops(x, w) == 2 * 1 * 4 * 1 * 3 * 3 * 2 * 2


@needs_compiler
def test_float16(library):
    x = np.full((1, 1, 2, 2), 0.5, np.float16)
    w = np.full((1, 1, 2, 2), 0.25, np.float16)
    out = library.half(x, w)
    assert out.dtype == np.float16
    np.testing.assert_array_equal(
        out[0, 0], np.array([[0.125, 0.25, 0.125], [0.25, 0.5, 0.25],
                             [0.125, 0.25, 0.125]], np.float16))


@needs_compiler
def test_two_results_one_aliasing_an_argument(library):
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 2, 2)
    w = np.ones((1, 1, 2, 2), np.float32)
    y, same = library.two(x, w)
    np.testing.assert_array_equal(same, x)
    assert same.ctypes.data != x.ctypes.data  # a copy: x stays the caller's
    np.testing.assert_array_equal(y[0, 0], [[0, 1, 1], [2, 6, 4], [2, 5, 3]])


@needs_compiler
def test_results_own_their_buffers(library):
    x = np.ones((2, 2, 3, 3), np.float32)
    w = np.ones((2, 3, 3, 3), np.float32)
    b = np.zeros(3, np.float32)
    outs = [library(x, w, b) for _ in range(50)]
    del x, w, b
    gc.collect()
    for o in outs:
        assert o.base is not None  # views the library's buffer, no copy
        assert float(o.max()) == 2 * 2 * 2  # Cin * overlapping taps
    view = outs[0][:, 1]
    del outs
    gc.collect()
    assert view.shape[0] == 2 and float(view.sum()) > 0


@needs_compiler
def test_non_contiguous_inputs_are_accepted(library):
    x = np.ones((1, 2, 6, 8), np.float32)[:, :, ::2, ::2]
    w = np.ones((2, 3, 3, 3), np.float32)
    out = library(x, w, np.zeros(3, np.float32))
    ref = _torch_reference(np.ascontiguousarray(x), w,
                           np.zeros(3, np.float32), stride=(2, 1),
                           padding=(1, 0), dilation=(1, 2))
    np.testing.assert_allclose(out, ref, atol=1e-5)


@needs_compiler
@pytest.mark.parametrize("args, message", [
    ((np.ones((1, 2, 3, 3)), np.ones((2, 3, 3, 3), np.float32),
      np.ones(3, np.float32)),
     "argument 0: expected dtype float32 (tensor<?x2x?x?xf32>), got float64"),
    ((np.ones((1, 3, 3, 3), np.float32), np.ones((2, 3, 3, 3), np.float32),
      np.ones(3, np.float32)),
     "argument 0: expected shape (?, 2, ?, ?) (tensor<?x2x?x?xf32>), got "
     "(1, 3, 3, 3)"),
    ((np.ones((1, 2, 3, 3), np.float32),),
     "@main takes 3 argument(s), got 1"),
])
def test_bad_arguments_raise(library, args, message):
    with pytest.raises(aot.AotError) as info:
        library(*args)
    assert str(info.value) == message


@needs_compiler
def test_unknown_entry(library):
    with pytest.raises(KeyError, match="no entry 'nope'"):
        library["nope"]
    with pytest.raises(AttributeError):
        library.nope


def test_load_errors(tmp_path):
    with pytest.raises(aot.AotError, match="cannot open"):
        flow_mlir.load(tmp_path / "missing.so")
    junk = tmp_path / "junk.so"
    junk.write_bytes(b"not an ELF file")
    with pytest.raises(aot.AotError, match="cannot load"):
        flow_mlir.load(junk)
    libm = "/lib/x86_64-linux-gnu/libm.so.6"
    if os.path.exists(libm):
        with pytest.raises(aot.AotError, match="not a flow-compile library"):
            flow_mlir.load(libm)


@needs_compiler
def test_matches_the_jit(library):
    """The same module through flow_mlir.compile (the JIT) gives the same
    bits."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (2, 2, 5, 4)).astype(np.float32)
    w = rng.uniform(-1, 1, (2, 3, 3, 3)).astype(np.float32)
    b = rng.uniform(-1, 1, (3,)).astype(np.float32)
    jit = flow_mlir.compile(MODULE, target="cpu")
    expected = jit(x, w, b)
    np.testing.assert_array_equal(library(x, w, b), expected)


@needs_compiler
def test_cuda_library_without_a_device(tmp_path, monkeypatch):
    """A CUDA library loads anywhere; without a usable driver every call
    raises AotError("no CUDA driver ...")."""
    src = tmp_path / "gpu.mlir"
    src.write_text(MODULE)
    lib_path = tmp_path / "libgpu.so"
    proc = subprocess.run([FLOW_COMPILE, str(src), "--target=cuda", "-o",
                           str(lib_path), "-e", "main"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("no CUDA back end in this build: " +
                    proc.stderr.strip().splitlines()[-1])
    # A driver that cannot be loaded (whatever this machine has).
    monkeypatch.setenv("FLOW_CUDA_DRIVER", str(tmp_path / "no-libcuda.so"))
    lib = flow_mlir.load(lib_path)
    assert lib.target == "cuda" and not lib.available()
    with pytest.raises(aot.AotError, match=r"^no CUDA driver \(cannot load"):
        lib.device_check()
    x = np.ones((1, 2, 3, 3), np.float32)
    with pytest.raises(aot.AotError, match=r"^no CUDA driver"):
        lib(x, np.ones((2, 3, 3, 3), np.float32), np.ones(3, np.float32))
