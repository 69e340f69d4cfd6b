"""``flow_mlir.convert(model)``: puts flow's ConvTranspose2d into a torch
model in place of ``torch.nn.ConvTranspose2d``."""

import warnings

__all__ = ["convert"]


def _flow_layer(layer, cls):
    """A flow layer that shares `layer`'s parameters, buffers and hooks
    (the same Parameter objects, so optimizers built before or after the
    conversion update both)."""
    new = cls.__new__(cls)
    new.__dict__.update(layer.__dict__)
    new.device = "cuda" if layer.weight.device.type == "cuda" else "cpu"
    new.strategy = "phase"
    return new


def convert(model, *, strategy="phase"):
    """Returns `model` with every ``torch.nn.ConvTranspose2d`` (the module
    itself or any submodule) replaced by ``flow_mlir.nn.ConvTranspose2d``
    sharing its parameters, for inference and training. Layers with a
    padding_mode other than 'zeros' (torch supports only 'zeros' for
    transposed convolutions anyway) or with 3-D/1-D shapes are left as
    they are, with a warning. `strategy` sets the flow lowering."""
    import torch

    from .nn._torch_module import ConvTranspose2d as FlowLayer
    from ._compiler import check_strategy
    check_strategy(strategy)

    def swap(layer, name):
        if not isinstance(layer, torch.nn.ConvTranspose2d) or \
                isinstance(layer, FlowLayer):
            return layer
        if layer.padding_mode != "zeros":
            warnings.warn(f"flow_mlir.convert: {name or 'model'} has "
                          f"padding_mode={layer.padding_mode!r}; only "
                          "'zeros' is supported, the layer stays torch's",
                          stacklevel=3)
            return layer
        new = _flow_layer(layer, FlowLayer)
        new.strategy = strategy
        return new

    def visit(module, prefix):
        for name, child in list(module.named_children()):
            full = f"{prefix}.{name}" if prefix else name
            replaced = swap(child, full)
            if replaced is not child:
                setattr(module, name, replaced)
            else:
                visit(child, full)

    if not isinstance(model, torch.nn.Module):
        raise TypeError("flow_mlir.convert expects a torch.nn.Module, got "
                        f"{type(model).__name__}")
    top = swap(model, "")
    if top is not model:
        return top
    visit(model, "")
    return model
