// The gradient ops of conv_transpose2d (grad_input of x 2x4x5x7, w 4x3x3x2,
// groups 2, stride (2, 3), padding (1, 0), output_padding (1, 0), dilation
// (1, 2), as flow_mlir's backward compiles it) lower through the CPU
// pipeline; grad-kernels-cuda.mlir compiles it for the GPU.
// RUN: flow-opt %s --flow-lower-to-cpu | FileCheck %s
// CHECK-LABEL: llvm.func @main(
// CHECK-NOT:   linalg.
// CHECK-NOT:   tensor.
// CHECK-NOT:   flow.
func.func @main(%go: tensor<2x6x10x21xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<2x4x5x7xf32> {
  %r = flow.conv_transpose2d_grad_input %go, %w {stride = array<i64: 2, 3>, padding = array<i64: 1, 0>, output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>, groups = 2 : i64}
       : (tensor<2x6x10x21xf32>, tensor<4x3x3x2xf32>) -> tensor<2x4x5x7xf32>
  return %r : tensor<2x4x5x7xf32>
}

