func.func @overflow_dilation_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x4611686018427387904xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 1, 4>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x4611686018427387904xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
