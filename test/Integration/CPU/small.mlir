// Small convolutions whose results are easy to check by hand, run through the
// whole CPU pipeline and the JIT, with both lowerings.
// RUN: flow-runner %s -e stride1 --print | FileCheck %s --check-prefix=S1
// RUN: flow-runner %s -e stride1 --print --strategy=zero-insert | FileCheck %s --check-prefix=S1
// RUN: flow-runner %s -e stride2_bias --print | FileCheck %s --check-prefix=S2
// RUN: flow-runner %s -e stride2_bias --print --strategy=zero-insert | FileCheck %s --check-prefix=S2
// RUN: flow-runner %s -e padded_dilated --print | FileCheck %s --check-prefix=PD
// RUN: flow-runner %s -e padded_dilated --print --strategy=zero-insert | FileCheck %s --check-prefix=PD
// RUN: flow-runner %s -e grouped_f64 --print | FileCheck %s --check-prefix=GR
// RUN: flow-runner %s -e half --print | FileCheck %s --check-prefix=HALF

// x = [[1, 2], [3, 4]] spread by an all-ones 2x2 kernel (stride 1).
// S1: result 0: tensor<1x1x3x3xf32> shape (1, 1, 3, 3)
// S1-NEXT: {{\[\[\[\[}}1, 3, 2],
// S1-NEXT: [4, 10, 6],
// S1-NEXT: [3, 7, 4]]]]
func.func @stride1() -> tensor<1x1x3x3xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// Stride 2 with a 2x2 kernel tiles x[i,j]*w without overlap; bias 0.5.
// S2: result 0: tensor<1x1x4x4xf32> shape (1, 1, 4, 4)
// S2-NEXT: {{\[\[\[\[}}1.5, 2.5, 2.5, 4.5],
// S2-NEXT: [3.5, 4.5, 6.5, 8.5],
// S2-NEXT: [3.5, 6.5, 4.5, 8.5],
// S2-NEXT: [9.5, 12.5, 12.5, 16.5]]]]
func.func @stride2_bias() -> tensor<1x1x4x4xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %b = arith.constant dense<0.5> : tensor<1xf32>
  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}
       : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// 1-D along W: x = [1, 2, 3], w = [1, 10], stride 2, dilation 3, padding 1,
// output_padding 2: x[i]*w[k] lands at o = 2i + 3k - 1, so o = -1 (cropped),
// 1, 3 get 1*[1, 2, 3] and o = 2, 4, 6 get 10*[1, 2, 3]; the width is
// (3-1)*2 - 2 + 3*1 + 2 + 1 = 8.
// PD: result 0: tensor<1x1x1x8xf32> shape (1, 1, 1, 8)
// PD-NEXT: {{\[\[\[\[}}0, 2, 10, 3, 20, 0, 30, 0]]]]
func.func @padded_dilated() -> tensor<1x1x1x8xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0, 3.0]]]]> : tensor<1x1x1x3xf32>
  %w = arith.constant dense<[[[[1.0, 10.0]]]]> : tensor<1x1x1x2xf32>
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 1, 2>, dilation = array<i64: 1, 3>,
          padding = array<i64: 0, 1>, output_padding = array<i64: 0, 2>}
       : (tensor<1x1x1x3xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x8xf32>
  return %y : tensor<1x1x1x8xf32>
}

// Two groups: channel 0 feeds output 0 only, channel 1 output 1 only.
// GR: result 0: tensor<1x2x2x2xf64> shape (1, 2, 2, 2)
// GR-NEXT: {{\[\[\[\[}}2, 2],
// GR-NEXT: [2, 2]],
// GR-NEXT: {{\[\[}}-3, -3],
// GR-NEXT: [-3, -3]]]]
func.func @grouped_f64() -> tensor<1x2x2x2xf64> {
  %x = arith.constant dense<[[[[2.0]], [[3.0]]]]> : tensor<1x2x1x1xf64>
  %w = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[-1.0, -1.0], [-1.0, -1.0]]]]> : tensor<2x1x2x2xf64>
  %y = flow.conv_transpose2d %x, %w {groups = 2}
       : (tensor<1x2x1x1xf64>, tensor<2x1x2x2xf64>) -> tensor<1x2x2x2xf64>
  return %y : tensor<1x2x2x2xf64>
}

// f16 in and out (accumulated in f32): 0.5 * 0.25 * 4 taps = 0.5 in the
// middle, 0.125 at the corners.
// HALF: result 0: tensor<1x1x3x3xf16> shape (1, 1, 3, 3)
// HALF-NEXT: {{\[\[\[\[}}0.125, 0.25, 0.125],
// HALF-NEXT: [0.25, 0.5, 0.25],
// HALF-NEXT: [0.125, 0.25, 0.125]]]]
func.func @half() -> tensor<1x1x3x3xf16> {
  %x = arith.constant dense<0.5> : tensor<1x1x2x2xf16>
  %w = arith.constant dense<0.25> : tensor<1x1x2x2xf16>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf16>, tensor<1x1x2x2xf16>) -> tensor<1x1x3x3xf16>
  return %y : tensor<1x1x3x3xf16>
}
