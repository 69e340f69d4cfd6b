"""Whether a CUDA device is present (``flow_mlir.cuda.is_available()``).

This looks at the driver only (libcuda.so.1, cuInit, cuDeviceGetCount). The
JIT's CUDA target reports its own errors when it cannot run (for example when
this build has no CUDA back end).
"""

import ctypes
import functools


@functools.lru_cache(maxsize=None)
def device_count():
    """Number of CUDA devices the driver reports; 0 without a driver."""
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return 0
    try:
        if lib.cuInit(0) != 0:
            return 0
        count = ctypes.c_int(0)
        if lib.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return 0
        return count.value
    except AttributeError:
        return 0


def is_available():
    """True when the CUDA driver reports at least one device."""
    return device_count() > 0
