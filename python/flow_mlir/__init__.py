"""flow_mlir: PyTorch/OneFlow-style ``nn.ConvTranspose2d`` compiled with MLIR.

    import numpy as np, flow_mlir as flow, flow_mlir.nn as nn
    m = nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))
    out = m(np.random.randn(20, 16, 50, 100).astype(np.float32))
    out.shape  # (20, 33, 93, 100)

Arrays in and out are NumPy arrays (float16, float32, float64; any strides;
anything with ``__array__`` is accepted), or torch tensors (then calls are
differentiable, and ``nn.ConvTranspose2d`` is a ``torch.nn.Module``;
``flow_mlir.convert(model)`` puts flow's layer into a torch model). Each distinct call signature
(shapes, dtype, attributes, target, strategy) is compiled once by the
project's JIT (flow dialect -> linalg -> affine loops -> LLVM) and cached;
see :func:`cache_info`. Compiled code is also kept on disk for later
processes; see :func:`set_disk_cache`.
"""

from ._flow import CompileError
from ._compiler import (CacheInfo, CompiledFunction, DiskCacheInfo,
                        cache_info, clear_cache, compile, compile_count,
                        compile_file, disk_cache_info, set_cache_limit,
                        set_disk_cache)
from . import cuda
from . import nn
from ._convert import convert

__version__ = "0.1.0"

__all__ = [
    "CacheInfo", "CompileError", "CompiledFunction", "DiskCacheInfo",
    "cache_info", "clear_cache", "compile", "compile_count", "compile_file",
    "convert",
    "cuda", "disk_cache_info", "nn", "set_cache_limit", "set_disk_cache",
]
from .aot import load
