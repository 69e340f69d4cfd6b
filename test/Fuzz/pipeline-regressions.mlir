// The CPU pipeline on fuzzers' findings that are valid programs.
// RUN: flow-opt %s -flow-lower-to-cpu | FileCheck %s

// Stride 1e9 on a 1x1 input (a 3x3 output): the vectorised CPU kernels
// emitted one class per stride phase (a hang); they leave such strides to
// the linalg lowering now.
// CHECK-LABEL: llvm.func @static_huge_stride
func.func @static_huge_stride(%x: tensor<2x2x1x1xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 1000000000, 1000000000>} : (tensor<2x2x1x1xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
