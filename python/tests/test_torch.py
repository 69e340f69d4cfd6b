"""PyTorch-native use: torch tensors in give torch tensors out (NumPy gives
NumPy), nn.ConvTranspose2d is a torch.nn.Module, torch and NumPy dtypes
are both accepted, and the package works where torch cannot be imported."""

import os
import subprocess
import sys

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flow_mlir._torch import numpy_to_tensor
from flowref import assert_close_to_torch, torch


def test_seed_example_written_for_oneflow_runs_with_torch():
    # The seed's OneFlow example with torch for oneflow, flow_mlir.nn for nn.
    m = nn.ConvTranspose2d(16, 33, 3, stride=2)
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    input = torch.randn(20, 16, 50, 100)
    output = m(input)
    assert str(output.size()) == "torch.Size([20, 33, 93, 100])"
    assert output.dtype == torch.float32
    assert_close_to_torch(output, input, m.weight, m.bias, stride=(2, 1),
                          padding=(4, 2))


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32,
                                   torch.float64])
def test_tensor_in_tensor_out_same_dtype(dtype):
    x = torch.rand(2, 3, 4, 5, dtype=dtype)
    w = torch.rand(3, 2, 2, 3, dtype=dtype)
    b = torch.rand(2, dtype=dtype)
    y = F.conv_transpose2d(x, w, b, stride=2)
    assert isinstance(y, torch.Tensor) and y.dtype == dtype
    assert y.device.type == "cpu" and not y.requires_grad
    assert_close_to_torch(y, x, w, b, stride=2)
    y3 = F.conv_transpose2d(x[0], w, b, stride=2)  # unbatched
    assert y3.shape == y.shape[1:] and torch.equal(y3, y[0])


def test_numpy_in_numpy_out_even_with_a_torch_layer():
    m = nn.ConvTranspose2d(3, 2, 2)
    y = m(np.ones((1, 3, 4, 4), np.float32))
    assert isinstance(y, np.ndarray) and y.dtype == np.float32
    y = F.conv_transpose2d(np.ones((1, 3, 4, 4)), m.weight.double())
    assert isinstance(y, np.ndarray) and y.dtype == np.float64


def test_results_wrap_flows_buffer_without_a_copy():
    a = np.arange(6.0).reshape(2, 3)
    t = numpy_to_tensor(a, torch.device("cpu"))
    assert t.data_ptr() == a.ctypes.data
    # inputs are read in place too: a contiguous tensor is not copied
    x = torch.rand(1, 1, 3, 3)
    assert flow.nn._autograd.tensor_to_numpy(x).ctypes.data == x.data_ptr()


def test_module_surface():
    m = nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2)
    assert isinstance(m, torch.nn.ConvTranspose2d)
    assert isinstance(m.weight, torch.nn.Parameter)
    assert list(m.state_dict()) == ["weight", "bias"]
    model = torch.nn.Sequential(m, torch.nn.ReLU())
    assert len(list(model.parameters())) == 2
    assert m.to(torch.float64) is m and m.weight.dtype == torch.float64
    assert m.to(np.float32).weight.dtype == torch.float32
    m.half()
    assert m.bias.dtype == torch.float16
    m2 = nn.ConvTranspose2d(4, 6, 3, dtype=torch.float64)
    assert m2.weight.dtype == torch.float64
    m3 = nn.ConvTranspose2d(4, 6, 3, dtype=np.float16)
    assert m3.weight.dtype == torch.float16
    with pytest.raises(ValueError, match="unsupported dtype int32"):
        nn.ConvTranspose2d(4, 6, 3, dtype=torch.int32)


def test_dtypes_accepted_everywhere():
    m = flow.nn.NumpyConvTranspose2d(1, 1, 1, dtype=torch.float64)
    assert m.weight.dtype == np.float64
    assert m.to(torch.float16).weight.dtype == np.float16


def test_lists_become_float32():
    y = F.conv_transpose2d([[[[1, 2], [3, 4]]]], [[[[2.0]]]])
    assert isinstance(y, np.ndarray) and y.dtype == np.float32
    np.testing.assert_array_equal(y, [[[[2, 4], [6, 8]]]])


NO_TORCH = r"""
import sys
sys.modules["torch"] = None          # import torch raises ImportError
import numpy as np
import flow_mlir as flow, flow_mlir.nn as nn
assert nn.ConvTranspose2d is nn.NumpyConvTranspose2d
np.random.seed(0)
m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
out = m(np.random.randn(2, 16, 5, 10).astype(np.float32))
assert out.shape == (2, 33, 3, 10) and out.dtype == np.float32, out.shape
m.to(np.float64)
print("ok", type(out).__name__)
"""


def test_package_works_without_torch():
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-c", NO_TORCH], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok ndarray"
