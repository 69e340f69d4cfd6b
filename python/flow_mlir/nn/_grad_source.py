"""MLIR text of the gradients of conv_transpose2d: entry functions around
the flow dialect's ``flow.conv_transpose2d_grad_input`` (the strided,
dilated, grouped convolution of grad_output with the weight) and
``flow.conv_transpose2d_grad_weight``, which convert-flow-to-linalg lowers
to one linalg.generic each, reading grad_output directly (no inserted
zeros). grad_bias is the sum of grad_output over N, H, W (done by the
caller).
"""

__all__ = ["grad_input_source", "grad_weight_source"]


def _ty(shape, et):
    return "tensor<" + "".join(f"{d}x" for d in shape) + et + ">"


def _attrs(go_shape, x_shape, w_shape, stride, padding, dilation, groups):
    """The forward op's attributes; output_padding follows from the
    shapes."""
    op = [go_shape[2 + i] - ((x_shape[2 + i] - 1) * stride[i] -
                             2 * padding[i] +
                             dilation[i] * (w_shape[2 + i] - 1) + 1)
          for i in range(2)]

    def arr(v):
        return f"array<i64: {v[0]}, {v[1]}>"
    return (f"stride = {arr(stride)}, padding = {arr(padding)}, "
            f"output_padding = {arr(op)}, dilation = {arr(dilation)}, "
            f"groups = {groups} : i64")


def _entry(op, lhs, rhs, result, attrs, et):
    (ln, ls), (rn, rs) = lhs, rhs
    lt, rt, yt = _ty(ls, et), _ty(rs, et), _ty(result, et)
    return (f"func.func @main(%{ln}: {lt}, %{rn}: {rt}) -> {yt} {{\n"
            f"  %r = flow.{op} %{ln}, %{rn} {{{attrs}}}\n"
            f"       : ({lt}, {rt}) -> {yt}\n"
            f"  return %r : {yt}\n"
            f"}}\n")


def grad_input_source(go_shape, x_shape, w_shape, stride, padding, dilation,
                      groups, et):
    """@main(%go, %w) -> grad_input, as MLIR text."""
    attrs = _attrs(go_shape, x_shape, w_shape, stride, padding, dilation,
                   groups)
    return _entry("conv_transpose2d_grad_input", ("go", go_shape),
                  ("w", w_shape), x_shape, attrs, et)


def grad_weight_source(go_shape, x_shape, w_shape, stride, padding,
                       dilation, groups, et):
    """@main(%x, %go) -> grad_weight, as MLIR text."""
    attrs = _attrs(go_shape, x_shape, w_shape, stride, padding, dilation,
                   groups)
    return _entry("conv_transpose2d_grad_weight", ("x", x_shape),
                  ("go", go_shape), w_shape, attrs, et)
