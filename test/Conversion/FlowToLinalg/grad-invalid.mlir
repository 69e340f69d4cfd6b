// RUN: flow-opt %s --convert-flow-to-linalg -verify-diagnostics

func.func @dynamic(%x: tensor<?x4x4x4xf32>, %go: tensor<?x8x7x7xf32>) -> tensor<4x8x3x3xf32> {
  // expected-error @+1 {{has a dynamic dimension; lowering the gradient ops needs static shapes}}
  %gw = flow.conv_transpose2d_grad_weight %x, %go {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<?x4x4x4xf32>, tensor<?x8x7x7xf32>) -> tensor<4x8x3x3xf32>
  return %gw : tensor<4x8x3x3xf32>
}
