"""PyTorch interoperation, used only where torch is importable: the
package works with NumPy alone (every function here returns None / False
when torch is absent)."""

import numpy as np

_TORCH = []


def torch_or_none():
    """The torch module, or None where it cannot be imported."""
    if not _TORCH:
        try:
            import torch
        except ImportError:
            torch = None
        _TORCH.append(torch)
    return _TORCH[0]


def is_tensor(value):
    torch = torch_or_none()
    return torch is not None and isinstance(value, torch.Tensor)


def any_tensor(*values):
    return any(is_tensor(v) for v in values)


def numpy_dtype_of(dtype):
    """A torch dtype (torch.float32, ...) as a NumPy dtype; anything else
    is returned unchanged. torch dtypes without a NumPy twin (bfloat16)
    become their name, which NumPy rejects with a clear message."""
    torch = torch_or_none()
    if torch is not None and isinstance(dtype, torch.dtype):
        name = str(dtype).rpartition(".")[2]
        try:
            return np.dtype(name)
        except TypeError:
            return name
    return dtype


def torch_dtype_of(dtype):
    """A NumPy dtype (or a torch dtype) as a torch dtype."""
    torch = torch_or_none()
    if isinstance(dtype, torch.dtype):
        return dtype
    return getattr(torch, np.dtype(dtype).name)


def tensor_to_numpy(t):
    """A CPU view of tensor `t` as a NumPy array (no copy for CPU tensors;
    detached, so a tensor that requires grad can be read)."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    if t.is_conj():
        t = t.resolve_conj()
    return t.numpy()


def numpy_to_tensor(a, device):
    """Wraps the NumPy array `a` (flow's result buffer) as a tensor without
    copying it on the CPU; copies it to `device` otherwise."""
    torch = torch_or_none()
    t = torch.from_numpy(a)
    if device is not None and device.type != "cpu":
        t = t.to(device)
    return t
