"""flow_mlir.convert(model): every torch.nn.ConvTranspose2d becomes flow's,
parameters shared; whole models (a DCGAN generator, a small U-Net
decoder) give torch's results, forward and backward, in float64 within
1e-12 (relative to the output's scale: sums of a few thousand products)
and in float32 within 1e-5."""

import copy
import warnings

import pytest

import flow_mlir as flow
import flow_mlir.nn as nn
from flowref import torch


def dcgan_generator(nz=100, ngf=16, nc=3):
    """DCGAN's generator (Radford et al.), 100 -> 64x64x3, with ngf=16 so
    that the test stays small."""
    T = torch.nn
    return T.Sequential(
        T.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
        T.BatchNorm2d(ngf * 8), T.ReLU(True),
        T.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
        T.BatchNorm2d(ngf * 4), T.ReLU(True),
        T.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
        T.BatchNorm2d(ngf * 2), T.ReLU(True),
        T.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
        T.BatchNorm2d(ngf), T.ReLU(True),
        T.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), T.Tanh())


class UNetDecoder(torch.nn.Module):
    """Three up-steps with skip connections: ConvTranspose2d(2x2, stride 2)
    then two 3x3 convolutions on the concatenation."""

    def __init__(self, chans=(32, 16, 8, 4)):
        super().__init__()
        T = torch.nn
        self.ups = T.ModuleList()
        self.convs = T.ModuleList()
        for cin, cout in zip(chans, chans[1:]):
            self.ups.append(T.ConvTranspose2d(cin, cout, 2, stride=2))
            self.convs.append(T.Sequential(
                T.Conv2d(2 * cout, cout, 3, padding=1), T.ReLU(),
                T.Conv2d(cout, cout, 3, padding=1), T.ReLU()))
        self.head = T.Conv2d(chans[-1], 1, 1)

    def forward(self, x, skips):
        for up, conv, skip in zip(self.ups, self.convs, skips):
            x = conv(torch.cat([up(x), skip], dim=1))
        return self.head(x)


def unet_inputs(dtype):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(2, 32, 4, 4, generator=g, dtype=dtype)
    skips = [torch.randn(2, c, s, s, generator=g, dtype=dtype)
             for c, s in ((16, 8), (8, 16), (4, 32))]
    return x, skips


def flow_layers(model):
    return [m for m in model.modules() if isinstance(m, nn.ConvTranspose2d)]


def max_rel(a, e):
    return ((a - e).abs().max() / e.abs().max()).item()


def test_convert_replaces_and_shares_parameters():
    torch.manual_seed(0)
    model = dcgan_generator()
    weights = [m.weight for m in model.modules()
               if isinstance(m, torch.nn.ConvTranspose2d)]
    assert flow.convert(model) is model
    layers = flow_layers(model)
    assert len(layers) == 5
    assert [m.weight for m in layers] == weights        # the same objects
    assert all(a is b for a, b in zip([m.weight for m in layers], weights))
    assert flow.convert(model) is model and flow_layers(model) == layers
    single = torch.nn.ConvTranspose2d(2, 3, 2)
    conv = flow.convert(single)
    assert isinstance(conv, nn.ConvTranspose2d) and conv.weight is \
        single.weight
    with pytest.raises(TypeError, match="torch.nn.Module"):
        flow.convert("not a model")


def test_layers_with_other_padding_modes_stay_with_a_warning():
    model = torch.nn.Sequential(torch.nn.ConvTranspose2d(2, 2, 3),
                                torch.nn.ConvTranspose2d(2, 2, 3))
    model[1].padding_mode = "circular"     # torch refuses it at __init__
    with pytest.warns(UserWarning, match="padding_mode='circular'"):
        flow.convert(model)
    assert isinstance(model[0], nn.ConvTranspose2d)
    assert type(model[1]) is torch.nn.ConvTranspose2d


@pytest.mark.parametrize("dtype,bound", [(torch.float64, 1e-12),
                                         (torch.float32, 1e-5)])
def test_dcgan_generator_matches_torch(dtype, bound):
    torch.manual_seed(0)
    theirs = dcgan_generator().to(dtype)
    ours = flow.convert(copy.deepcopy(theirs))
    z = torch.randn(4, 100, 1, 1, dtype=dtype)
    # inference (eval: BatchNorm's running statistics)
    theirs.eval(), ours.eval()
    with torch.no_grad():
        e, a = theirs(z), ours(z)
    assert a.shape == (4, 3, 64, 64) and a.dtype == dtype
    assert max_rel(a, e) <= bound
    # training: gradients of every parameter
    theirs.train(), ours.train()
    for model in (theirs, ours):
        model.zero_grad()
        model(z).square().mean().backward()
    for (name, pa), (_, pe) in zip(ours.named_parameters(),
                                   theirs.named_parameters()):
        assert max_rel(pa.grad, pe.grad) <= 10 * bound, name


@pytest.mark.parametrize("dtype,bound", [(torch.float64, 1e-12),
                                         (torch.float32, 1e-5)])
def test_unet_decoder_matches_torch(dtype, bound):
    torch.manual_seed(0)
    theirs = UNetDecoder().to(dtype)
    ours = flow.convert(copy.deepcopy(theirs))
    assert len(flow_layers(ours)) == 3
    x, skips = unet_inputs(dtype)
    x.requires_grad_()
    xo = x.detach().clone().requires_grad_()
    e, a = theirs(x, skips), ours(xo, skips)
    assert a.shape == (2, 1, 32, 32)
    assert max_rel(a, e) <= bound
    e.sum().backward()
    a.sum().backward()
    assert max_rel(xo.grad, x.grad) <= 10 * bound
    for (name, pa), (_, pe) in zip(ours.named_parameters(),
                                   theirs.named_parameters()):
        assert max_rel(pa.grad, pe.grad) <= 10 * bound, name


def test_optimizer_built_before_conversion_trains_the_flow_layers():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.ConvTranspose2d(3, 2, 3, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    flow.convert(model)
    before = model[0].weight.detach().clone()
    model(torch.randn(1, 3, 4, 4)).sum().backward()
    opt.step()
    assert not torch.equal(before, model[0].weight)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flow.convert(model)
