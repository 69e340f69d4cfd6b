func.func @main(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 65536, 65536>} : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}
