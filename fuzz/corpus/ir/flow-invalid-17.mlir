func.func @overflow_stride(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 1, 9223372036854775807>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
