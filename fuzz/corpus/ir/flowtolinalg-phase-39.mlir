func.func @zero_batch(%x: tensor<0x2x3x3xf64>, %w: tensor<2x2x2x2xf64>, %b: tensor<2xf64>) -> tensor<0x2x4x4xf64> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<0x2x3x3xf64>, tensor<2x2x2x2xf64>, tensor<2xf64>) -> tensor<0x2x4x4xf64>
  return %y : tensor<0x2x4x4xf64>
}
