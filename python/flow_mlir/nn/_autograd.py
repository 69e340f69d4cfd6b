"""conv_transpose2d on torch tensors: tensors in, tensors out, and a
``torch.autograd.Function`` whose backward runs flow's compiled gradient
kernels (``_grad_source``). Imported only where torch is importable."""

import torch

from .. import _arrays
from .._compiler import CACHE, build_missing, compile_source
from .._device import target_of
from .._torch import numpy_to_tensor, tensor_to_numpy
from . import _grad_source
from . import functional as F

__all__ = ["ArgumentError", "conv_transpose2d_tensors"]


class ArgumentError(ValueError, RuntimeError):
    """A bad argument to a call on torch tensors: a RuntimeError as in
    torch, and a ValueError as for NumPy arrays in flow_mlir."""


_FLOATS = (torch.float16, torch.float32, torch.float64)


def _as_tensor(value, name, like):
    if value is None or isinstance(value, torch.Tensor):
        return value
    try:
        return torch.as_tensor(value, dtype=like.dtype, device=like.device)
    except (TypeError, ValueError, RuntimeError) as err:
        raise ArgumentError(f"{name}: cannot convert "
                            f"{type(value).__name__} to a tensor ({err})") \
            from None


def _check(x, w, b):
    """torch's device and dtype rules, with its exception type."""
    tensors = [t for t in (x, w, b) if t is not None]
    devices = sorted({str(t.device) for t in tensors})
    if len(devices) > 1:
        raise ArgumentError("Expected all tensors to be on the same device, "
                            f"but found at least two devices, {devices[0]} "
                            f"and {devices[1]}!")
    for t in tensors:
        if t.device.type not in ("cpu", "cuda"):
            raise ArgumentError(f"conv_transpose2d: tensors on device "
                                f"'{t.device}' are not supported; flow_mlir "
                                "runs on 'cpu' and 'cuda'")
    for name, t in (("input", x), ("weight", w), ("bias", b)):
        if t is not None and t.dtype not in _FLOATS:
            raise ArgumentError(
                f"conv_transpose2d: {name} has dtype {t.dtype}, but only "
                "floating-point dtypes (float16, float32, float64) are "
                "supported")
    for name, t in (("weight", w), ("bias", b)):
        if t is not None and t.dtype != x.dtype:
            raise ArgumentError(f"Input type ({x.dtype}) and {name} type "
                                f"({t.dtype}) should be the same")


def _target(x, device):
    if x.device.type == "cuda":
        return "cuda"
    return target_of(device) if device != "cpu" else "cpu"


def _grad_kernel(kind, go_shape, x_shape, w_shape, dtype, attrs, target):
    """The compiled grad_input ('input') or grad_weight ('weight') kernel,
    cached by shapes, dtype and attributes."""
    stride, padding, dilation, groups = attrs
    key = ("conv_transpose2d_grad_" + kind, go_shape, x_shape, w_shape,
           dtype.char, stride, padding, dilation, groups, target)
    fn = CACHE.lookup(key)
    if fn is None:
        make = _grad_source.grad_input_source if kind == "input" else \
            _grad_source.grad_weight_source
        source = make(go_shape, x_shape, w_shape, stride, padding, dilation,
                      groups, _arrays.MLIR_TYPES[dtype])
        fn = build_missing(key, lambda: compile_source(
            source, f"<flow_mlir conv_transpose2d grad_{kind}>", target))
    return fn


class ConvTranspose2dFunction(torch.autograd.Function):
    """y = conv_transpose2d(x, w, b); backward with flow's kernels:
    grad_input (the strided convolution of grad_output with w),
    grad_weight, and grad_bias (the sum of grad_output over N, H, W)."""

    @staticmethod
    def forward(ctx, x, w, b, stride, padding, output_padding, groups,
                dilation, target, strategy):
        y = F.conv_transpose2d_arrays(
            tensor_to_numpy(x), tensor_to_numpy(w),
            None if b is None else tensor_to_numpy(b), stride, padding,
            output_padding, groups, dilation, target, strategy)
        ctx.save_for_backward(x, w)
        ctx.attrs = (stride, padding, dilation, groups)
        ctx.target = target
        return numpy_to_tensor(y, x.device)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        go = _arrays.for_kernel(tensor_to_numpy(grad_output))
        gi = gw = gb = None
        shapes = (tuple(go.shape), tuple(x.shape), tuple(w.shape), go.dtype,
                  ctx.attrs, ctx.target)
        if ctx.needs_input_grad[0]:
            fn = _grad_kernel("input", *shapes)
            gi = numpy_to_tensor(
                fn._kernel([go, _arrays.for_kernel(tensor_to_numpy(w))])[0],
                x.device)
        if ctx.needs_input_grad[1]:
            fn = _grad_kernel("weight", *shapes)
            gw = numpy_to_tensor(
                fn._kernel([_arrays.for_kernel(tensor_to_numpy(x)), go])[0],
                w.device)
        if ctx.needs_input_grad[2]:
            gb = grad_output.sum((0, 2, 3))
        return gi, gw, gb, None, None, None, None, None, None, None


def conv_transpose2d_tensors(input, weight, bias, stride, padding,
                             output_padding, groups, dilation, *, device,
                             strategy):
    """conv_transpose2d with a torch tensor `input`: returns a tensor of its
    dtype on its device, differentiable in input, weight and bias."""
    w = _as_tensor(weight, "weight", input)
    b = _as_tensor(bias, "bias", input)
    x = input
    try:
        _check(x, w, b)
        target = _target(x, device)
        pairs = [_arrays.as_pair(v, n) for v, n in (
            (stride, "stride"), (padding, "padding"),
            (output_padding, "output_padding"), (dilation, "dilation"))]
        groups = _arrays.as_int(groups, "groups")
        unbatched = x.dim() == 3
        if unbatched:
            x = x.unsqueeze(0)
        needs_grad = torch.is_grad_enabled() and any(
            t is not None and t.requires_grad for t in (x, w, b))
        if needs_grad:
            y = ConvTranspose2dFunction.apply(
                x, w, b, pairs[0], pairs[1], pairs[2], groups, pairs[3],
                target, strategy)
        else:
            y = numpy_to_tensor(F.conv_transpose2d_arrays(
                tensor_to_numpy(x), tensor_to_numpy(w),
                None if b is None else tensor_to_numpy(b), pairs[0],
                pairs[1], pairs[2], groups, pairs[3], target, strategy),
                x.device)
    except ArgumentError:
        raise
    except ValueError as err:
        # torch raises RuntimeError for bad shapes; keep the message.
        raise ArgumentError(str(err)) from None
    return y[0] if unbatched else y
