// RUN: flow-opt %s -split-input-file -flow-static-operands | FileCheck %s

// A dynamic bias gets the output channels of the weight (3).
// CHECK-LABEL: func.func @bias
// CHECK: %[[B:.*]] = tensor.cast %{{.*}} : tensor<?xf32> to tensor<3xf32>
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}}, %[[B]] : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>)
func.func @bias(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<?xf32>) -> tensor<1x3x7x7xf32> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<?xf32>) -> tensor<1x3x7x7xf32>
  return %y : tensor<1x3x7x7xf32>
}

// -----

// Weight dim 0 from the input's channels, dim 1 from the bias / groups; the
// kernel size stays dynamic (nothing fixes it).
// CHECK-LABEL: func.func @weight
// CHECK: %[[W:.*]] = tensor.cast %{{.*}} : tensor<?x?x?x3xf32> to tensor<4x3x?x3xf32>
// CHECK: flow.conv_transpose2d %{{.*}}, %[[W]], %{{.*}} {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x3x?x3xf32>, tensor<6xf32>)
func.func @weight(%x: tensor<1x4x5x5xf32>, %w: tensor<?x?x?x3xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<?x?x?x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Input channels from the weight, batch and bias from the declared result;
// the spatial dims stay dynamic.
// CHECK-LABEL: func.func @input
// CHECK-DAG: tensor.cast %{{.*}} : tensor<?x?x?x5xf32> to tensor<2x4x?x5xf32>
// CHECK-DAG: tensor.cast %{{.*}} : tensor<?xf32> to tensor<3xf32>
func.func @input(%x: tensor<?x?x?x5xf32>, %w: tensor<4x?x3x3xf32>, %b: tensor<?xf32>) -> tensor<2x3x?x7xf32> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<?x?x?x5xf32>, tensor<4x?x3x3xf32>, tensor<?xf32>) -> tensor<2x3x?x7xf32>
  return %y : tensor<2x3x?x7xf32>
}

// -----

// Static operands are left alone; a bias whose length groups do not divide
// fixes no weight dim.
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT: tensor.cast
func.func @unchanged(%x: tensor<1x4x5x5xf32>, %w: tensor<4x?x3x3xf32>, %b: tensor<5xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x?x3x3xf32>, tensor<5xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
