// RUN: flow-opt %s --flow-infer-shapes --split-input-file | FileCheck %s
// RUN: flow-opt %s --flow-infer-shapes --split-input-file --verify-each | flow-opt --split-input-file > /dev/null

// Static operands: the result and the function signature become static.
// CHECK-LABEL: func.func @seed
// CHECK-SAME: -> tensor<20x33x93x100xf32>
// CHECK: %[[Y:.*]] = flow.conv_transpose2d {{.*}} -> tensor<20x33x93x100xf32>
// CHECK: return %[[Y]] : tensor<20x33x93x100xf32>
func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Dynamic N/H/W stay dynamic; channels become static.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: -> tensor<?x8x?x?xf32>
// CHECK: flow.conv_transpose2d {{.*}} -> tensor<?x8x?x?xf32>
func.func @dynamic(%x: tensor<?x4x?x?xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {groups = 4, stride = array<i64: 2, 2>}
       : (tensor<?x4x?x?xf32>, tensor<4x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Only H is static: H refines, W stays dynamic. Dilation, output_padding,
// asymmetric padding: (5-1)*3 - 2*1 + 2*(4-1) + 2 + 1 = 19.
// CHECK-LABEL: func.func @partial
// CHECK-SAME: -> tensor<1x3x19x?xf16>
func.func @partial(%x: tensor<1x2x5x?xf16>, %w: tensor<2x3x4x2xf16>) -> tensor<?x?x?x?xf16> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 3, 1>, padding = array<i64: 1, 0>,
          output_padding = array<i64: 2, 0>, dilation = array<i64: 2, 1>}
       : (tensor<1x2x5x?xf16>, tensor<2x3x4x2xf16>) -> tensor<?x?x?x?xf16>
  return %y : tensor<?x?x?x?xf16>
}

// -----

// Zero batch.
// CHECK-LABEL: func.func @zero_batch
// CHECK-SAME: -> tensor<0x1x3x3xf64>
func.func @zero_batch(%x: tensor<0x1x2x2xf64>, %w: tensor<1x1x2x2xf64>) -> tensor<?x?x?x?xf64> {
  %y = flow.conv_transpose2d %x, %w : (tensor<0x1x2x2xf64>, tensor<1x1x2x2xf64>) -> tensor<?x?x?x?xf64>
  return %y : tensor<?x?x?x?xf64>
}

// -----

// A chain: the second op sees the refined type of the first; a non-flow user
// keeps its operand type through a tensor.cast.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: -> (tensor<1x2x7x7xf32>, tensor<?x?x?x?xf32>)
// CHECK: %[[A:.*]] = flow.conv_transpose2d {{.*}} -> tensor<1x2x5x5xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[A]] : tensor<1x2x5x5xf32> to tensor<?x?x?x?xf32>
// CHECK: %[[ABS:.*]] = math.absf %[[CAST]] : tensor<?x?x?x?xf32>
// CHECK: %[[B:.*]] = flow.conv_transpose2d %[[A]], {{.*}} : (tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x7x7xf32>
// CHECK: return %[[B]], %[[ABS]]
func.func @chain(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %a = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  %abs = math.absf %a : tensor<?x?x?x?xf32>
  %b = flow.conv_transpose2d %a, %w : (tensor<?x?x?x?xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %b, %abs : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// A function with callers keeps its signature: the return gets a cast.
// CHECK-LABEL: func.func @callee
// CHECK-SAME: -> tensor<?x?x?x?xf32>
// CHECK: %[[Y:.*]] = flow.conv_transpose2d {{.*}} -> tensor<1x1x3x3xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[Y]] : tensor<1x1x3x3xf32> to tensor<?x?x?x?xf32>
// CHECK: return %[[C]]
// CHECK-LABEL: func.func @caller
// CHECK: call @callee({{.*}}) : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32>
func.func @callee(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
func.func @caller(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = func.call @callee(%x, %w) : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
