func.func @dynamic_dims(%x: tensor<?x4x?x7xf32>, %w: tensor<4x2x3x3xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<?x4x?x7xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x14xf32>
  %n = tensor.dim %y, %c0 : tensor<?x2x?x14xf32>
  %h = tensor.dim %y, %c2 : tensor<?x2x?x14xf32>
  return %n, %h : index, index
}
