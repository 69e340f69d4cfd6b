func.func @dynamic_channels(%x: tensor<1x?x4x4xf32>, %w: tensor<?x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x?x4x4xf32>, tensor<?x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
