"""nn.ConvTranspose2d's torch.nn surface: signature, parameter shapes and
initialisation, unbatched input, .to(), repr, emit_mlir."""

import inspect
import math

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import assert_close_to_torch, np_dtype, torch


def test_signature_matches_torch_and_oneflow():
    ours = inspect.signature(nn.ConvTranspose2d.__init__)
    theirs = inspect.signature(torch.nn.ConvTranspose2d.__init__)
    assert [(p.name, p.default) for p in ours.parameters.values()] == \
        [(p.name, p.default) for p in theirs.parameters.values()]
    f_ours = inspect.signature(F.conv_transpose2d)
    names = [p.name for p in f_ours.parameters.values()
             if p.kind != p.KEYWORD_ONLY]
    assert names == ["input", "weight", "bias", "stride", "padding",
                     "output_padding", "groups", "dilation"]


@pytest.mark.parametrize("args,kwargs", [
    ((16, 33, (3, 5)), {"stride": (2, 1), "padding": (4, 2)}),
    ((6, 9, 2), {"groups": 3}),
    ((4, 8, (1, 4)), {"groups": 2, "bias": False}),
])
def test_parameter_shapes_and_attributes_match_torch(args, kwargs):
    m = nn.ConvTranspose2d(*args, **kwargs)
    t = torch.nn.ConvTranspose2d(*args, **kwargs)
    assert m.weight.shape == tuple(t.weight.shape)
    assert np_dtype(m.weight.dtype) == np.float32
    if t.bias is None:
        assert m.bias is None
    else:
        assert m.bias.shape == tuple(t.bias.shape)
    for attr in ("in_channels", "out_channels", "kernel_size", "stride",
                 "padding", "output_padding", "dilation", "groups",
                 "padding_mode"):
        assert getattr(m, attr) == getattr(t, attr), attr
    assert repr(m) == repr(t)


def test_torch_layer_is_a_module_initialised_as_torchs():
    """With torch, the layer is a torch.nn.Module whose parameters are
    drawn exactly as torch's layer draws them."""
    assert issubclass(nn.ConvTranspose2d, torch.nn.Module)
    torch.manual_seed(3)
    m = nn.ConvTranspose2d(6, 4, (3, 2), groups=2)
    torch.manual_seed(3)
    t = torch.nn.ConvTranspose2d(6, 4, (3, 2), groups=2)
    assert isinstance(m.weight, torch.nn.Parameter)
    assert torch.equal(m.weight, t.weight) and torch.equal(m.bias, t.bias)


def test_initialisation_is_uniform_with_torchs_bound():
    """The NumPy layer (used where torch is absent) draws from NumPy."""
    np.random.seed(0)
    cin, cout, k, g = 64, 48, (3, 5), 4
    m = nn.NumpyConvTranspose2d(cin, cout, k, groups=g)
    bound = math.sqrt(g / (cout * k[0] * k[1]))
    for p in (m.weight, m.bias):
        assert np.abs(p).max() <= bound
        # U(-a, a): mean 0, std a/sqrt(3); loose 5-sigma-ish checks
        assert abs(p.mean()) < 5 * bound / math.sqrt(3 * p.size)
        assert abs(p.std() - bound / math.sqrt(3)) < 0.1 * bound
        assert np.abs(p).max() > 0.9 * bound
    # torch's own init has the same range
    t = torch.nn.ConvTranspose2d(cin, cout, k, groups=g)
    assert t.weight.abs().max().item() <= bound
    # numpy.random.seed makes it reproducible
    np.random.seed(7)
    a = nn.NumpyConvTranspose2d(2, 3, 2).weight
    np.random.seed(7)
    assert np.array_equal(a, nn.NumpyConvTranspose2d(2, 3, 2).weight)


def test_unbatched_input_matches_batched():
    m = nn.ConvTranspose2d(3, 4, (2, 3), stride=(1, 2), padding=(0, 1))
    x = np.random.default_rng(0).uniform(-1, 1, (3, 5, 6)).astype(np.float32)
    y = m(x)
    assert y.shape == (4, 6, 11)
    np.testing.assert_array_equal(y, m(x[None])[0])
    assert_close_to_torch(y[None], x[None], m.weight, m.bias, stride=(1, 2),
                          padding=(0, 1))


def test_zero_batch():
    m = nn.ConvTranspose2d(2, 3, 3, stride=2)
    y = m(np.zeros((0, 2, 4, 5), np.float32))
    assert y.shape == (0, 3, 9, 11) and y.dtype == np.float32


def test_to_cpu_returns_the_layer_and_still_computes():
    m = nn.ConvTranspose2d(2, 3, 3, stride=2)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 2, 4, 4)).astype(
        np.float32)
    before = m(x)
    assert m.to("cpu") is m and m.device == "cpu"
    assert m.cpu() is m
    assert m.to(torch.device("cpu")) is m
    assert m.to(device="cpu", dtype=np.float32) is m
    np.testing.assert_array_equal(m(x), before)
    assert_close_to_torch(m(x), x, m.weight, m.bias, stride=2)


def test_to_cuda_routes_to_the_cuda_target():
    m = nn.ConvTranspose2d(2, 3, 3)
    assert m.to("cuda") is m and m.device == "cuda"
    assert m.to("cuda:0").device == "cuda"
    assert m.to("cpu").device == "cpu"
    assert nn.ConvTranspose2d(1, 1, 1, device="cuda").device == "cuda"


def test_torch_state_dict_round_trips_with_torchs_layer():
    m = nn.ConvTranspose2d(2, 4, 3, groups=2)
    t = torch.nn.ConvTranspose2d(2, 4, 3, groups=2)
    t.load_state_dict(m.state_dict())
    m2 = nn.ConvTranspose2d(2, 4, 3, groups=2)
    m2.load_state_dict(t.state_dict())
    assert torch.equal(m2.weight, m.weight) and torch.equal(m2.bias, m.bias)
    with pytest.raises(RuntimeError, match="size mismatch"):
        m.load_state_dict({"weight": torch.zeros(1, 1, 1, 1),
                           "bias": m.bias})


def test_parameters_and_state_dict():
    m = nn.NumpyConvTranspose2d(2, 4, 3, groups=2)
    names = [n for n, _ in m.named_parameters()]
    assert names == ["weight", "bias"]
    assert len(list(m.parameters())) == 2
    sd = m.state_dict()
    sd["weight"] += 1
    assert not np.array_equal(sd["weight"], m.weight)  # a copy
    m.load_state_dict(sd)
    np.testing.assert_array_equal(m.weight, sd["weight"])
    with pytest.raises(ValueError, match="weight has shape"):
        m.load_state_dict({"weight": np.zeros((1, 1, 1, 1)),
                           "bias": m.bias})
    with pytest.raises(ValueError, match="missing keys"):
        m.load_state_dict({"weight": m.weight})
    # direct assignment of parameters works too
    m.weight = np.ones_like(m.weight)
    x = np.ones((1, 2, 2, 2), np.float32)
    assert_close_to_torch(m(x), x, m.weight, m.bias, groups=2)
    assert m.eval() is m and not m.training


def test_emit_mlir():
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    x = np.zeros((20, 16, 50, 100), np.float32)
    text = m.emit_mlir(x)
    assert "flow.conv_transpose2d" in text
    # the batch is dynamic: one kernel for every batch size
    assert "tensor<?x16x50x100xf32>" in text
    assert "tensor<16x33x3x5xf32>" in text
    assert "-> tensor<?x33x93x100xf32>" in text
    assert "stride = array<i64: 2, 1>" in text
    assert "padding = array<i64: 4, 2>" in text
    # the text is a complete module: compiling it gives the layer's result
    small = np.random.default_rng(2).uniform(-1, 1, (1, 16, 6, 4)).astype(
        np.float32)
    fn = flow.compile(m.emit_mlir(small))
    y = fn(small, m.weight, m.bias)
    assert y.shape == m(small).shape == (1, 33, 5, 4)
    assert_close_to_torch(y, small, m.weight, m.bias, stride=(2, 1),
                          padding=(4, 2))
    # same text, same pipeline: the same code, bit for bit
    np.testing.assert_array_equal(y, m(small))
    # output_size shows up as output_padding
    assert "output_padding = array<i64: 1, 0>" in m.emit_mlir(
        small, output_size=(6, 4))
    lowered = F.emit_mlir(small, m.weight, m.bias, stride=(2, 1),
                          padding=(4, 2), lowered=True)
    assert "llvm.func" in lowered and "flow.conv_transpose2d" not in lowered
