// RUN: flow-opt %s -split-input-file -verify-diagnostics

func.func @input_rank(%x: tensor<2x3x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{operand #0 must be 4D tensor of}}
  %y = flow.conv_transpose2d %x, %w : (tensor<2x3x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @weight_rank(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{operand #1 must be 4D tensor of}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @bias_rank(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3x1xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{operand #2 must be 1D tensor of}}
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>, tensor<3x1xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @integer_element(%x: tensor<1x2x4x4xi32>, %w: tensor<2x3x3x3xi32>) -> tensor<?x?x?x?xi32> {
  // expected-error @+1 {{operand #0 must be 4D tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xi32>, tensor<2x3x3x3xi32>) -> tensor<?x?x?x?xi32>
  return %y : tensor<?x?x?x?xi32>
}

// -----

func.func @channels(%x: tensor<1x4x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{input channels (4) must equal weight dimension 0 (2)}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x4x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @groups_divide_cin(%x: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{input channels (4) must be divisible by groups (3)}}
  %y = flow.conv_transpose2d %x, %w {groups = 3} : (tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @stride_positive(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{stride must be >= 1, got 0 for the width}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 1, 0>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @dilation_positive(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{dilation must be >= 1, got -1 for the height}}
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: -1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @groups_positive(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{groups must be >= 1, got 0}}
  %y = flow.conv_transpose2d %x, %w {groups = 0} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @padding_nonnegative(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{padding must be >= 0, got -2 for the height}}
  %y = flow.conv_transpose2d %x, %w {padding = array<i64: -2, 0>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @output_padding_nonnegative(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output_padding must be >= 0, got -1 for the width}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, output_padding = array<i64: 0, -1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @output_padding_too_large(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output_padding must be smaller than either stride or dilation, got output_padding 2, stride 2 and dilation 2 for the height}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, dilation = array<i64: 2, 1>, output_padding = array<i64: 2, 0>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @pair_length(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{'flow.conv_transpose2d' op attribute 'stride' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @bias_length(%x: tensor<1x4x4x4xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{bias has 3 elements but the output has 6 channels (weight dim 1 3 * groups 2)}}
  %y = flow.conv_transpose2d %x, %w, %b {groups = 2} : (tensor<1x4x4x4xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @element_types(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf16>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{weight element type 'f16' differs from the input's 'f32'}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf16>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @bias_element_type(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{bias element type 'f64' differs from the input's 'f32'}}
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>, tensor<3xf64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @output_too_small(%x: tensor<1x2x2x2xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output height would be -2 (must be >= 1): input 2, kernel 3, stride 1, padding 3, output_padding 0, dilation 1}}
  %y = flow.conv_transpose2d %x, %w {padding = array<i64: 3, 0>} : (tensor<1x2x2x2xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @overflow_stride(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output width overflows int64 (input 4, kernel 3, stride 9223372036854775807}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 1, 9223372036854775807>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @overflow_padding(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output height overflows int64}}
  %y = flow.conv_transpose2d %x, %w {padding = array<i64: 9223372036854775807, 0>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @overflow_dilation_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x4611686018427387904xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output width overflows int64}}
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 1, 4>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x4611686018427387904xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @overflow_channels(%x: tensor<1x2x4x4xf32>, %w: tensor<2x4611686018427387904x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{output channels overflow int64: 4611686018427387904 * groups 2}}
  %y = flow.conv_transpose2d %x, %w {groups = 2} : (tensor<1x2x4x4xf32>, tensor<2x4611686018427387904x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @result_incompatible(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x7x6xf32> {
  // expected-error @+1 {{'flow.conv_transpose2d' op result type 'tensor<1x3x7x6xf32>' is incompatible with the inferred type 'tensor<1x3x6x6xf32>'}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x7x6xf32>
  return %y : tensor<1x3x7x6xf32>
}

// -----

func.func @result_element_type(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x6x6xf64> {
  // expected-error @+1 {{'flow.conv_transpose2d' op result type 'tensor<1x3x6x6xf64>' is incompatible with the inferred type 'tensor<1x3x6x6xf32>'}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x6x6xf64>
  return %y : tensor<1x3x6x6xf64>
}

// -----

func.func @zero_spatial(%x: tensor<1x2x0x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{input height dimension must be >= 1, got 0}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x0x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @zero_kernel(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x0x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{weight kernel height dimension must be >= 1, got 0}}
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x3x0x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @missing_weight(%x: tensor<1x2x4x4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{expected ','}}
  %y = flow.conv_transpose2d %x : (tensor<1x2x4x4xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @too_many_operands(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{operand group starting at #2 requires 0 or 1 element, but found 2}}
  %y = "flow.conv_transpose2d"(%x, %w, %b, %b) : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @groups_type(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{groups}}
  %y = flow.conv_transpose2d %x, %w {groups = 1.5 : f32} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A misspelt attribute would leave the default in place: each unknown one is
// an error naming it, with the nearest known name.
func.func @misspelt_attributes(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{'flow.conv_transpose2d' op unknown attribute 'strides'; did you mean 'stride'?}}
  // expected-error @+1 {{'flow.conv_transpose2d' op unknown attribute 'paddings'; did you mean 'padding'?}}
  %y = flow.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, paddings = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @misspelt_output_padding(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{unknown attribute 'outputpadding'; did you mean 'output_padding'?}}
  %y = "flow.conv_transpose2d"(%x, %w) {stride = array<i64: 2, 2>, outputpadding = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @unknown_attribute(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{unknown attribute 'kernel'; known attributes: stride, padding, output_padding, dilation, groups}}
  %y = flow.conv_transpose2d %x, %w {kernel = 3 : i64} : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Every problem of one op is reported, each as its own located error.
func.func @every_problem(%x: tensor<1x4x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<5xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+5 {{output_padding must be smaller than either stride or dilation, got output_padding 2, stride 1 and dilation 1 for the height}}
  // expected-error @+4 {{input channels (4) must equal weight dimension 0 (2)}}
  // expected-error @+3 {{input channels (4) must be divisible by groups (3)}}
  // expected-error @+2 {{bias has 5 elements but the output has 9 channels (weight dim 1 3 * groups 3)}}
  // expected-error @+1 {{unknown attribute 'dilations'; did you mean 'dilation'?}}
  %y = flow.conv_transpose2d %x, %w, %b {groups = 3, output_padding = array<i64: 2, 0>, dilations = array<i64: 2, 2>} : (tensor<1x4x4x4xf32>, tensor<2x3x3x3xf32>, tensor<5xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

func.func @every_problem_types_and_sizes(%x: tensor<1x2x2x2xf32>, %w: tensor<2x3x3x3xf16>, %b: tensor<3xf64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+4 {{weight element type 'f16' differs from the input's 'f32'}}
  // expected-error @+3 {{bias element type 'f64' differs from the input's 'f32'}}
  // expected-error @+2 {{stride must be >= 1, got 0 for the width}}
  // expected-error @+1 {{output height would be -2 (must be >= 1)}}
  %y = "flow.conv_transpose2d"(%x, %w, %b) <{padding = array<i64: 3, 0>, stride = array<i64: 1, 0>}> : (tensor<1x2x2x2xf32>, tensor<2x3x3x3xf16>, tensor<3xf64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
