"""The seed's examples: nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1),
padding=(4, 2)) on a 20x16x50x100 input, as the README writes it."""

import os
import subprocess
import sys

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
from flowref import assert_close_to_torch, torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))


def test_seed_example_shape_and_values():
    np.random.seed(0)
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    x = np.random.randn(20, 16, 50, 100).astype(np.float32)
    out = m(x)
    assert out.shape == (20, 33, 93, 100)
    assert out.dtype == np.float32
    # f32 within gamma(16*15 + 1) * (|x| (*) |w| + |b|) of torch float64
    # (about 1.4e-5 relative to that magnitude; see flowref.py).
    err = assert_close_to_torch(out, x, m.weight, m.bias, stride=(2, 1),
                                padding=(4, 2))
    assert err < 1e-4


def test_seed_example_matches_torch_module():
    """The same layer built by torch, weights copied over."""
    torch.manual_seed(1)
    ref = torch.nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1),
                                   padding=(4, 2))
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    m.load_state_dict(ref.state_dict())
    x = np.random.default_rng(1).standard_normal((20, 16, 50, 100),
                                                 dtype=np.float32)
    out = m(x)
    with torch.no_grad():
        expected = ref.double()(torch.from_numpy(x).double()).numpy()
    assert out.shape == expected.shape == (20, 33, 93, 100)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_square_kernel_example():
    """OneFlow's docstring example: nn.ConvTranspose2d(16, 33, 3, stride=2)."""
    m = nn.ConvTranspose2d(16, 33, 3, stride=2)
    x = np.random.default_rng(2).standard_normal((2, 16, 10, 12),
                                                 dtype=np.float32)
    out = m(x)
    assert out.shape == (2, 33, 21, 25)
    assert_close_to_torch(out, x, m.weight, m.bias, stride=2)


def test_upsample_with_output_size_example():
    """PyTorch's docstring example: output_size recovers a 12x12 input from
    its stride-2 downsampled 6x6 version."""
    upsample = nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1)
    h = np.random.default_rng(3).standard_normal((1, 16, 6, 6),
                                                 dtype=np.float32)
    out = upsample(h, output_size=(1, 16, 12, 12))
    assert out.shape == (1, 16, 12, 12)
    assert_close_to_torch(out, h, upsample.weight, upsample.bias, stride=2,
                          padding=1, output_padding=1)


def test_examples_seed_py_runs_as_written():
    script = os.path.join(ROOT, "examples", "seed.py")
    if not os.path.exists(script):
        pytest.skip("examples/seed.py is not in this checkout")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.run([sys.executable, script], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "(20, 33, 93, 100)" in proc.stdout
