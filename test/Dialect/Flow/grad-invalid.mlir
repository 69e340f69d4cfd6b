// RUN: flow-opt %s -split-input-file -verify-diagnostics

func.func @channels(%go: tensor<1x7x7x7xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects grad_output to have weight dim 1 * groups = 8 channels, got 7}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x7x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %gi : tensor<?x?x?x?xf32>
}

// -----

func.func @no_input_size(%go: tensor<1x8x8x7xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{grad_output size 8 in dim 2 is not the output size of any input size}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x8x8x7xf32>, tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %gi : tensor<?x?x?x?xf32>
}

// -----

func.func @result_type(%go: tensor<1x8x7x7xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<1x4x5x4xf32> {
  // expected-error @+1 {{result type 'tensor<1x4x5x4xf32>' is incompatible with the inferred type 'tensor<1x4x4x4xf32>'}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x5x4xf32>
  return %gi : tensor<1x4x5x4xf32>
}

// -----

func.func @element_types(%go: tensor<1x8x7x7xf32>, %w: tensor<4x8x3x3xf64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects operands of one element type}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf64>) -> tensor<?x?x?x?xf32>
  return %gi : tensor<?x?x?x?xf32>
}

// -----

func.func @output_padding(%go: tensor<1x8x7x7xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects output_padding smaller than either stride or dilation}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {output_padding = array<i64: 1, 0>} : (tensor<1x8x7x7xf32>, tensor<4x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %gi : tensor<?x?x?x?xf32>
}

// -----

func.func @groups(%go: tensor<1x8x7x7xf32>, %w: tensor<3x8x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects weight dim 0 (3) divisible by groups (2)}}
  %gi = flow.conv_transpose2d_grad_input %go, %w {groups = 2 : i64} : (tensor<1x8x7x7xf32>, tensor<3x8x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %gi : tensor<?x?x?x?xf32>
}

// -----

func.func @batch(%x: tensor<2x4x4x4xf32>, %go: tensor<1x8x7x7xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expects input and grad_output with one batch size}}
  %gw = flow.conv_transpose2d_grad_weight %x, %go {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<2x4x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<?x?x?x?xf32>
  return %gw : tensor<?x?x?x?xf32>
}

// -----

func.func @no_kernel_size(%x: tensor<1x4x4x4xf32>, %go: tensor<1x8x3x7xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{grad_output size 3 in dim 2 is not the output size of input size 4 for any kernel size}}
  %gw = flow.conv_transpose2d_grad_weight %x, %go {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<1x8x3x7xf32>) -> tensor<?x?x?x?xf32>
  return %gw : tensor<?x?x?x?xf32>
}

// -----

func.func @weight_groups(%x: tensor<1x3x4x4xf32>, %go: tensor<1x8x7x7xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{input channels are not divisible by groups (2)}}
  %gw = flow.conv_transpose2d_grad_weight %x, %go {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, groups = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<1x8x7x7xf32>) -> tensor<?x?x?x?xf32>
  return %gw : tensor<?x?x?x?xf32>
}

