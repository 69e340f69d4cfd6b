"""forward(x, output_size=...) with PyTorch's meaning, checked against
torch's own ConvTranspose2d given the same output_size."""

import numpy as np
import pytest

import flow_mlir.nn as nn
from flowref import torch

CASES = [
    # (Cin, Cout, kernel, stride, padding, dilation, groups, input HW)
    (2, 3, 3, 2, 1, 1, 1, (5, 6)),
    (4, 4, (2, 3), (3, 2), (0, 1), (1, 2), 2, (4, 3)),
    (3, 6, (3, 1), (2, 3), (1, 0), (2, 1), 3, (3, 5)),
]


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_every_reachable_output_size_matches_torch(case):
    cin, cout, k, s, p, d, g, hw = CASES[case]
    ref = torch.nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p,
                                   dilation=d, groups=g).double()
    m = nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p, dilation=d,
                           groups=g, dtype=np.float64)
    m.load_state_dict(ref.state_dict())
    x = np.random.default_rng(case).uniform(-1, 1, (2, cin) + hw)
    k, s, p, d = _pair(k), _pair(s), _pair(p), _pair(d)
    smallest = [(hw[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + 1
                for i in range(2)]
    for oh in range(smallest[0], smallest[0] + s[0]):
        for ow in range(smallest[1], smallest[1] + s[1]):
            # spatial-only and full-size forms
            for size in ((oh, ow), (2, cout, oh, ow)):
                y = m(x, output_size=size)
                with torch.no_grad():
                    e = ref(torch.from_numpy(x), output_size=list(size))
                assert y.shape == tuple(e.shape) == (2, cout, oh, ow)
                np.testing.assert_allclose(y, e.numpy(), rtol=1e-12,
                                           atol=1e-12)


def test_output_size_overrides_the_layers_output_padding():
    m = nn.ConvTranspose2d(1, 1, 3, stride=3, output_padding=2,
                           dtype=np.float64)
    x = np.ones((1, 1, 2, 2))
    # (2-1)*3 + (3-1) + 1 = 6, plus output_padding 2
    assert m(x).shape == (1, 1, 8, 8)
    assert m(x, output_size=(6, 7)).shape == (1, 1, 6, 7)


def test_output_size_with_unbatched_input():
    m = nn.ConvTranspose2d(2, 2, 2, stride=2, dtype=np.float64)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3, 3))
    y = m(x, output_size=(2, 7, 6))
    assert y.shape == (2, 7, 6)
    ref = torch.nn.ConvTranspose2d(2, 2, 2, stride=2).double()
    m.load_state_dict(ref.state_dict())
    with torch.no_grad():
        e = ref(torch.from_numpy(x), output_size=[7, 6]).numpy()
    np.testing.assert_allclose(m(x, output_size=(7, 6)), e, rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("size,match", [
    ((9, 9), r"requested an output size of \[9, 9\], but valid sizes range "
             r"from \[7, 7\] to \[8, 8\] \(for an input of \[4, 4\]\)"),
    ((6, 7), "valid sizes range from"),
    ((7,), "output_size must have 2 or 4 elements \\(got 1\\)"),
    ((1, 1, 1, 7, 7), "must have 2 or 4 elements \\(got 5\\)"),
])
def test_unreachable_output_size_is_a_value_error(size, match):
    m = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    with pytest.raises(ValueError, match=match):
        m(np.zeros((1, 1, 4, 4), np.float32), output_size=size)
    # torch agrees that it is invalid
    ref = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    with pytest.raises(ValueError):
        ref(torch.zeros(1, 1, 4, 4), output_size=list(size))
