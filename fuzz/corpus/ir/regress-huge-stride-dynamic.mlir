func.func @main(%x0: tensor<?x3x?x?xf32>, %w0: tensor<3x1x4x1xf32>, %w1: tensor<1x1x3x1xf32>) -> tensor<?x1x?x?xf32> {
  %y0 = flow.conv_transpose2d %x0, %w0 {stride = array<i64: 4573475207284290160, 8317697111231176826>, padding = array<i64: 219905685567, 0>, output_padding = array<i64: 3342796, 7286951132398497056>, dilation = array<i64: 369416605349707779, 1>, groups = 3 : i64} : (tensor<?x3x?x?xf32>, tensor<3x1x4x1xf32>) -> tensor<?x?x?x?xf32>
  %y1 = flow.conv_transpose2d %y0, %w1 {stride = array<i64: 4, 3>, padding = array<i64: 0, 0>, output_padding = array<i64: 2, 0>, dilation = array<i64: 2, 5>, groups = 1 : i64} : (tensor<?x?x?x?xf32>, tensor<1x1x3x1xf32>) -> tensor<?x1x?x?xf32>
  return %y1 : tensor<?x1x?x?xf32>
}
