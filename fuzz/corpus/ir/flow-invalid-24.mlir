func.func @zero_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x0x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x0x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
