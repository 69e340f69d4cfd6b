"""One compile per layer: kernels keep the batch (and, with
set_dynamic_dims("nhw"), the image size) dynamic, so a layer compiles once
for every input size."""

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import assert_close_to_torch


@pytest.fixture
def dims():
    old = F.dynamic_dims()
    yield F.set_dynamic_dims
    F.set_dynamic_dims(old)


def make_layer():
    # hyper-parameters no other test uses, so that no kernel is cached yet
    return nn.ConvTranspose2d(3, 4, (3, 2), stride=(2, 3), padding=(1, 0),
                              dilation=(1, 2))


def test_one_compile_for_batches_and_image_sizes(dims):
    dims("nhw")
    flow.clear_cache()
    before = flow.compile_count()
    m = make_layer()
    rng = np.random.default_rng(0)
    for h, w in [(5, 4), (9, 7), (2, 11)]:
        for n in range(1, 9):
            x = rng.uniform(-1, 1, (n, 3, h, w)).astype(np.float32)
            y = m(x)
            if n in (1, 8):
                assert_close_to_torch(y, x, m.weight, m.bias, stride=(2, 3),
                                      padding=(1, 0), dilation=(1, 2))
    # an unbatched input is the batch of one
    x = rng.uniform(-1, 1, (3, 6, 6)).astype(np.float32)
    assert_close_to_torch(m(x)[None], x[None], m.weight, m.bias,
                          stride=(2, 3), padding=(1, 0), dilation=(1, 2))
    assert flow.compile_count() == before + 1


def test_default_keeps_the_batch_dynamic(dims):
    assert F.dynamic_dims() == "n" and F.dynamic_dims("cuda") == ""
    flow.clear_cache()
    before = flow.compile_count()
    m = make_layer()
    rng = np.random.default_rng(1)
    for h, w in [(5, 4), (9, 7)]:
        for n in range(1, 9):
            m(rng.uniform(-1, 1, (n, 3, h, w)).astype(np.float32))
    assert flow.compile_count() == before + 2


def test_emitted_mlir_has_dynamic_dims(dims):
    m = make_layer()
    x = np.zeros((2, 3, 5, 4), np.float32)
    text = m.emit_mlir(x)
    assert "%x: tensor<?x3x5x4xf32>" in text and "-> tensor<?x4x9x12xf32>" in text
    dims("nhw")
    text = m.emit_mlir(x)
    assert "%x: tensor<?x3x?x?xf32>" in text and "-> tensor<?x4x?x?xf32>" in text
    dims("")
    assert "tensor<2x3x5x4xf32>" in m.emit_mlir(x)


def test_invalid_sizes_still_raise_pytorch_errors(dims):
    dims("nhw")
    w = np.ones((3, 2, 5, 5), np.float32)
    F.conv_transpose2d(np.ones((1, 3, 4, 4), np.float32), w, padding=3)
    with pytest.raises(ValueError, match="Output size is too small"):
        F.conv_transpose2d(np.ones((1, 3, 1, 1), np.float32), w, padding=3)


def test_bad_switch_values(dims):
    with pytest.raises(ValueError):
        dims("nx")
    with pytest.raises(ValueError):
        dims("n", target="tpu")
