func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<20x33x93x100xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<20x33x93x100xf32>
  return %y : tensor<20x33x93x100xf32>
}
