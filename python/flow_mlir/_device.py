"""Device names ('cpu', 'cuda', 'cuda:0', torch.device) to JIT targets."""


def is_device_like(value):
    """Whether `value` names a device rather than a dtype."""
    if isinstance(value, str):
        return value.partition(":")[0] in ("cpu", "cuda")
    return type(value).__name__ == "device" and hasattr(value, "type")


def target_of(device):
    """The JIT target ('cpu' or 'cuda') of a device; ValueError otherwise."""
    if device is None:
        return "cpu"
    if not isinstance(device, str) and hasattr(device, "type"):  # torch.device
        index = getattr(device, "index", None)
        device = device.type + ("" if index is None else f":{index}")
    if not isinstance(device, str):
        raise ValueError(f"expected a device such as 'cpu' or 'cuda', got "
                         f"{device!r}")
    kind, colon, index = device.partition(":")
    if kind not in ("cpu", "cuda") or (colon and not index.isdigit()):
        raise ValueError(f"unknown device {device!r} (expected 'cpu', 'cuda' "
                         "or 'cuda:0')")
    if colon and int(index) != 0:
        raise ValueError(f"device {device!r}: only device index 0 is "
                         "supported")
    return kind
