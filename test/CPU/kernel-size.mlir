// The CPU kernels' code size does not grow with the tensor extents: the
// seed's layer and the same layer on a 10x larger image (tile pinned, so
// the cost model's choice does not differ) emit the same number of FMAs,
// one copy per stride class and remainder variant. The taps are loops (a
// batch-reduce GEMM: taps x input channels) carrying the accumulators.
// RUN: flow-opt %s --flow-cpu-conv-transpose-kernels="vector-bits=256 tile=4,2,2" | FileCheck %s

// CHECK-LABEL: func.func @seed
// CHECK:         affine.for %{{.*}} = 0 to 5 iter_args(
// CHECK:           affine.for %{{.*}} = 0 to 16 iter_args(
// CHECK-COUNT-75:  vector.fma
// CHECK-NOT:     vector.fma
// CHECK-LABEL: func.func @ten_times
// CHECK-COUNT-75:  vector.fma
// CHECK-NOT:     vector.fma
func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>, %b: tensor<33xf32>) -> tensor<20x33x93x100xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>) -> tensor<20x33x93x100xf32>
  return %y : tensor<20x33x93x100xf32>
}
func.func @ten_times(%x: tensor<20x16x500x1000xf32>, %w: tensor<16x33x3x5xf32>, %b: tensor<33xf32>) -> tensor<20x33x993x1000xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x500x1000xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>) -> tensor<20x33x993x1000xf32>
  return %y : tensor<20x33x993x1000xf32>
}
