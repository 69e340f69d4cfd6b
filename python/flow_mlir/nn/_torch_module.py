"""``flow_mlir.nn.ConvTranspose2d`` where torch is importable: a
``torch.nn.ConvTranspose2d`` (same parameters, init, state_dict, ``.to``,
hooks, nesting) whose forward runs flow's compiled kernels, forward and
backward. NumPy in gives NumPy out."""

import numpy as np
import torch

from .._device import is_device_like, target_of
from .._torch import is_tensor, numpy_dtype_of
from .._arrays import as_array, float_dtype
from . import functional as F
from ._autograd import ArgumentError
from .modules import _output_padding, layer_arguments

__all__ = ["ConvTranspose2d"]


def _to_torch_dtype(dtype):
    if dtype is None or isinstance(dtype, torch.dtype) and \
            dtype in (torch.float16, torch.float32, torch.float64):
        return dtype
    return getattr(torch, float_dtype(numpy_dtype_of(dtype)).name)


class ConvTranspose2d(torch.nn.ConvTranspose2d):
    """``torch.nn.ConvTranspose2d`` computed by flow-mlir. ``weight`` and
    ``bias`` are torch Parameters drawn as torch draws them (seed with
    ``torch.manual_seed``); ``dtype`` and ``.to()`` take torch or NumPy
    dtypes. Tensors that require grad make the call differentiable, with
    flow's kernels in the backward. ``strategy`` picks the lowering
    ('phase' or 'zero-insert'). ``device='cuda'`` runs flow's CUDA target;
    where torch has no CUDA the parameters stay in host memory."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, output_padding=0, groups=1, bias=True,
                 dilation=1, padding_mode="zeros", device=None, dtype=None):
        target = target_of(device)
        (in_channels, out_channels, kernel_size, stride, padding,
         output_padding, groups, dilation) = layer_arguments(
            in_channels, out_channels, kernel_size, stride, padding,
            output_padding, groups, dilation, padding_mode)
        super().__init__(in_channels, out_channels, kernel_size, stride,
                         padding, output_padding, groups, bias, dilation,
                         padding_mode, device=self._torch_device(target),
                         dtype=_to_torch_dtype(dtype))
        self.device = target
        #: Lowering of conv_transpose2d: 'phase' or 'zero-insert'.
        self.strategy = "phase"

    @staticmethod
    def _torch_device(target):
        if target == "cuda" and torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("cpu")

    def to(self, *args, **kwargs):
        """torch's ``.to`` that also takes NumPy dtypes; ``'cuda'`` selects
        flow's CUDA target (and moves the parameters where torch has
        CUDA)."""
        device = kwargs.pop("device", None)
        dtype = kwargs.pop("dtype", None)
        rest = []
        for arg in args:
            if is_device_like(arg):
                device = arg
            elif isinstance(arg, torch.Tensor):
                device, dtype = arg.device, arg.dtype
            elif dtype is None:
                dtype = arg
            else:
                raise ValueError(f"to() got an unexpected argument {arg!r}")
        if device is not None:
            target = target_of(device)
            kwargs["device"] = self._torch_device(target)
        if dtype is not None:
            try:
                kwargs["dtype"] = _to_torch_dtype(dtype)
            except ValueError as err:
                raise ValueError(f"to(): {err}") from None
        result = super().to(*rest, **kwargs)
        if device is not None:
            self.device = target
        return result

    def cuda(self, device=None):
        return self.to("cuda" if device is None else f"cuda:{device}")

    def cpu(self):
        return self.to("cpu")

    def _parameters_for(self, x):
        """weight and bias as the call needs them: the Parameters for a
        tensor input, detached NumPy views for NumPy input."""
        if is_tensor(x):
            return self.weight, self.bias
        b = None if self.bias is None else self.bias.detach().cpu().numpy()
        return self.weight.detach().cpu().numpy(), b

    def forward(self, input, output_size=None):
        if isinstance(input, (list, tuple)):
            input = np.asarray(input, str(self.weight.dtype).rpartition(
                ".")[2])
        if not is_tensor(input):
            input = as_array(input, "input")
        if input.ndim not in (3, 4):
            raise (ArgumentError if is_tensor(input) else ValueError)("Expected 3D (unbatched) or 4D (batched) input "
                             "to conv_transpose2d, but got input of size: "
                             f"{list(input.shape)}")
        output_padding = self.output_padding if output_size is None else \
            _output_padding(tuple(input.shape), output_size, self.stride,
                            self.padding, self.kernel_size, self.dilation)
        w, b = self._parameters_for(input)
        return F.conv_transpose2d(input, w, b, self.stride, self.padding,
                                  output_padding, self.groups, self.dilation,
                                  device=self.device, strategy=self.strategy)

    def emit_mlir(self, input, output_size=None, lowered=False):
        """The MLIR that forward(input, output_size) compiles (see
        ``flow_mlir.nn.functional.emit_mlir``)."""
        x = as_array(input, "input")
        output_padding = self.output_padding if output_size is None else \
            _output_padding(x.shape, output_size, self.stride, self.padding,
                            self.kernel_size, self.dilation)
        w, b = self._parameters_for(x)
        return F.emit_mlir(x, w, b, self.stride, self.padding,
                           output_padding, self.groups, self.dilation,
                           device=self.device, strategy=self.strategy,
                           lowered=lowered)
