"""float16 / float32 / float64 against PyTorch float64, each within its own
rounding bound (flowref.error_bound: gamma(n+1) with u = 2**-11, 2**-24,
2**-53), and the input forms: any strides, byte order, __array__, lists."""

import numpy as np
import pytest

import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import (assert_close_to_torch, config_id, configs, conv_kwargs,
                     np_dtype, random_arrays, torch)

DTYPE_CONFIGS = configs(4, seed=3)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("i", range(len(DTYPE_CONFIGS)),
                         ids=[config_id(c) for c in DTYPE_CONFIGS])
def test_dtype_vs_torch(dtype, i):
    cfg = DTYPE_CONFIGS[i]
    x, w, b = random_arrays(cfg, seed=i, dtype=dtype)
    kw = conv_kwargs(cfg)
    y = F.conv_transpose2d(x, w, b, **kw)
    assert y.dtype == np.dtype(dtype)
    assert_close_to_torch(y, x, w, b, **kw)


def test_float64_is_really_float64():
    """An f64 kernel keeps digits f32 would lose: 1 + 2**-40 survives."""
    x = np.full((1, 1, 1, 1), 1.0)
    w = np.full((1, 1, 1, 1), 1.0)
    b = np.array([2.0 ** -40])
    y = F.conv_transpose2d(x, w, b)
    assert y[0, 0, 0, 0] == 1.0 + 2.0 ** -40
    y32 = F.conv_transpose2d(x.astype(np.float32), w.astype(np.float32),
                             b.astype(np.float32))
    assert y32[0, 0, 0, 0] == np.float32(1.0)


def test_module_dtype_argument_and_to():
    m = nn.ConvTranspose2d(3, 4, 2, stride=2, dtype=np.float16)
    assert np_dtype(m.weight.dtype) == np.float16
    assert np_dtype(m.bias.dtype) == np.float16
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3, 5, 4)).astype(
        np.float16)
    y = m(x)
    assert y.dtype == np.float16
    assert_close_to_torch(y, x, m.weight, m.bias, stride=2)
    assert m.to(np.float64) is m
    assert np_dtype(m.weight.dtype) == np.float64
    assert np_dtype(m.bias.dtype) == np.float64
    y64 = m(x.astype(np.float64))
    assert y64.dtype == np.float64
    assert_close_to_torch(y64, x.astype(np.float64), m.weight, m.bias,
                          stride=2)
    assert np_dtype(m.double().float().weight.dtype) == np.float32
    assert np_dtype(m.half().weight.dtype) == np.float16


CFG = {"N": 2, "Cin": 4, "Cout": 6, "groups": 2, "H": 5, "W": 7,
       "kernel": (3, 2), "stride": (2, 3), "padding": (1, 0),
       "output_padding": (1, 0), "dilation": (1, 2), "bias": True}


def _reference_call(x, w, b):
    return F.conv_transpose2d(x, w, b, **conv_kwargs(CFG))


def test_non_contiguous_inputs():
    x, w, b = random_arrays(CFG, seed=5, dtype=np.float32)
    kw = conv_kwargs(CFG)
    # Transposed storage, negative strides and a strided slice: same values.
    xt = np.asfortranarray(x)
    wr = w[::-1, :, ::-1, :].copy()[::-1, :, ::-1, :]
    big = np.zeros((2 * b.size,), np.float32)
    big[::2] = b
    bs = big[::2]
    assert not xt.flags.c_contiguous and not wr.flags.c_contiguous
    assert not bs.flags.c_contiguous
    y = F.conv_transpose2d(xt, wr, bs, **kw)
    assert_close_to_torch(y, x, w, b, **kw)
    np.testing.assert_array_equal(y, _reference_call(x, w, b))


def test_big_endian_and_array_likes():
    x, w, b = random_arrays(CFG, seed=6, dtype=np.float32)
    expected = _reference_call(x, w, b)
    y = _reference_call(x.astype(">f4"), w.astype(">f4"), b.astype(">f4"))
    np.testing.assert_array_equal(y, expected)

    class ArrayLike:
        def __init__(self, a):
            self.a = a

        def __array__(self, dtype=None):
            return self.a if dtype is None else self.a.astype(dtype)

    y = _reference_call(ArrayLike(x), ArrayLike(w), ArrayLike(b))
    np.testing.assert_array_equal(y, expected)
    # torch tensors, with and without requires_grad, give tensors
    y = _reference_call(torch.from_numpy(x),
                        torch.from_numpy(w).requires_grad_(),
                        torch.from_numpy(b))
    assert isinstance(y, torch.Tensor) and y.requires_grad
    np.testing.assert_array_equal(y.detach().numpy(), expected)
    # nested lists become float32 arrays (torch's default dtype)
    y = _reference_call(x.tolist(), w.tolist(), b.tolist())
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, expected)


def test_module_converts_integer_and_list_input_to_its_dtype():
    m = nn.ConvTranspose2d(1, 1, 2, dtype=np.float64)
    x = [[[[1, 2], [3, 4]]]]
    y = m(x)
    assert y.dtype == np.float64
    assert_close_to_torch(y, np.array(x, np.float64), m.weight, m.bias)


def test_output_is_a_fresh_writable_array():
    x, w, b = random_arrays(CFG, seed=7, dtype=np.float32)
    y1 = _reference_call(x, w, b)
    y2 = _reference_call(x, w, b)
    assert isinstance(y1, np.ndarray) and y1.flags.writeable
    assert not np.shares_memory(y1, y2)
    y1[...] = 0
    np.testing.assert_array_equal(y2, _reference_call(x, w, b))
    # the inputs were only read
    x2, w2, b2 = random_arrays(CFG, seed=7, dtype=np.float32)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(w, w2)
