"""Functional forms: ``conv_transpose2d`` (``torch.nn.functional``'s
signature) and ``emit_mlir`` (the MLIR a call compiles)."""

from .. import _flow
from .._arrays import MLIR_TYPES, as_array, as_int, as_pair, for_kernel
from .._compiler import (CACHE, build_missing, check_strategy,
                         compile_source)
from .._device import target_of
from .._torch import is_tensor

__all__ = ["conv_transpose2d", "emit_mlir", "conv_transpose2d_output_size",
           "set_dynamic_dims", "dynamic_dims"]

#: The input dims that CPU kernels leave dynamic ('?' in the MLIR), so that
#: one kernel serves every size of them: "n" (the batch) or "nhw".
_DYNAMIC_DIMS = {"cpu": "n", "cuda": ""}
_DIM_INDEX = {"n": 0, "h": 2, "w": 3}


def set_dynamic_dims(dims, target="cpu"):
    """Chooses which input dims the kernels compiled for `target` keep
    dynamic: a string of 'n', 'h', 'w' ('' for fully static kernels). With
    "nhw" a layer compiles once for every batch and image size. The default
    is "n" on the CPU (dynamic H and W wait for the CPU kernel generator's
    fast path) and "" on CUDA."""
    if target not in _DYNAMIC_DIMS:
        raise ValueError(f"unknown target {target!r} (expected 'cpu' or "
                         "'cuda')")
    if not isinstance(dims, str) or set(dims) - set(_DIM_INDEX):
        raise ValueError(f"dynamic dims must be a string of 'n', 'h' and "
                         f"'w', got {dims!r}")
    _DYNAMIC_DIMS[target] = "".join(d for d in "nhw" if d in dims)


def dynamic_dims(target="cpu"):
    """The dims set_dynamic_dims() chose for `target`."""
    return _DYNAMIC_DIMS[target]


def _kernel_shapes(x_shape, out_shape, target):
    """The input and output shapes the kernel is compiled for: None marks a
    dynamic dim (H or W dynamic makes the output's H or W dynamic)."""
    dynamic = {_DIM_INDEX[d] for d in _DYNAMIC_DIMS[target]}
    x = tuple(None if i in dynamic else d for i, d in enumerate(x_shape))
    y = tuple(None if i in dynamic else d for i, d in enumerate(out_shape))
    return x, y


def _dims(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def conv_transpose2d_output_size(input_hw, kernel_hw, stride=1, padding=0,
                                 output_padding=0, dilation=1):
    """(Hout, Wout) of a transposed convolution (PyTorch's formula)."""
    s, p = as_pair(stride, "stride"), as_pair(padding, "padding")
    op, d = as_pair(output_padding, "output_padding"), as_pair(dilation,
                                                              "dilation")
    return tuple((input_hw[i] - 1) * s[i] - 2 * p[i] + d[i] *
                 (kernel_hw[i] - 1) + op[i] + 1 for i in range(2))


def _dtype_problem(name, dtype, weight_dtype):
    """Why an operand of `dtype` cannot be used: PyTorch's rule, no implicit
    cast of integer or bool input to the weight's floating type."""
    if name == "input" and dtype.kind in "biuc" and \
            weight_dtype in MLIR_TYPES:
        return (f"Input type ({dtype}) and weight type ({weight_dtype}) "
                f"should be the same: expected scalar type {weight_dtype} "
                f"but found {dtype} (integer and bool input is not cast)")
    return (f"{name}: unsupported dtype {dtype}; flow_mlir supports "
            "float16, float32 and float64")


def _validate(x, w, b, stride, padding, output_padding, dilation, groups):
    """Checks a call as PyTorch does (same messages, as ValueError) and
    returns the output shape."""
    for name, a in (("input", x), ("weight", w), ("bias", b)):
        if a is not None and a.dtype not in MLIR_TYPES:
            raise ValueError(_dtype_problem(name, a.dtype, w.dtype))
    if w.dtype != x.dtype or (b is not None and b.dtype != x.dtype):
        what = f"weight type ({w.dtype})" if w.dtype != x.dtype else \
            f"bias type ({b.dtype})"
        raise ValueError(f"Input type ({x.dtype}) and {what} should be the "
                         "same")
    if x.ndim != 4:
        raise ValueError("Expected 3D (unbatched) or 4D (batched) input to "
                         f"conv_transpose2d, but got input of size: "
                         f"{_dims(x.shape)}")
    if w.ndim != 4:
        raise ValueError("Expected a 4-dimensional weight (in_channels, "
                         "out_channels/groups, kH, kW) for conv_transpose2d, "
                         f"but got weight of size {_dims(w.shape)}")
    if min(padding) < 0:
        raise ValueError("negative padding is not supported")
    if min(output_padding) < 0:
        raise ValueError("negative output_padding is not supported")
    if min(stride) <= 0:
        raise ValueError("non-positive stride is not supported")
    if min(dilation) <= 0:
        raise ValueError("dilation should be greater than zero")
    if groups <= 0:
        raise ValueError("non-positive groups is not supported")
    if w.shape[0] % groups:
        raise ValueError(f"Given groups={groups}, expected weight to be "
                         f"divisible by {groups} at dimension 0, but got "
                         f"weight of size {_dims(w.shape)} instead")
    if x.shape[1] != w.shape[0]:
        raise ValueError(f"Given transposed=1, weight of size "
                         f"{_dims(w.shape)}, expected input{_dims(x.shape)} "
                         f"to have {w.shape[0]} channels, but got "
                         f"{x.shape[1]} channels instead")
    if min(w.shape) == 0:
        raise ValueError(f"weight of size {_dims(w.shape)} has a zero-sized "
                         "dimension; channels and kernel sizes must be "
                         "positive")
    if min(x.shape[2:]) == 0:
        raise ValueError("Expected non-zero sizes for the spatial dimensions "
                         f"of the input, but got input of size: "
                         f"{_dims(x.shape)}")
    cout = w.shape[1] * groups
    if b is not None and (b.ndim != 1 or b.shape[0] != cout):
        raise ValueError(f"Given transposed=1, weight of size "
                         f"{_dims(w.shape)}, expected bias to be "
                         f"1-dimensional with {cout} elements, but got bias "
                         f"of size {_dims(b.shape)} instead")
    if any(output_padding[i] >= stride[i] and output_padding[i] >= dilation[i]
           for i in range(2)):
        raise ValueError(
            "output padding must be smaller than either stride or dilation, "
            f"but got output_padding_height: {output_padding[0]} "
            f"output_padding_width: {output_padding[1]} "
            f"stride_height: {stride[0]} stride_width: {stride[1]} "
            f"dilation_height: {dilation[0]} dilation_width: {dilation[1]}")
    hout, wout = conv_transpose2d_output_size(
        x.shape[2:], w.shape[2:], stride, padding, output_padding, dilation)
    if hout < 1 or wout < 1:
        raise ValueError(f"Given input size per channel: ({x.shape[2]} x "
                         f"{x.shape[3]}). Calculated output size per channel: "
                         f"({hout} x {wout}). Output size is too small")
    return (x.shape[0], cout, hout, wout)


def _source(x, w, b, stride, padding, output_padding, dilation, groups,
            out_shape, x_shape=None):
    """MLIR text of one conv_transpose2d as the entry @main; `x_shape` and
    `out_shape` may have None (dynamic) dims."""
    et = MLIR_TYPES[x.dtype]

    def ty(shape):
        # A size beyond int64 cannot be written; leave it dynamic and let
        # the verifier report the overflow.
        return "tensor<" + "".join(
            f"{d}x" if d is not None and d < 2 ** 63 else "?x"
            for d in shape) + et + ">"

    xt = ty(x.shape if x_shape is None else x_shape)
    wt, yt = ty(w.shape), ty(out_shape)
    args, operands, types = f"%x: {xt}, %w: {wt}", "%x, %w", f"{xt}, {wt}"
    if b is not None:
        bt = ty(b.shape)
        args += f", %b: {bt}"
        operands += ", %b"
        types += f", {bt}"

    def arr(v):
        return f"array<i64: {v[0]}, {v[1]}>"

    attrs = (f"stride = {arr(stride)}, padding = {arr(padding)}, "
             f"output_padding = {arr(output_padding)}, "
             f"dilation = {arr(dilation)}, groups = {groups} : i64")
    return (f"func.func @main({args}) -> {yt} {{\n"
            f"  %y = flow.conv_transpose2d {operands} {{{attrs}}}\n"
            f"       : ({types}) -> {yt}\n"
            f"  return %y : {yt}\n"
            f"}}\n")


_NAME = "<flow_mlir.nn.functional.conv_transpose2d>"


def _prepare(input, weight, bias, stride, padding, output_padding, groups,
             dilation):
    x = for_kernel(as_array(input, "input"))
    w = for_kernel(as_array(weight, "weight"))
    b = None if bias is None else for_kernel(as_array(bias, "bias"))
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    return (x, w, b, as_pair(stride, "stride"), as_pair(padding, "padding"),
            as_pair(output_padding, "output_padding"),
            as_pair(dilation, "dilation"), as_int(groups, "groups"),
            unbatched)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0,
                     output_padding=0, groups=1, dilation=1, *, device="cpu",
                     strategy="phase"):
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    `input` is (N, Cin, H, W) or unbatched (Cin, H, W); `weight` is
    (Cin, Cout/groups, kH, kW); `bias` is (Cout,) or None; all of one dtype
    (float16, float32 or float64). `stride`, `padding`, `output_padding` and
    `dilation` are ints or pairs. `device` ('cpu' or 'cuda') picks the JIT
    target, `strategy` the lowering ('phase': stride phases, no multiply by
    inserted zeros; 'zero-insert': the classic form). Returns a NumPy array of
    the input's dtype, or a torch tensor when an argument is one (then the
    call is differentiable: see ``flow_mlir.nn._autograd``). Bad arguments
    raise ValueError with PyTorch's message.
    """
    if is_tensor(input):
        from ._autograd import conv_transpose2d_tensors
        return conv_transpose2d_tensors(
            input, weight, bias, stride, padding, output_padding, groups,
            dilation, device=device, strategy=strategy)
    target = target_of(device) if device != "cpu" else "cpu"
    return conv_transpose2d_arrays(input, weight, bias, stride, padding,
                                   output_padding, groups, dilation, target,
                                   strategy)


def conv_transpose2d_arrays(input, weight, bias, stride, padding,
                            output_padding, groups, dilation, target,
                            strategy):
    """conv_transpose2d over NumPy arrays (and array-likes) for `target`."""
    x, w, b, stride, padding, output_padding, dilation, groups, unbatched = \
        _prepare(input, weight, bias, stride, padding, output_padding, groups,
                 dilation)
    check_strategy(strategy)
    out_shape = _validate(x, w, b, stride, padding, output_padding, dilation,
                          groups)
    x_shape, y_shape = _kernel_shapes(x.shape, out_shape, target)
    key = ("conv_transpose2d", x_shape, x.dtype.char, w.shape, w.dtype.char,
           None if b is None else (b.shape, b.dtype.char), stride, padding,
           output_padding, dilation, groups, target, strategy)
    fn = CACHE.lookup(key)
    if fn is None:
        fn = build_missing(key, lambda: compile_source(
            _source(x, w, b, stride, padding, output_padding, dilation,
                    groups, y_shape, x_shape),
            _NAME, target, strategy=strategy))
    y = fn._kernel([x, w] if b is None else [x, w, b])[0]
    return y[0] if unbatched else y


def emit_mlir(input, weight, bias=None, stride=1, padding=0, output_padding=0,
              groups=1, dilation=1, *, device="cpu", strategy="phase",
              lowered=False):
    """The MLIR module that ``conv_transpose2d`` with these arguments
    compiles (flow dialect), or with ``lowered=True`` the module after the
    target's pipeline (LLVM dialect). Only shapes and dtypes of the arrays
    matter."""
    x, w, b, stride, padding, output_padding, dilation, groups, _ = \
        _prepare(input, weight, bias, stride, padding, output_padding, groups,
                 dilation)
    check_strategy(strategy)
    out_shape = _validate(x, w, b, stride, padding, output_padding, dilation,
                          groups)
    target = target_of(device)
    x_shape, y_shape = _kernel_shapes(x.shape, out_shape, target)
    source = _source(x, w, b, stride, padding, output_padding, dilation,
                     groups, y_shape, x_shape)
    if not lowered:
        return source
    return _flow.compile(source, _NAME, target, "main", strategy, "",
                         True).lowered_ir
