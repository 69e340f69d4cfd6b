func.func @main(%x0: tensor<?x2x2x3xf64>, %w0: tensor<2x1x3x3xf64>, %w1: tensor<1x1x3x3xf64>, %w2: tensor<1x1x3x3xf64>) -> tensor<?x?x?x?xf64> {
  %y0 = flow.conv_transpose2d %x0, %w0 {stride = array<i64: 3, 3>, padding = array<i64: 2, 2>, output_padding = array<i64: 4, 4>, dilation = array<i64: 5, 5>, groups = 1 : i64} : (tensor<?x2x2x3xf64>, tensor<2x1x3x3xf64>) -> tensor<?x?x?x?xf64>
  %y1 = flow.conv_transpose2d %y0, %w1 {dilation = array<i64: 2, 2>, groups = 1 : i64} : (tensor<?x?x?x?xf64>, tensor<1x1x3x3xf64>) -> tensor<?x1x?x?xf64>
  %y2 = flow.conv_transpose2d %y1, %w2 {dilation = array<i64: 2, 2>, groups = 1 : i64} : (tensor<?x1x?x?xf64>, tensor<1x1x3x3xf64>) -> tensor<?x?x?x?xf64>
  return %y2 : tensor<?x?x?x?xf64>
}
