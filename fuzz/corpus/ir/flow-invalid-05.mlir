func.func @groups_divide_cin(%x: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {groups = 3} : (tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
