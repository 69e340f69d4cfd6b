"""The CUDA target. With a GPU, results are checked against PyTorch; without
one, .to('cuda') still routes to target 'cuda' and fails with a clear
exception instead of silently running on the CPU."""

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import (assert_close_to_torch, config_id, configs, conv_kwargs,
                     random_arrays)

HAS_GPU = flow.cuda.is_available()
needs_gpu = pytest.mark.skipif(
    not HAS_GPU, reason="no CUDA device (flow_mlir.cuda.is_available() is "
                        "False: no libcuda.so.1 or no device)")
CUDA_CONFIGS = configs(8, seed=4)


@needs_gpu
def test_seed_example_on_cuda():
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    m = m.to("cuda")
    x = np.random.randn(20, 16, 50, 100).astype(np.float32)
    out = m(x)
    assert out.shape == (20, 33, 93, 100)
    assert_close_to_torch(out, x, m.weight, m.bias, stride=(2, 1),
                          padding=(4, 2))


@needs_gpu
@pytest.mark.parametrize("i", range(len(CUDA_CONFIGS)),
                         ids=[config_id(c) for c in CUDA_CONFIGS])
def test_random_configs_on_cuda(i):
    cfg = CUDA_CONFIGS[i]
    x, w, b = random_arrays(cfg, seed=i)
    kw = conv_kwargs(cfg)
    y = F.conv_transpose2d(x, w, b, device="cuda", **kw)
    assert_close_to_torch(y, x, w, b, **kw)


@pytest.mark.skipif(HAS_GPU, reason="a CUDA device is present")
def test_cuda_without_a_gpu_raises_a_clear_error():
    m = nn.ConvTranspose2d(2, 3, 3).to("cuda")
    x = np.zeros((1, 2, 4, 4), np.float32)
    size = flow.cache_info().size
    with pytest.raises(RuntimeError, match="(?i)cuda") as info:
        m(x)
    assert str(info.value).strip()
    assert flow.cache_info().size == size  # the failure is not cached
    # the same layer still works on the CPU
    assert m.to("cpu")(x).shape == (1, 3, 6, 6)
