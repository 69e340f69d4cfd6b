"""Conversion of user arguments to the arrays the JIT takes."""

import operator

import numpy as np

from ._torch import numpy_dtype_of

#: NumPy dtypes the JIT takes, with their MLIR element types.
MLIR_TYPES = {
    np.dtype(np.float16): "f16",
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
}


def as_array(value, name):
    """`value` as a NumPy array: ndarrays as they are, anything else through
    ``numpy.asarray`` (``__array__``, the buffer protocol, nested lists).
    PyTorch tensors that require grad are detached first."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        # Python numbers become float32, torch's default dtype.
        try:
            a = np.asarray(value)
        except Exception as err:  # noqa: BLE001 - re-raised with context
            raise ValueError(f"{name}: cannot convert "
                             f"{type(value).__name__} to a numpy array "
                             f"({err})") from err
        return a.astype(np.float32) if a.dtype.kind in "biuf" else a
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        value = value.detach()
        if hasattr(value, "cpu"):
            value = value.cpu()
    try:
        return np.asarray(value)
    except Exception as err:  # noqa: BLE001 - re-raised with context
        raise ValueError(f"{name}: cannot convert {type(value).__name__} "
                         f"to a numpy array ({err})") from err


def for_kernel(a):
    """`a` as a C-contiguous, native-endian array (a copy only if needed)."""
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    if not a.flags.c_contiguous:
        a = np.ascontiguousarray(a)
    return a


def float_dtype(dtype, what="dtype"):
    """Parses a float16/32/64 dtype given as a NumPy dtype, type or name,
    or a torch dtype."""
    try:
        dt = np.dtype(numpy_dtype_of(dtype))
    except TypeError as err:
        raise ValueError(f"{what}: {dtype!r} is not a dtype") from err
    if dt.newbyteorder("=") not in MLIR_TYPES:
        raise ValueError(f"{what}: unsupported dtype {dt}; flow_mlir supports "
                         "float16, float32 and float64")
    return dt.newbyteorder("=")


def as_int(value, name):
    """An int argument (Python or NumPy integers; bool is rejected)."""
    if type(value) is int:
        return value
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an int or a pair of ints, "
                         f"got {value!r}") from None


def as_pair(value, name):
    """An int or a sequence of two ints, as a tuple of two Python ints."""
    if type(value) is int:
        return (value, value)
    if type(value) is tuple and len(value) == 2 and type(value[0]) is int \
            and type(value[1]) is int:
        return value
    if isinstance(value, str):
        raise ValueError(f"{name} must be an int or a pair of ints, "
                         f"got {value!r}")
    try:
        items = list(value)
    except TypeError:
        v = as_int(value, name)
        return (v, v)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, "
                         f"got {len(items)} values: {value!r}")
    return (as_int(items[0], name), as_int(items[1], name))
