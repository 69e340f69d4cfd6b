"""Random configurations in OneFlow's autotest ranges against PyTorch in
float64, through the functional API, the module (sharing the compiled
kernel) and both lowerings."""

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import (assert_close_to_torch, config_id, configs, conv_kwargs,
                     random_arrays, torch)

CONFIGS = configs(110, seed=1)
ZERO_INSERT_CONFIGS = configs(16, seed=2)


@pytest.mark.parametrize("i", range(len(CONFIGS)),
                         ids=[config_id(c) for c in CONFIGS])
def test_functional_and_module_vs_torch(i):
    cfg = CONFIGS[i]
    x, w, b = random_arrays(cfg, seed=i)
    kw = conv_kwargs(cfg)
    y = F.conv_transpose2d(x, w, b, **kw)
    assert y.shape == (cfg["N"], cfg["Cout"]) + y.shape[2:]
    assert_close_to_torch(y, x, w, b, **kw)

    # The module with torch's own layer's parameters; same signature, so the
    # kernel comes from the cache.
    ref = torch.nn.ConvTranspose2d(cfg["Cin"], cfg["Cout"], cfg["kernel"],
                                   bias=cfg["bias"], **kw)
    m = nn.ConvTranspose2d(cfg["Cin"], cfg["Cout"], cfg["kernel"],
                           bias=cfg["bias"], **kw)
    m.load_state_dict(ref.state_dict())
    before = flow.compile_count()
    ym = m(x)
    assert flow.compile_count() == before
    assert_close_to_torch(ym, x, m.weight, m.bias, **kw)
    with torch.no_grad():
        expected = ref.double()(torch.from_numpy(x).double()).numpy()
    np.testing.assert_allclose(ym, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("i", range(len(ZERO_INSERT_CONFIGS)),
                         ids=[config_id(c) for c in ZERO_INSERT_CONFIGS])
def test_zero_insert_strategy_vs_torch_and_phase(i):
    cfg = ZERO_INSERT_CONFIGS[i]
    x, w, b = random_arrays(cfg, seed=1000 + i, dtype=np.float64)
    kw = conv_kwargs(cfg)
    zi = F.conv_transpose2d(x, w, b, strategy="zero-insert", **kw)
    ph = F.conv_transpose2d(x, w, b, strategy="phase", **kw)
    assert_close_to_torch(zi, x, w, b, **kw)
    assert_close_to_torch(ph, x, w, b, **kw)
    # Two independent lowerings, float64: they agree to rounding.
    np.testing.assert_allclose(zi, ph, rtol=1e-12, atol=1e-12)
