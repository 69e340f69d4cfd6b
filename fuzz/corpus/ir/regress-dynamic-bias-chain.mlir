func.func @main(%x0: tensor<1x4x4x1xf32>, %w0: tensor<4x1x4x1xf32>, %b0: tensor<?xf32>, %w1: tensor<2x3x3x3xf32>, %w2: tensor<3x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y0 = flow.conv_transpose2d %x0, %w0, %b0 {stride = array<i64: 4, 1>, padding = array<i64: 3, 0>, output_padding = array<i64: 1, 0>, dilation = array<i64: 2, 1>, groups = 2 : i64} : (tensor<1x4x4x1xf32>, tensor<4x1x4x1xf32>, tensor<?xf32>) -> tensor<1x2x?x1xf32>
  %y1 = flow.conv_transpose2d %y0, %w1 {stride = array<i64: 3, 3>, padding = array<i64: 2, 2>, output_padding = array<i64: 2, 2>, dilation = array<i64: 2, 2>, groups = 1 : i64} : (tensor<1x2x?x1xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x?x3xf32>
  %y2 = flow.conv_transpose2d %y1, %w2 {stride = array<i64: 3, 3>, padding = array<i64: 2, 1>, output_padding = array<i64: 2, 2>, dilation = array<i64: 2, 2>, groups = 1 : i64} : (tensor<1x3x?x3xf32>, tensor<3x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y2 : tensor<?x?x?x?xf32>
}
