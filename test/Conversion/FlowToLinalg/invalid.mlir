// RUN: flow-opt %s --convert-flow-to-linalg --split-input-file --verify-diagnostics

func.func @dynamic_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x?x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{weight kernel height dimension must be static to lower conv_transpose2d}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x?x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @dynamic_channels(%x: tensor<1x?x4x4xf32>, %w: tensor<?x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{weight input-channel dimension must be static to lower conv_transpose2d}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x?x4x4xf32>, tensor<?x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
