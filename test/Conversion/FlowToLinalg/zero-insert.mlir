// RUN: flow-opt %s --convert-flow-to-linalg="strategy=zero-insert" --canonicalize --cse | FileCheck %s

// The textbook form: the input is scattered with stride 2 into a zero buffer
// padded by d*(k-1) - p = 1 in front and d*(k-1) + output_padding - p = 2 at
// the back, then one correlation with the kernel (reversed in the map) runs
// over all 8x8 outputs with 3x3 taps each, although about 3/4 of the input
// it reads are inserted zeros.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 + 2, d4 - d7 + 2)>
// CHECK-LABEL: func.func @stride2
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>, %[[W:.*]]: tensor<2x3x3x3xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x10x10xf32>)
// CHECK: %[[XZ:.*]] = tensor.insert_slice %[[X]] into %[[Z]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 2, 2]
// CHECK: %[[XE:.*]] = tensor.expand_shape %[[XZ]]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} ins(%[[XE]], %{{.*}} : tensor<1x1x2x10x10xf32>, tensor<1x2x3x3x3xf32>) outs(%{{.*}} : tensor<1x1x3x8x8xf32>)
// CHECK-NOT: linalg.generic
func.func @stride2(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x8x8xf32> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x8x8xf32>
  return %y : tensor<1x3x8x8xf32>
}
