"""``flow_mlir.nn.ConvTranspose2d``: the OneFlow/PyTorch module over NumPy."""

import collections
import math

import numpy as np

from .._arrays import as_array, as_int, as_pair, float_dtype
from .._device import is_device_like, target_of
from . import functional as F

__all__ = ["ConvTranspose2d"]


def _output_padding(input_shape, output_size, stride, padding, kernel_size,
                    dilation):
    """PyTorch's _ConvTransposeNd._output_padding: the output_padding that
    makes the result's spatial size `output_size`."""
    non_spatial = 2 if len(input_shape) == 4 else 1
    try:
        output_size = [as_int(s, "output_size") for s in output_size]
    except TypeError:
        raise ValueError("output_size must be a sequence of ints, got "
                         f"{output_size!r}") from None
    if len(output_size) == non_spatial + 2:
        output_size = output_size[non_spatial:]
    if len(output_size) != 2:
        raise ValueError(
            f"ConvTranspose2D: for {len(input_shape)}D input, output_size "
            f"must have 2 or {non_spatial + 2} elements (got "
            f"{len(output_size)})")
    spatial = input_shape[non_spatial:]
    min_sizes = [(spatial[d] - 1) * stride[d] - 2 * padding[d] +
                 dilation[d] * (kernel_size[d] - 1) + 1 for d in range(2)]
    max_sizes = [min_sizes[d] + stride[d] - 1 for d in range(2)]
    for d in range(2):
        if not min_sizes[d] <= output_size[d] <= max_sizes[d]:
            raise ValueError(
                f"requested an output size of {output_size}, but valid sizes "
                f"range from {min_sizes} to {max_sizes} (for an input of "
                f"{list(spatial)})")
    return (output_size[0] - min_sizes[0], output_size[1] - min_sizes[1])


def layer_arguments(in_channels, out_channels, kernel_size, stride,
                    padding, output_padding, groups, dilation, padding_mode):
    """Checks a ConvTranspose2d constructor's arguments (ValueError with
    PyTorch's messages) and returns them normalised: ints and int pairs."""
    in_channels = as_int(in_channels, "in_channels")
    out_channels = as_int(out_channels, "out_channels")
    groups = as_int(groups, "groups")
    if groups <= 0:
        raise ValueError("groups must be a positive integer")
    if in_channels <= 0 or out_channels <= 0:
        raise ValueError("in_channels and out_channels must be positive "
                         f"integers, got {in_channels} and "
                         f"{out_channels}")
    if in_channels % groups != 0:
        raise ValueError("in_channels must be divisible by groups")
    if out_channels % groups != 0:
        raise ValueError("out_channels must be divisible by groups")
    if isinstance(padding, str):
        raise ValueError(f"padding={padding!r} is not supported for "
                         "ConvTranspose2d; give an int or a pair of ints")
    if padding_mode != "zeros":
        raise ValueError('Only "zeros" padding mode is supported for '
                         "ConvTranspose2d")
    kernel_size = as_pair(kernel_size, "kernel_size")
    stride = as_pair(stride, "stride")
    padding = as_pair(padding, "padding")
    output_padding = as_pair(output_padding, "output_padding")
    dilation = as_pair(dilation, "dilation")
    if min(kernel_size) <= 0:
        raise ValueError(f"kernel_size must be positive, got "
                         f"{kernel_size}")
    if min(stride) <= 0:
        raise ValueError("non-positive stride is not supported")
    if min(padding) < 0:
        raise ValueError("negative padding is not supported")
    if min(dilation) <= 0:
        raise ValueError("dilation should be greater than zero")
    if min(output_padding) < 0:
        raise ValueError("negative output_padding is not supported")
    if any(output_padding[i] >= stride[i] and
           output_padding[i] >= dilation[i] for i in range(2)):
        raise ValueError(
            "output padding must be smaller than either stride or "
            f"dilation, but got output_padding={output_padding}, "
            f"stride={stride}, dilation={dilation}")

    return (in_channels, out_channels, kernel_size, stride, padding,
            output_padding, groups, dilation)


class ConvTranspose2d:
    """2-D transposed convolution over NCHW (or unbatched CHW) arrays, with
    the signature, parameter shapes and initialisation of
    ``oneflow.nn.ConvTranspose2d`` / ``torch.nn.ConvTranspose2d``.

    Parameters are NumPy arrays: ``weight`` of shape
    (in_channels, out_channels // groups, kH, kW) and ``bias`` of shape
    (out_channels,) (None when ``bias=False``), both drawn from
    U(-sqrt(k), sqrt(k)) with k = groups / (out_channels * kH * kW) through
    ``numpy.random`` (seed it with ``numpy.random.seed``). ``device`` ('cpu'
    or 'cuda') picks the JIT target, ``dtype`` the parameters' dtype
    (float32 by default). Only padding_mode='zeros' exists.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, output_padding=0, groups=1, bias=True,
                 dilation=1, padding_mode="zeros", device=None, dtype=None):
        (in_channels, out_channels, kernel_size, stride, padding,
         output_padding, groups, dilation) = layer_arguments(
            in_channels, out_channels, kernel_size, stride, padding,
            output_padding, groups, dilation, padding_mode)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.output_padding = output_padding
        self.dilation = dilation
        self.groups = groups
        self.padding_mode = padding_mode
        self.transposed = True
        self.training = True
        self.device = target_of(device)
        #: Lowering of conv_transpose2d: 'phase' or 'zero-insert'.
        self.strategy = "phase"
        dt = float_dtype(np.float32 if dtype is None else dtype)
        self.weight = np.empty(
            (in_channels, out_channels // groups) + kernel_size, dtype=dt)
        self.bias = np.empty((out_channels,), dtype=dt) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """Draws weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
        fan_in = (out_channels // groups) * kH * kW (PyTorch's init for a
        transposed convolution's weight layout)."""
        fan_in = self.weight.shape[1] * self.kernel_size[0] * \
            self.kernel_size[1]
        bound = 1.0 / math.sqrt(fan_in)
        dt = self.weight.dtype
        self.weight = np.random.uniform(-bound, bound,
                                        self.weight.shape).astype(dt)
        if self.bias is not None:
            self.bias = np.random.uniform(-bound, bound,
                                          self.bias.shape).astype(dt)

    def forward(self, input, output_size=None):
        """Applies the layer to `input` (N, Cin, H, W) or (Cin, H, W).
        `output_size` (the spatial size, or the full size) picks the
        output_padding that yields it, as in PyTorch."""
        if isinstance(input, (list, tuple)):
            input = np.asarray(input, self.weight.dtype)
        # Integer, bool and non-native byte order inputs are rejected by
        # the functional form's checks (one rule, PyTorch's): no silent cast.
        x = as_array(input, "input")
        if x.ndim not in (3, 4):
            raise ValueError("Expected 3D (unbatched) or 4D (batched) input "
                             "to conv_transpose2d, but got input of size: "
                             f"{list(x.shape)}")
        if output_size is None:
            output_padding = self.output_padding
        else:
            output_padding = _output_padding(
                x.shape, output_size, self.stride, self.padding,
                self.kernel_size, self.dilation)
        return F.conv_transpose2d(x, self.weight, self.bias, self.stride,
                                  self.padding, output_padding, self.groups,
                                  self.dilation, device=self.device,
                                  strategy=self.strategy)

    __call__ = forward

    def emit_mlir(self, input, output_size=None, lowered=False):
        """The MLIR that forward(input, output_size) compiles (see
        ``flow_mlir.nn.functional.emit_mlir``)."""
        x = as_array(input, "input")
        output_padding = self.output_padding if output_size is None else \
            _output_padding(x.shape, output_size, self.stride, self.padding,
                            self.kernel_size, self.dilation)
        return F.emit_mlir(x, self.weight, self.bias, self.stride,
                           self.padding, output_padding, self.groups,
                           self.dilation, device=self.device,
                           strategy=self.strategy, lowered=lowered)

    # -- device, dtype and parameters (the torch.nn.Module surface) --------

    def to(self, *args, device=None, dtype=None):
        """``.to('cuda')``, ``.to('cpu')``, ``.to(numpy.float64)`` or both:
        moves the layer to the target and/or casts its parameters. Returns
        the layer itself."""
        for arg in args:
            if is_device_like(arg):
                device = arg
            elif dtype is None:
                dtype = arg
            else:
                raise ValueError(f"to() got an unexpected argument {arg!r}")
        if device is not None:
            self.device = target_of(device)
        if dtype is not None:
            dt = float_dtype(dtype, "to()")
            self.weight = self.weight.astype(dt)
            if self.bias is not None:
                self.bias = self.bias.astype(dt)
        return self

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to("cuda" if device is None else f"cuda:{device}")

    def half(self):
        return self.to(np.float16)

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def train(self, mode=True):
        self.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def named_parameters(self):
        yield "weight", self.weight
        if self.bias is not None:
            yield "bias", self.bias

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def state_dict(self):
        return collections.OrderedDict(
            (name, p.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state_dict):
        """Copies 'weight' and 'bias' (NumPy arrays, torch tensors, ...)
        into the layer, keeping its dtype; shapes must match."""
        expected = dict(self.named_parameters())
        missing = set(expected) - set(state_dict)
        unexpected = set(state_dict) - set(expected)
        if missing or unexpected:
            raise ValueError(f"load_state_dict: missing keys "
                             f"{sorted(missing)}, unexpected keys "
                             f"{sorted(unexpected)}")
        for name, current in expected.items():
            value = np.array(as_array(state_dict[name], name),
                             dtype=current.dtype)
            if value.shape != current.shape:
                raise ValueError(f"load_state_dict: {name} has shape "
                                 f"{value.shape}, expected {current.shape}")
            setattr(self, name, value)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, "
             f"kernel_size={self.kernel_size}, stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s

    def __repr__(self):
        return f"ConvTranspose2d({self.extra_repr()})"
