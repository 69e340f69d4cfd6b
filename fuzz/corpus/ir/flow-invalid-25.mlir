func.func @missing_weight(%x: tensor<1x2x4x4xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x : (tensor<1x2x4x4xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
