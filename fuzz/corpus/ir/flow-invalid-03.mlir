func.func @integer_element(%x: tensor<1x2x4x4xi32>, %w: tensor<2x3x3x3xi32>) -> tensor<?x?x?x?xi32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xi32>, tensor<2x3x3x3xi32>) -> tensor<?x?x?x?xi32>
  return %y : tensor<?x?x?x?xi32>
}
