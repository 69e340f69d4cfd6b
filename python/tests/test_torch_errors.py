"""Bad input on torch tensors: torch's exception type (RuntimeError; the
errors are flow_mlir's ArgumentError, also a ValueError as for NumPy) and
the key words of torch's messages; and memory stays flat over 10,000
forward+backward calls."""

import re

import pytest

import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import torch
from test_rss import growth_over_calls, MAX_GROWTH_KIB, needs_plain_malloc


def both(call, match):
    """The call fails as torch's does: a RuntimeError matching `match`
    for flow and for torch.nn.functional."""
    for fn in (F.conv_transpose2d, torch.nn.functional.conv_transpose2d):
        with pytest.raises(RuntimeError, match=match):
            call(fn)


def test_shape_mismatches():
    x, w = torch.rand(2, 3, 4, 4), torch.rand(4, 2, 3, 3)
    both(lambda f: f(x, w), re.escape("expected input[2, 3, 4, 4] to have "
                                      "4 channels, but got 3 channels"))
    both(lambda f: f(torch.rand(2, 4, 4, 4), w, torch.rand(3)),
         "expected bias to be 1-dimensional with 2 elements")
    with pytest.raises(RuntimeError, match="weight of size"):
        F.conv_transpose2d(torch.rand(2, 4, 4, 4), w[:, :, :, 0])
    both(lambda f: f(torch.rand(4, 4), w), "input")
    both(lambda f: f(torch.rand(1, 4, 1, 1), w, padding=3),
         "Output size is too small")
    both(lambda f: f(torch.rand(1, 4, 2, 2), w, output_padding=1),
         "output padding must be smaller than either stride or dilation")


def test_dtype_mismatch_and_non_floating_dtypes():
    x, w = torch.rand(1, 2, 3, 3), torch.rand(2, 2, 2, 2)
    with pytest.raises(RuntimeError, match=re.escape(
            "Input type (torch.float32) and weight type (torch.float64) "
            "should be the same")):
        F.conv_transpose2d(x, w.double())
    with pytest.raises(RuntimeError, match="bias type"):
        F.conv_transpose2d(x, w, torch.rand(2, dtype=torch.float16))
    for dtype in (torch.int64, torch.int32, torch.bool, torch.bfloat16,
                  torch.complex64):
        with pytest.raises(RuntimeError, match="dtype"):
            F.conv_transpose2d(x.to(dtype), w.to(dtype))


def test_device_mismatch():
    x, w = torch.rand(1, 2, 3, 3), torch.rand(2, 2, 2, 2)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on "
                       "the same device"):
        F.conv_transpose2d(x, w.to("meta"))
    with pytest.raises(RuntimeError, match="device 'meta'"):
        F.conv_transpose2d(x.to("meta"), w.to("meta"))


def test_module_errors():
    m = nn.ConvTranspose2d(4, 2, 3)
    with pytest.raises(RuntimeError, match="Expected 3D .* or 4D"):
        m(torch.rand(4, 4))
    with pytest.raises(RuntimeError, match="should be the same"):
        m(torch.rand(1, 4, 3, 3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="channels"):
        m(torch.rand(1, 3, 3, 3))
    # the layer still works, also in backward
    y = m(torch.rand(1, 4, 3, 3, requires_grad=True))
    y.sum().backward()
    assert m.weight.grad.shape == m.weight.shape


@needs_plain_malloc
def test_rss_flat_over_forward_and_backward_calls():
    m = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
    x = torch.rand(2, 3, 5, 5, requires_grad=True)
    bad = torch.rand(2, 2, 5, 5)

    def call():
        m(x).sum().backward()
        try:                          # a call that fails before computing
            m(bad)
        except RuntimeError:
            pass
    growth = growth_over_calls(call, calls=10_000, warmup=300)
    assert growth < MAX_GROWTH_KIB, f"RSS grew by {growth} KiB"
