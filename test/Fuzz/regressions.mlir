// Regression tests for the fuzzers' findings; the inputs are also
// in fuzz/corpus/ir/regress-*.mlir, where the fuzzers replay them.
// RUN: flow-opt %s -split-input-file -convert-flow-to-linalg -verify-diagnostics | FileCheck %s
// RUN: flow-opt %s -split-input-file -convert-flow-to-linalg=strategy=zero-insert -verify-diagnostics | FileCheck %s --check-prefix=ZERO

// A dynamic input channel dim (legal: it is the weight's dim 0) produced an
// invalid tensor.expand_shape when the channels were split into groups.
// CHECK-LABEL: func.func @dynamic_input_channels
// CHECK: tensor.cast %{{.*}} : tensor<?x?x?x?xf32> to tensor<?x2x?x?xf32>
// CHECK-NOT: flow.conv_transpose2d
// ZERO-LABEL: func.func @dynamic_input_channels
// ZERO-NOT: flow.conv_transpose2d
func.func @dynamic_input_channels(%x: tensor<?x?x?x?xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {groups = 2 : i64} : (tensor<?x?x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A huge stride on a dynamic input: the phase lowering visited every one of
// the stride's classes (a hang). Only the classes with kernel taps get a
// correlation: 2 x 3 here.
// CHECK-LABEL: func.func @huge_stride
// CHECK-COUNT-6: linalg.generic {{.*}}"reduction"
// CHECK-NOT: linalg.generic {{.*}}"reduction"
// ZERO-LABEL: func.func @huge_stride
// ZERO-COUNT-1: linalg.generic {{.*}}"reduction"
func.func @huge_stride(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x2x3xf32>) -> tensor<?x3x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 1000000000, 2147483647>} : (tensor<?x2x?x?xf32>, tensor<2x3x2x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}

// -----

// Attribute values past 2^31 overflowed the lowering's size arithmetic:
// they are reported as not lowerable.
func.func @stride_too_large(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32> {
  // expected-error @+1 {{stride 4573475207284290160 is too large to lower conv_transpose2d (at most 2147483647)}}
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 4573475207284290160, 1>} : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}

// -----

func.func @dilation_too_large(%x: tensor<?x2x?x?xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32> {
  // expected-error @+1 {{dilation 369416605349707779 is too large to lower conv_transpose2d}}
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 1, 369416605349707779>} : (tensor<?x2x?x?xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x?xf32>
  return %y : tensor<?x3x?x?xf32>
}
