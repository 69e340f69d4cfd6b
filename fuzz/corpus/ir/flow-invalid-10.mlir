func.func @output_padding_nonnegative(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, output_padding = array<i64: 0, -1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
