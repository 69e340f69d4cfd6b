func.func @grouped_dynamic_f16(%x: tensor<?x4x?x?xf16>, %w: tensor<4x1x2x2xf16>) -> tensor<?x2x?x?xf16> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, groups = 2}
       : (tensor<?x4x?x?xf16>, tensor<4x1x2x2xf16>) -> tensor<?x2x?x?xf16>
  return %y : tensor<?x2x?x?xf16>
}
