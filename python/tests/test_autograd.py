"""Autograd: a call on tensors that require grad is a
torch.autograd.Function whose backward runs flow's compiled grad_input /
grad_weight kernels (torch's convolutions are never called);
torch.autograd.gradcheck passes in float64 on 50 random configurations in
OneFlow's autotest ranges (smaller spatial sizes so that the numerical
Jacobian stays cheap), and SGD steps of a small generator track torch's.
The longer sweep: FLOW_GRADCHECK_CONFIGS=500."""

import os
import random

import numpy as np
import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
import flow_mlir.nn.functional as F
from flowref import config_id, conv_kwargs, out_size, torch

COUNT = int(os.environ.get("FLOW_GRADCHECK_CONFIGS", "50"))


def small_config(rng):
    """OneFlow's ranges (groups 1-5, kernel 1-4, stride 1-3, padding 0-3,
    dilation 1-5, every valid output_padding) with N 1-2, H, W 1-5."""
    while True:
        g = rng.randint(1, 5)
        cfg = {"N": rng.randint(1, 2), "Cin": g * rng.randint(1, 2),
               "Cout": g * rng.randint(1, 2), "groups": g,
               "H": rng.randint(1, 5), "W": rng.randint(1, 5),
               "kernel": (rng.randint(1, 4), rng.randint(1, 4)),
               "stride": (rng.randint(1, 3), rng.randint(1, 3)),
               "padding": (rng.randint(0, 3), rng.randint(0, 3)),
               "dilation": (rng.randint(1, 5), rng.randint(1, 5)),
               "bias": rng.random() < 0.6}
        cfg["output_padding"] = tuple(
            rng.randint(0, max(cfg["stride"][i], cfg["dilation"][i]) - 1)
            for i in range(2))
        outs = [out_size((cfg["H"], cfg["W"])[i], cfg["kernel"][i],
                         cfg["stride"][i], cfg["padding"][i],
                         cfg["output_padding"][i], cfg["dilation"][i])
                for i in range(2)]
        if min(outs) >= 1 and max(outs) <= 16:
            return cfg


CONFIGS = [small_config(random.Random(7919 * i + 1)) for i in range(COUNT)]


def tensors(cfg, seed, dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)

    def rand(*shape):
        t = torch.rand(*shape, generator=gen, dtype=dtype) * 2 - 1
        return t.requires_grad_()
    x = rand(cfg["N"], cfg["Cin"], cfg["H"], cfg["W"])
    w = rand(cfg["Cin"], cfg["Cout"] // cfg["groups"], *cfg["kernel"])
    b = rand(cfg["Cout"]) if cfg["bias"] else None
    return x, w, b


@pytest.fixture
def no_torch_convolution(monkeypatch):
    """Makes any use of torch's own (transposed) convolution fail."""
    def refuse(*args, **kwargs):
        raise AssertionError("torch's convolution was called")
    for name in ("conv2d", "conv_transpose2d", "grad"):
        if hasattr(torch.nn.functional, name):
            monkeypatch.setattr(torch.nn.functional, name, refuse)
    monkeypatch.setattr(torch.nn.grad, "conv2d_input", refuse)
    monkeypatch.setattr(torch.nn.grad, "conv2d_weight", refuse)
    for name in ("convolution", "conv2d", "conv_transpose2d",
                 "convolution_backward"):
        if hasattr(torch, name):
            monkeypatch.setattr(torch, name, refuse)


def test_gradcheck_sweep(no_torch_convolution):
    """gradcheck in float64 on every configuration; the grad_fn is flow's
    Function."""
    for i, cfg in enumerate(CONFIGS):
        x, w, b = tensors(cfg, seed=i)
        kw = conv_kwargs(cfg)
        y = F.conv_transpose2d(x, w, b, **kw)
        assert type(y.grad_fn).__name__ == "ConvTranspose2dFunctionBackward"
        inputs = (x, w) if b is None else (x, w, b)
        ok = torch.autograd.gradcheck(
            lambda *t: F.conv_transpose2d(*t, **kw), inputs, eps=1e-6,
            atol=1e-7, rtol=1e-5)
        assert ok, config_id(cfg)


def test_gradients_equal_torch_float64_autograd():
    for i, cfg in enumerate(CONFIGS[:20]):
        x, w, b = tensors(cfg, seed=100 + i)
        kw = conv_kwargs(cfg)
        go = torch.rand(F.conv_transpose2d(x.detach(), w.detach(), None,
                                           **kw).shape, dtype=torch.float64)
        ours = torch.autograd.grad(F.conv_transpose2d(x, w, b, **kw),
                                   [t for t in (x, w, b) if t is not None],
                                   go)
        theirs = torch.autograd.grad(
            torch.nn.functional.conv_transpose2d(x, w, b, **kw),
            [t for t in (x, w, b) if t is not None], go)
        for a, e in zip(ours, theirs):
            # float64 sums of at most a few hundred products of |.| <= 1
            assert torch.allclose(a, e, rtol=0, atol=1e-12), config_id(cfg)


def test_only_the_needed_gradients_and_no_grad():
    x = torch.rand(1, 2, 3, 3)
    w = torch.rand(2, 2, 2, 2, requires_grad=True)
    y = F.conv_transpose2d(x, w, stride=2)
    y.sum().backward()
    assert x.grad is None and w.grad.shape == w.shape
    with torch.no_grad():
        assert F.conv_transpose2d(x, w).grad_fn is None


def generator(layer):
    """A small DCGAN-style generator (8 -> 16x16x3)."""
    return torch.nn.Sequential(
        layer(8, 16, 4, 1, 0, bias=False), torch.nn.BatchNorm2d(16),
        torch.nn.ReLU(),
        layer(16, 8, 4, 2, 1, bias=False), torch.nn.BatchNorm2d(8),
        torch.nn.ReLU(),
        layer(8, 3, 4, 2, 1), torch.nn.Tanh())


def test_sgd_steps_match_torch():
    """Five SGD steps in float32 from the same start: every weight within
    1e-4 (relative to the weights' scale) of torch's run. float32 rounding
    differs between the two (different summation orders), so they cannot
    agree bit for bit; the bound is ~100x the observed difference."""
    torch.manual_seed(0)
    ours = generator(nn.ConvTranspose2d)
    theirs = generator(torch.nn.ConvTranspose2d)
    theirs.load_state_dict(ours.state_dict())
    opts = [torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
            for m in (ours, theirs)]
    z = torch.randn(4, 8, 1, 1)
    target = torch.rand(4, 3, 16, 16) * 2 - 1
    for _ in range(5):
        for model, opt in zip((ours, theirs), opts):
            opt.zero_grad()
            loss = (model(z) - target).square().mean()
            loss.backward()
            opt.step()
    for (name, a), (_, e) in zip(ours.named_parameters(),
                                 theirs.named_parameters()):
        scale = e.abs().max().item()
        assert (a - e).abs().max().item() <= 1e-4 * scale, name
    assert flow.cache_info().compiles > 0
