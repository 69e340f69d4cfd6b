func.func @chain(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %a = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  %abs = math.absf %a : tensor<?x?x?x?xf32>
  %b = flow.conv_transpose2d %a, %w : (tensor<?x?x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %b, %abs : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}
