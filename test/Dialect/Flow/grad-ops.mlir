// RUN: flow-opt %s | FileCheck %s
// RUN: flow-opt %s --mlir-print-op-generic | flow-opt | FileCheck %s
// The gradient ops of conv_transpose2d round-trip, and their result types
// are inferred from the operands and the forward op's attributes.

// Forward: x 1x4x4x4, w 4x8x3x3, stride 2, padding 1 -> 1x8x7x7.
// CHECK-LABEL: func.func @grads
// CHECK: flow.conv_transpose2d_grad_input %{{.*}}, %{{.*}} {padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x4x4xf32>
// CHECK: flow.conv_transpose2d_grad_weight %{{.*}}, %{{.*}} {padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x4x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<4x8x3x3xf32>
func.func @grads(%x: tensor<1x4x4x4xf32>, %w: tensor<4x8x3x3xf32>,
                 %go: tensor<1x8x7x7xf32>)
    -> (tensor<1x4x4x4xf32>, tensor<4x8x3x3xf32>) {
  %gi = flow.conv_transpose2d_grad_input %go, %w
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
        : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x4x4xf32>
  %gw = flow.conv_transpose2d_grad_weight %x, %go
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
        : (tensor<1x4x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<4x8x3x3xf32>
  return %gi, %gw : tensor<1x4x4x4xf32>, tensor<4x8x3x3xf32>
}

// output_padding, dilation, groups; dynamic N passes through.
// Forward: x ?x6x5x7, w 6x2x3x2, groups 3, stride (2, 3), padding (1, 0),
// output_padding (1, 0), dilation (1, 2) -> ?x6x10x21.
// CHECK-LABEL: func.func @grouped
// CHECK: flow.conv_transpose2d_grad_input {{.*}} -> tensor<?x6x5x7xf64>
// CHECK: flow.conv_transpose2d_grad_weight {{.*}} -> tensor<6x2x3x2xf64>
func.func @grouped(%x: tensor<?x6x5x7xf64>, %w: tensor<6x2x3x2xf64>,
                   %go: tensor<?x6x10x21xf64>)
    -> (tensor<?x6x5x7xf64>, tensor<6x2x3x2xf64>) {
  %gi = flow.conv_transpose2d_grad_input %go, %w
          {stride = array<i64: 2, 3>, padding = array<i64: 1, 0>,
           output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>,
           groups = 3 : i64}
        : (tensor<?x6x10x21xf64>, tensor<6x2x3x2xf64>) -> tensor<?x6x5x7xf64>
  %gw = flow.conv_transpose2d_grad_weight %x, %go
          {stride = array<i64: 2, 3>, padding = array<i64: 1, 0>,
           output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>,
           groups = 3 : i64}
        : (tensor<?x6x5x7xf64>, tensor<?x6x10x21xf64>) -> tensor<6x2x3x2xf64>
  return %gi, %gw : tensor<?x6x5x7xf64>, tensor<6x2x3x2xf64>
}
