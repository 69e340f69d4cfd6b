"""Error paths: bad arguments raise ValueError with PyTorch's messages
(checked in Python before anything compiles); what only the compiler can
judge raises flow_mlir.CompileError with the verifier's located message."""

import re

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import np_dtype, torch


def f32(*shape):
    return np.zeros(shape, np.float32)


# --- the module's constructor ---------------------------------------------

@pytest.mark.parametrize("kwargs,match", [
    ({"padding_mode": "reflect"},
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
    ({"padding_mode": "circular"}, 'Only "zeros" padding mode'),
    ({"groups": 4}, "in_channels must be divisible by groups"),
    ({"groups": 0}, "groups must be a positive integer"),
    ({"output_padding": 2, "stride": 2},
     "output padding must be smaller than either stride or dilation"),
    ({"output_padding": (0, 3), "stride": 2, "dilation": 3},
     "output padding must be smaller than either stride or dilation"),
    ({"stride": 0}, "non-positive stride is not supported"),
    ({"padding": -1}, "negative padding is not supported"),
    ({"dilation": (1, 0)}, "dilation should be greater than zero"),
    ({"kernel_size": (3, 0)}, "kernel_size must be positive"),
    ({"kernel_size": (1, 2, 3)}, "kernel_size must be an int or a pair"),
    ({"padding": "same"}, "padding='same' is not supported"),
    ({"dtype": np.int32}, "unsupported dtype int32"),
    ({"device": "tpu"}, "unknown device 'tpu'"),
])
def test_constructor_value_errors(kwargs, match):
    args = {"in_channels": 6, "out_channels": 4, "kernel_size": 3}
    args.update(kwargs)
    with pytest.raises(ValueError, match=re.escape(match)):
        nn.ConvTranspose2d(**args)


def test_out_channels_divisible_by_groups():
    with pytest.raises(ValueError,
                       match="out_channels must be divisible by groups"):
        nn.ConvTranspose2d(4, 6, 3, groups=4)
    # torch says the same
    with pytest.raises(ValueError, match="divisible by groups"):
        torch.nn.ConvTranspose2d(4, 6, 3, groups=4)


def test_padding_mode_matches_torch():
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        torch.nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")


# --- forward / functional --------------------------------------------------

def test_wrong_input_rank():
    m = nn.ConvTranspose2d(2, 3, 3)
    for shape in [(2, 5), (1, 1, 2, 5, 5)]:
        with pytest.raises(ValueError, match=re.escape(
                "Expected 3D (unbatched) or 4D (batched) input to "
                f"conv_transpose2d, but got input of size: {list(shape)}")):
            m(f32(*shape))
        with pytest.raises(ValueError, match="Expected 3D"):
            F.conv_transpose2d(f32(*shape), m.weight)


def test_wrong_input_channels():
    m = nn.ConvTranspose2d(16, 33, (3, 5))
    msg = ("Given transposed=1, weight of size [16, 33, 3, 5], expected "
           "input[20, 15, 50, 100] to have 16 channels, but got 15 channels "
           "instead")
    with pytest.raises(ValueError, match=re.escape(msg)):
        m(f32(20, 15, 50, 100))
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        torch.nn.functional.conv_transpose2d(
            torch.zeros(20, 15, 50, 100), torch.zeros(16, 33, 3, 5))


def test_weight_not_divisible_by_groups():
    with pytest.raises(ValueError, match=re.escape(
            "Given groups=2, expected weight to be divisible by 2 at "
            "dimension 0, but got weight of size [3, 1, 2, 2] instead")):
        F.conv_transpose2d(f32(1, 3, 4, 4), f32(3, 1, 2, 2), groups=2)


def test_bias_of_the_wrong_size():
    with pytest.raises(ValueError, match=re.escape(
            "expected bias to be 1-dimensional with 4 elements, but got bias "
            "of size [3] instead")):
        F.conv_transpose2d(f32(1, 2, 4, 4), f32(2, 2, 2, 2), f32(3), groups=2)


@pytest.mark.parametrize("kwargs,match", [
    ({"output_padding": 1}, "output padding must be smaller than either "
     "stride or dilation, but got output_padding_height: 1 "
     "output_padding_width: 1 stride_height: 1 stride_width: 1 "
     "dilation_height: 1 dilation_width: 1"),
    ({"stride": (1, 0)}, "non-positive stride is not supported"),
    ({"padding": (0, -1)}, "negative padding is not supported"),
    ({"output_padding": (-1, 0)}, "negative output_padding is not supported"),
    ({"dilation": 0}, "dilation should be greater than zero"),
    ({"groups": 0}, "non-positive groups is not supported"),
    ({"padding": 2}, "Given input size per channel: (2 x 2). Calculated "
     "output size per channel: (-2 x -2). Output size is too small"),
    ({"stride": (1, 2, 3)}, "stride must be an int or a pair of ints"),
    ({"groups": 1.5}, "groups must be an int"),
    ({"device": "cuda:1"}, "only device index 0 is supported"),
    ({"strategy": "winograd"}, "unknown strategy 'winograd'"),
])
def test_functional_value_errors(kwargs, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        F.conv_transpose2d(f32(1, 2, 2, 2), f32(2, 1, 1, 1), **kwargs)


def test_output_padding_message_agrees_with_torch():
    with pytest.raises(RuntimeError, match="output padding must be smaller "
                       "than either stride or dilation"):
        torch.nn.functional.conv_transpose2d(
            torch.zeros(1, 2, 2, 2), torch.zeros(2, 1, 1, 1),
            output_padding=1)


def test_dtype_errors():
    with pytest.raises(ValueError, match=re.escape(
            "Input type (float64) and weight type (float32) should be the "
            "same")):
        F.conv_transpose2d(np.zeros((1, 1, 2, 2)), f32(1, 1, 1, 1))
    with pytest.raises(ValueError, match=re.escape(
            "Input type (float32) and bias type (float16) should be the same")):
        F.conv_transpose2d(f32(1, 1, 2, 2), f32(1, 1, 1, 1),
                           np.zeros(1, np.float16))
    with pytest.raises(ValueError, match="input: unsupported dtype int64"):
        F.conv_transpose2d(np.zeros((1, 1, 2, 2), np.int64),
                           np.zeros((1, 1, 1, 1), np.int64))
    m = nn.ConvTranspose2d(1, 1, 1)
    with pytest.raises(ValueError, match=re.escape(
            "Input type (float64) and weight type (float32) should be the "
            "same")):
        m(np.zeros((1, 1, 2, 2)))


def test_zero_sized_dimensions():
    with pytest.raises(ValueError, match="zero-sized dimension"):
        F.conv_transpose2d(f32(1, 2, 3, 3), f32(2, 0, 1, 1))
    with pytest.raises(ValueError, match="non-zero sizes for the spatial"):
        F.conv_transpose2d(f32(1, 2, 0, 3), f32(2, 1, 1, 1))


def test_unconvertible_input():
    with pytest.raises(ValueError, match="unsupported dtype"):
        F.conv_transpose2d("not an array", f32(1, 1, 1, 1))


def test_to_rejects_unknown_devices_and_dtypes():
    m = nn.ConvTranspose2d(1, 1, 1)
    with pytest.raises(ValueError, match="unknown device 'cuda:x'"):
        m.to("cuda:x")
    with pytest.raises(ValueError, match="unsupported dtype int8"):
        m.to(np.int8)
    with pytest.raises(ValueError, match="is not a dtype"):
        m.to(object())
    assert m.device == "cpu" and np_dtype(m.weight.dtype) == np.float32


def test_bad_arguments_do_not_compile_or_poison_the_cache():
    before = flow.compile_count()
    for kwargs in ({"output_padding": 1}, {"padding": 2}, {"groups": 0}):
        with pytest.raises(ValueError):
            F.conv_transpose2d(f32(1, 2, 2, 2), f32(2, 1, 1, 1), **kwargs)
    assert flow.compile_count() == before


# --- the compiler's own diagnostics ----------------------------------------

BAD_OUTPUT_PADDING = """\
func.func @main(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, output_padding = array<i64: 2, 0>}
       : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
"""


def test_compile_reports_the_verifier_message_with_location():
    with pytest.raises(flow.CompileError) as info:
        flow.compile(BAD_OUTPUT_PADDING)
    msg = str(info.value)
    assert "<flow_mlir.compile>:2:" in msg
    assert "output_padding must be smaller than either stride or dilation" \
        in msg
    assert isinstance(info.value, RuntimeError)


def test_compile_parse_errors():
    with pytest.raises(flow.CompileError, match=r"<flow_mlir.compile>:1:\d+: "):
        flow.compile("func.func @main(%x: tensor<2xf32>) -> {")
    with pytest.raises(flow.CompileError, match="no function 'nope'"):
        flow.compile("func.func @main() { return }", entry="nope")
    with pytest.raises(ValueError, match="takes MLIR text"):
        flow.compile(42)
    with pytest.raises(ValueError, match="unknown target 'gpu'"):
        flow.compile("func.func @main() { return }", target="gpu")


def test_verifier_catches_what_python_lets_through():
    """Sizes whose arithmetic overflows int64 are left to the verifier."""
    with pytest.raises(flow.CompileError, match="overflows int64"):
        F.conv_transpose2d(f32(1, 1, 4, 4), f32(1, 1, 3, 3),
                           stride=(1, 2 ** 62))


def test_calling_a_compiled_function_with_wrong_arguments():
    fn = flow.compile("""
func.func @main(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}""")
    with pytest.raises(ValueError, match=re.escape(
            "argument 0: expected shape (2, 3) (tensor<2x3xf32>), got (3, 2)")):
        fn(f32(3, 2))
    with pytest.raises(ValueError, match="expected dtype float32"):
        fn(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="takes 1 argument"):
        fn(f32(2, 3), f32(2, 3))
    with pytest.raises(ValueError, match="unsupported dtype int32"):
        fn(np.zeros((2, 3), np.int32))


DYNAMIC_BIAS = """
func.func @main(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<?xf32>) -> tensor<1x3x7x7xf32> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<?xf32>) -> tensor<1x3x7x7xf32>
  return %y : tensor<1x3x7x7xf32>
}"""


def test_dynamic_bias_of_the_wrong_length():
    """A tensor<?xf32> bias must have the output channels' length: checked
    before the call (the CPU kernels read it as 3 elements)."""
    fn = flow.compile(DYNAMIC_BIAS)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (1, 4, 5, 5)).astype(np.float32)
    w = rng.uniform(-1, 1, (4, 3, 3, 3)).astype(np.float32)
    b = rng.uniform(-1, 1, (3,)).astype(np.float32)
    ref = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x).double(), torch.from_numpy(w).double(),
        torch.from_numpy(b).double()).numpy()
    assert np.abs(fn(x, w, b) - ref).max() <= 1e-5
    with pytest.raises(ValueError, match=re.escape(
            "argument 2 (the bias of the conv_transpose2d at ")) as info:
        fn(x, w, np.zeros(5, np.float32))
    assert str(info.value).endswith(
        "dim 0 is 5, expected 3 (the output channels (weight dim 1))")
    assert "\n" not in str(info.value)
