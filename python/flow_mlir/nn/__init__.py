"""Neural-network layers (``flow_mlir.nn.ConvTranspose2d``) and their
functional forms (``flow_mlir.nn.functional``)."""

from . import functional
from .modules import ConvTranspose2d

__all__ = ["ConvTranspose2d", "functional"]
