func.func @dilated(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x14x14xf32> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 2>, dilation = array<i64: 4, 4>,
          padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>}
       : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x14x14xf32>
  return %y : tensor<1x3x14x14xf32>
}
