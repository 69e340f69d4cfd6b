func.func @zero_batch(%x: tensor<0x1x2x2xf64>, %w: tensor<1x1x2x2xf64>) -> tensor<?x?x?x?xf64> {
  %y = flow.conv_transpose2d %x, %w : (tensor<0x1x2x2xf64>, tensor<1x1x2x2xf64>) -> tensor<?x?x?x?xf64>
  return %y : tensor<?x?x?x?xf64>
}
