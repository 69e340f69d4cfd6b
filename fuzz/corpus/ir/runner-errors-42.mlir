func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

func.func @dynamic(%x: tensor<?x2x?x?xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<?x2x?x?xf32>, tensor<2x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}

func.func @bf16(%x: tensor<1x2x3x3xbf16>, %w: tensor<2x1x2x2xbf16>) -> tensor<1x1x4x4xbf16> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xbf16>, tensor<2x1x2x2xbf16>) -> tensor<1x1x4x4xbf16>
  return %y : tensor<1x1x4x4xbf16>
}
