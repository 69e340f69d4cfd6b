"""Neural-network layers (``flow_mlir.nn.ConvTranspose2d``) and their
functional forms (``flow_mlir.nn.functional``).

Where torch is importable, ``ConvTranspose2d`` is a ``torch.nn.Module``
(a ``torch.nn.ConvTranspose2d`` computed by flow); without torch it is the
NumPy layer ``NumpyConvTranspose2d`` with the same signature."""

from . import functional
from .modules import ConvTranspose2d as NumpyConvTranspose2d
from .._torch import torch_or_none

if torch_or_none() is not None:
    from ._torch_module import ConvTranspose2d
else:
    ConvTranspose2d = NumpyConvTranspose2d

__all__ = ["ConvTranspose2d", "NumpyConvTranspose2d", "functional"]
