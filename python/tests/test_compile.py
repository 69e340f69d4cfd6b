"""flow_mlir.compile: MLIR text (or a file) to a callable."""

import os
import re

import numpy as np
import pytest

import flow_mlir as flow
from flowref import assert_close_to_torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

TWO_RESULTS = """
func.func @two(%x: tensor<?x2x3x3xf64>, %w: tensor<2x4x2x2xf64>)
    -> (tensor<?x4x4x4xf64>, tensor<?x4x7x7xf64>) {
  %a = flow.conv_transpose2d %x, %w : (tensor<?x2x3x3xf64>, tensor<2x4x2x2xf64>) -> tensor<?x4x4x4xf64>
  %b = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, output_padding = array<i64: 1, 1>}
       : (tensor<?x2x3x3xf64>, tensor<2x4x2x2xf64>) -> tensor<?x4x7x7xf64>
  return %a, %b : tensor<?x4x4x4xf64>, tensor<?x4x7x7xf64>
}
"""


def test_seed_mlir_file():
    path = os.path.join(ROOT, "examples", "seed.mlir")
    if not os.path.exists(path):
        pytest.skip("examples/seed.mlir is not in this checkout")
    import pathlib
    fn = flow.compile(pathlib.Path(path))
    assert fn.inputs == [((20, 16, 50, 100), "float32"),
                         ((16, 33, 3, 5), "float32"), ((33,), "float32")]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20, 16, 50, 100), dtype=np.float32)
    w = rng.uniform(-0.1, 0.1, (16, 33, 3, 5)).astype(np.float32)
    b = rng.uniform(-0.1, 0.1, (33,)).astype(np.float32)
    y = fn(x, w, b)
    assert y.shape == (20, 33, 93, 100)
    assert_close_to_torch(y, x, w, b, stride=(2, 1), padding=(4, 2))


def test_entry_dynamic_batch_and_several_results():
    fn = flow.compile(TWO_RESULTS, entry="two")
    assert fn.inputs == [((None, 2, 3, 3), "float64"),
                         ((2, 4, 2, 2), "float64")]
    assert fn.outputs == [((None, 4, 4, 4), "float64"),
                          ((None, 4, 7, 7), "float64")]
    rng = np.random.default_rng(1)
    w = rng.uniform(-1, 1, (2, 4, 2, 2))
    for n in (1, 3, 0):
        x = rng.uniform(-1, 1, (n, 2, 3, 3))
        a, b = fn(x, w)
        assert a.shape == (n, 4, 4, 4) and b.shape == (n, 4, 7, 7)
        assert_close_to_torch(a, x, w, None)
        assert_close_to_torch(b, x, w, None, stride=2, output_padding=1)
    assert "@two" in repr(fn)


def test_lowered_ir_and_source():
    fn = flow.compile(TWO_RESULTS, entry="two")
    assert fn.source == TWO_RESULTS
    ir = fn.lowered_ir
    assert "llvm.func" in ir and "flow." not in ir


def test_strategy_and_pipeline_options():
    text = """
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x6x6xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}"""
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    w = np.arange(1, 5, dtype=np.float32).reshape(1, 1, 2, 2)
    a = flow.compile(text)(x, w)
    b = flow.compile(text, strategy="zero-insert")(x, w)
    np.testing.assert_array_equal(a, b)
    assert_close_to_torch(a, x, w, None, stride=2)
    with pytest.raises(flow.CompileError, match="pipeline"):
        flow.compile(text, pipeline="no-such-pass")


SMALL = """
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x6x6xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}"""


def test_anchored_pipeline_runs_like_the_bare_one():
    """mlir-opt's --pass-pipeline form 'builtin.module(...)' is accepted:
    it must lower the module, not nest a module pass manager in it."""
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    w = np.arange(1, 5, dtype=np.float32).reshape(1, 1, 2, 2)
    bare = flow.compile(SMALL, pipeline="flow-lower-to-cpu{parallel=false}")
    anchored = flow.compile(
        SMALL, pipeline="builtin.module(flow-lower-to-cpu{parallel=false})")
    np.testing.assert_array_equal(bare(x, w), anchored(x, w))
    assert_close_to_torch(anchored(x, w), x, w, None, stride=2)
    assert "llvm.func @main" in anchored.lowered_ir


def test_compile_file_and_paths(tmp_path):
    import pathlib
    path = tmp_path / "small.mlir"
    path.write_text(SMALL)
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    w = np.arange(1, 5, dtype=np.float32).reshape(1, 1, 2, 2)
    expected = flow.compile(SMALL)(x, w)
    for fn in (flow.compile_file(str(path)), flow.compile_file(path),
               flow.compile(pathlib.Path(path))):
        np.testing.assert_array_equal(fn(x, w), expected)
        assert fn.name == str(path)
    # A str that is a file name, not MLIR: a clear error, not a parse error.
    for text in (str(path), "model.mlir", "/no/such/dir/model.mlir"):
        with pytest.raises(ValueError, match=re.escape(
                f"compile() takes MLIR text, and {text!r} looks like a file "
                "name: use flow_mlir.compile_file(path) or pass a "
                "pathlib.Path")):
            flow.compile(text)
    # Diagnostics of a file name it.
    bad = tmp_path / "bad.mlir"
    bad.write_text(SMALL.replace("stride", "strides"))
    with pytest.raises(flow.CompileError, match=re.escape(str(bad)) +
                       r":3:\d+: .*unknown attribute 'strides'; did you mean "
                       r"'stride'\?"):
        flow.compile_file(bad)
    with pytest.raises(FileNotFoundError):
        flow.compile_file(tmp_path / "missing.mlir")
    with pytest.raises(ValueError, match="compile_file.. takes a path"):
        flow.compile_file(42)
