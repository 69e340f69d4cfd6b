func.func @partial(%x: tensor<1x2x5x?xf16>, %w: tensor<2x3x4x2xf16>) -> tensor<?x?x?x?xf16> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 3, 1>, padding = array<i64: 1, 0>,
          output_padding = array<i64: 2, 0>, dilation = array<i64: 2, 1>}
       : (tensor<1x2x5x?xf16>, tensor<2x3x4x2xf16>) -> tensor<?x?x?x?xf16>
  return %y : tensor<?x?x?x?xf16>
}
