"""One dtype rule for the module and the functional form, PyTorch's: integer
and bool input is rejected (never cast silently), a foreign byte order is
only a representation (converted), and the message names NumPy dtypes the
same way whether the parameters came from torch or from NumPy."""
import re

import numpy as np
import pytest

import flow_mlir.nn as nn
import flow_mlir.nn.functional as F

torch = pytest.importorskip("torch")

MISMATCH = re.escape("Input type (int64) and weight type (float32) should be "
                     "the same: expected scalar type float32 but found int64")


def _layers():
    yield nn.NumpyConvTranspose2d(2, 3, 3, stride=2)
    yield nn.ConvTranspose2d(2, 3, 3, stride=2)


@pytest.mark.parametrize("layer", list(_layers()), ids=["numpy", "torch"])
def test_integer_numpy_input_is_rejected_by_module_and_functional(layer):
    x = np.ones((1, 2, 4, 4), np.int64)
    with pytest.raises(ValueError, match=MISMATCH):
        layer(x)
    w = np.ones((2, 3, 3, 3), np.float32)
    with pytest.raises(ValueError, match=MISMATCH):
        F.conv_transpose2d(x, w, stride=2)
    with pytest.raises(ValueError, match="but found bool"):
        layer(np.ones((1, 2, 4, 4), bool))


def test_integer_tensor_input_is_a_runtime_error_as_in_torch():
    m = nn.ConvTranspose2d(2, 3, 3)
    with pytest.raises(RuntimeError):
        m(torch.ones(1, 2, 4, 4, dtype=torch.int64))
    # torch itself rejects it too: the rule is torch's
    with pytest.raises(RuntimeError):
        torch.nn.ConvTranspose2d(2, 3, 3)(
            torch.ones(1, 2, 4, 4, dtype=torch.int64))


@pytest.mark.parametrize("layer", list(_layers()), ids=["numpy", "torch"])
def test_big_endian_input_computes_like_native(layer):
    x = np.random.default_rng(3).standard_normal((1, 2, 4, 4)).astype(
        np.float32)
    expected = np.asarray(layer(x))
    got = np.asarray(layer(x.astype(">f4")))
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("layer", list(_layers()), ids=["numpy", "torch"])
def test_float_mismatch_names_numpy_dtypes_only(layer):
    with pytest.raises(ValueError) as err:
        layer(np.ones((1, 2, 4, 4), np.float64))
    msg = str(err.value)
    assert "Input type (float64) and weight type (float32) should be the " \
        "same" in msg
    assert "torch." not in msg and ".to(numpy" not in msg
