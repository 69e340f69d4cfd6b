"""MLIR text of the gradients of conv_transpose2d (linalg on tensors).

With x : N x Cin x H x W, w : Cin x Cog x kH x kW, groups G (Cig = Cin/G,
Cout = G*Cog), stride s, padding p, dilation d, and the gradient of the
output go : N x Cout x Ho x Wo, zero-padded by p on the low side (gop):

    grad_input[n, g*Cig+i, h, v] =
        sum_{o, kh, kw} gop[n, g*Cog+o, h*s0 + kh*d0, v*s1 + kw*d1]
                        * w[g*Cig+i, o, kh, kw]
    grad_weight[g*Cig+i, o, kh, kw] =
        sum_{n, h, v} x[n, g*Cig+i, h, v]
                      * gop[n, g*Cog+o, h*s0 + kh*d0, v*s1 + kw*d1]

grad_input is the direct strided, dilated, grouped convolution of go with
w (output_padding only adds rows that no input reads); every multiply is
by a real element of go or by the padding border. grad_bias is the sum of
go over N, Ho, Wo (done by the caller).
"""

__all__ = ["grad_input_source", "grad_weight_source"]


def _ty(shape, et):
    return "tensor<" + "".join(f"{d}x" for d in shape) + et + ">"


def _padded(go_shape, x_shape, w_shape, stride, padding, dilation):
    """Spatial sizes of go padded low by `padding` and high far enough for
    the largest index h*s + kh*d."""
    sizes, highs = [], []
    for i in range(2):
        need = (x_shape[2 + i] - 1) * stride[i] + \
            (w_shape[2 + i] - 1) * dilation[i] + 1
        high = max(0, need - padding[i] - go_shape[2 + i])
        highs.append(high)
        sizes.append(go_shape[2 + i] + padding[i] + high)
    return sizes, highs


def _pad_and_group(go_shape, x_shape, w_shape, stride, padding, dilation,
                   groups, et):
    """Lines that define %gp : N x G x Cog x Hp x Wp from %go."""
    n, cout = go_shape[0], go_shape[1]
    (hp, wp), (h0, h1) = _padded(go_shape, x_shape, w_shape, stride,
                                 padding, dilation)
    pt = _ty((n, cout, hp, wp), et)
    gt = _ty((n, groups, cout // groups, hp, wp), et)
    lines = [
        f"  %zero = arith.constant 0.0 : {et}",
        f"  %pad = tensor.pad %go low[0, 0, {padding[0]}, {padding[1]}] "
        f"high[0, 0, {h0}, {h1}] {{",
        "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
        f"    tensor.yield %zero : {et}",
        f"  }} : {_ty(go_shape, et)} to {pt}",
        f"  %gp = tensor.expand_shape %pad [[0], [1, 2], [3], [4]] "
        f"output_shape [{n}, {groups}, {cout // groups}, {hp}, {wp}] "
        f": {pt} into {gt}",
    ]
    return lines, gt


def _body(et):
    return [
        f"  ^bb0(%a: {et}, %b: {et}, %acc: {et}):",
        f"    %m = arith.mulf %a, %b : {et}",
        f"    %s = arith.addf %acc, %m : {et}",
        f"    linalg.yield %s : {et}",
    ]


def grad_input_source(go_shape, x_shape, w_shape, stride, padding, dilation,
                      groups, et):
    """@main(%go, %w) -> grad_input, as MLIR text."""
    n, cin, h, v = x_shape
    cig, cog = cin // groups, w_shape[1]
    kh, kw = w_shape[2:]
    lines, gt = _pad_and_group(go_shape, x_shape, w_shape, stride, padding,
                               dilation, groups, et)
    wgt = _ty((groups, cig, cog, kh, kw), et)
    ogt = _ty((n, groups, cig, h, v), et)
    s, d = stride, dilation
    # loops: n g i h v | o kh kw
    maps = [
        f"affine_map<(n, g, i, h, v, o, a, b) -> "
        f"(n, g, o, h * {s[0]} + a * {d[0]}, v * {s[1]} + b * {d[1]})>",
        "affine_map<(n, g, i, h, v, o, a, b) -> (g, i, o, a, b)>",
        "affine_map<(n, g, i, h, v, o, a, b) -> (n, g, i, h, v)>",
    ]
    head = [
        f"func.func @main(%go: {_ty(go_shape, et)}, "
        f"%w: {_ty(w_shape, et)}) -> {_ty(x_shape, et)} {{",
    ]
    lines += [
        f"  %wg = tensor.expand_shape %w [[0, 1], [2], [3], [4]] "
        f"output_shape [{groups}, {cig}, {cog}, {kh}, {kw}] "
        f": {_ty(w_shape, et)} into {wgt}",
        f"  %e = tensor.empty() : {ogt}",
        f"  %init = linalg.fill ins(%zero : {et}) outs(%e : {ogt}) -> {ogt}",
        "  %r = linalg.generic {indexing_maps = [" + ", ".join(maps) + "], "
        "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        "\"parallel\", \"parallel\", \"reduction\", \"reduction\", "
        "\"reduction\"]}",
        f"      ins(%gp, %wg : {gt}, {wgt}) outs(%init : {ogt}) {{",
    ] + _body(et) + [
        f"  }} -> {ogt}",
        f"  %gi = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] "
        f": {ogt} into {_ty(x_shape, et)}",
        f"  return %gi : {_ty(x_shape, et)}",
        "}",
    ]
    return "\n".join(head + lines) + "\n"


def grad_weight_source(go_shape, x_shape, w_shape, stride, padding,
                       dilation, groups, et):
    """@main(%x, %go) -> grad_weight, as MLIR text."""
    n, cin, h, v = x_shape
    cig, cog = cin // groups, w_shape[1]
    kh, kw = w_shape[2:]
    lines, gt = _pad_and_group(go_shape, x_shape, w_shape, stride, padding,
                               dilation, groups, et)
    xgt = _ty((n, groups, cig, h, v), et)
    wgt = _ty((groups, cig, cog, kh, kw), et)
    s, d = stride, dilation
    # loops: g i o kh kw | n h v
    maps = [
        "affine_map<(g, i, o, a, b, n, h, v) -> (n, g, i, h, v)>",
        f"affine_map<(g, i, o, a, b, n, h, v) -> "
        f"(n, g, o, h * {s[0]} + a * {d[0]}, v * {s[1]} + b * {d[1]})>",
        "affine_map<(g, i, o, a, b, n, h, v) -> (g, i, o, a, b)>",
    ]
    head = [
        f"func.func @main(%x: {_ty(x_shape, et)}, "
        f"%go: {_ty(go_shape, et)}) -> {_ty(w_shape, et)} {{",
    ]
    lines += [
        f"  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] "
        f"output_shape [{n}, {groups}, {cig}, {h}, {v}] "
        f": {_ty(x_shape, et)} into {xgt}",
        f"  %e = tensor.empty() : {wgt}",
        f"  %init = linalg.fill ins(%zero : {et}) outs(%e : {wgt}) -> {wgt}",
        "  %r = linalg.generic {indexing_maps = [" + ", ".join(maps) + "], "
        "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        "\"parallel\", \"parallel\", \"reduction\", \"reduction\", "
        "\"reduction\"]}",
        f"      ins(%xg, %gp : {xgt}, {gt}) outs(%init : {wgt}) {{",
    ] + _body(et) + [
        f"  }} -> {wgt}",
        f"  %gw = tensor.collapse_shape %r [[0, 1], [2], [3], [4]] "
        f": {wgt} into {_ty(w_shape, et)}",
        f"  return %gw : {_ty(w_shape, et)}",
        "}",
    ]
    return "\n".join(head + lines) + "\n"
