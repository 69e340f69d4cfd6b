// RUN: flow-opt %s -split-input-file --convert-flow-to-linalg | FileCheck %s
// RUN: flow-opt %s -split-input-file --convert-flow-to-linalg \
// RUN:   --flow-lower-to-cpu | FileCheck %s --check-prefix=CPU
// The gradient ops lower to one linalg.generic each over grad_output padded
// low by `padding`, read directly at h*stride + kh*dilation (a strided,
// dilated convolution: no inserted zeros), channels split into groups.

// CHECK-DAG: #[[GOI:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 3 + d7 * 2)>
// CHECK-DAG: #[[WI:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @grad_input(
// CHECK-SAME:    %[[GO:.*]]: tensor<2x6x10x21xf32>, %[[W:.*]]: tensor<4x3x3x2xf32>
// CHECK:   %[[PAD:.*]] = tensor.pad %[[GO]] low[0, 0, 1, 0] high[0, 0, 0, 0]
// CHECK:   : tensor<2x6x10x21xf32> to tensor<2x6x11x21xf32>
// CHECK:   %[[GP:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 3, 11, 21]
// CHECK:   %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 2]
// CHECK:   %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<2x2x2x5x7xf32>
// CHECK:   %[[R:.*]] = linalg.generic {indexing_maps = [#[[GOI]], #[[WI]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[GP]], %[[WG]] : {{.*}}) outs(%[[INIT]] : tensor<2x2x2x5x7xf32>)
// CHECK:     arith.mulf
// CHECK:     arith.addf
// CHECK:   tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x2x5x7xf32> into tensor<2x4x5x7xf32>
// CHECK-NOT: flow.
// CPU-LABEL: llvm.func @grad_input(
func.func @grad_input(%go: tensor<2x6x10x21xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<2x4x5x7xf32> {
  %gi = flow.conv_transpose2d_grad_input %go, %w
          {stride = array<i64: 2, 3>, padding = array<i64: 1, 0>,
           output_padding = array<i64: 1, 0>, dilation = array<i64: 1, 2>,
           groups = 2 : i64}
        : (tensor<2x6x10x21xf32>, tensor<4x3x3x2xf32>) -> tensor<2x4x5x7xf32>
  return %gi : tensor<2x4x5x7xf32>
}

// -----

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d1, d6, d7)>
// CHECK-DAG: #[[GOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d2, d6 * 2 + d3, d7 * 2 + d4)>
// CHECK-LABEL: func.func @grad_weight(
// CHECK:   tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:   linalg.generic {indexing_maps = [#[[X]], #[[GOW]], #{{.*}}]
// CHECK:   tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x4x8x3x3xf32> into tensor<4x8x3x3xf32>
// CPU-LABEL: llvm.func @grad_weight(
func.func @grad_weight(%x: tensor<1x4x4x4xf32>, %go: tensor<1x8x7x7xf32>) -> tensor<4x8x3x3xf32> {
  %gw = flow.conv_transpose2d_grad_weight %x, %go
          {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>}
        : (tensor<1x4x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<4x8x3x3xf32>
  return %gw : tensor<4x8x3x3xf32>
}
