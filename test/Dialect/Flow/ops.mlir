// RUN: flow-opt %s | FileCheck %s
// Round trip through the generic form, then back to the custom form.
// RUN: flow-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: flow-opt %s --mlir-print-op-generic | flow-opt | FileCheck %s

// CHECK-LABEL: func.func @seed
// CHECK: %[[Y:.*]] = flow.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 4, 2>, stride = array<i64: 2, 1>} : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>) -> tensor<20x33x93x100xf32>
// CHECK: return %[[Y]]
// GENERIC-LABEL: sym_name = "seed"
// GENERIC: "flow.conv_transpose2d"(%{{.*}}, %{{.*}}, %{{.*}}) <{dilation = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 0, 0>, padding = array<i64: 4, 2>, stride = array<i64: 2, 1>}>
func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<20x33x93x100xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<20x33x93x100xf32>
  return %y : tensor<20x33x93x100xf32>
}

// Default-valued attributes are elided, even when written out.
// CHECK-LABEL: func.func @defaults_elided
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} : (tensor<1x2x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x5x5xf32>
func.func @defaults_elided(%x: tensor<1x2x3x3xf32>, %w: tensor<2x4x3x3xf32>) -> tensor<1x4x5x5xf32> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>,
          output_padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>,
          groups = 1}
       : (tensor<1x2x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}

// The generic form parses, with only some attributes given.
// CHECK-LABEL: func.func @generic_form
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64, stride = array<i64: 2, 1>} : (tensor<2x4x5x5xf64>, tensor<4x3x3x3xf64>, tensor<6xf64>) -> tensor<2x6x11x7xf64>
func.func @generic_form(%x: tensor<2x4x5x5xf64>, %w: tensor<4x3x3x3xf64>, %b: tensor<6xf64>) -> tensor<2x6x11x7xf64> {
  %y = "flow.conv_transpose2d"(%x, %w, %b) <{stride = array<i64: 2, 1>, groups = 2 : i64}>
       : (tensor<2x4x5x5xf64>, tensor<4x3x3x3xf64>, tensor<6xf64>) -> tensor<2x6x11x7xf64>
  return %y : tensor<2x6x11x7xf64>
}

// Every attribute, asymmetric values, f16.
// CHECK-LABEL: func.func @all_attributes
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} {dilation = array<i64: 2, 3>, groups = 3 : i64, output_padding = array<i64: 1, 2>, padding = array<i64: 1, 0>, stride = array<i64: 2, 3>} : (tensor<1x6x4x5xf16>, tensor<6x2x3x2xf16>) -> tensor<1x6x10x18xf16>
func.func @all_attributes(%x: tensor<1x6x4x5xf16>, %w: tensor<6x2x3x2xf16>) -> tensor<1x6x10x18xf16> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 3>, padding = array<i64: 1, 0>,
          output_padding = array<i64: 1, 2>, dilation = array<i64: 2, 3>,
          groups = 3}
       : (tensor<1x6x4x5xf16>, tensor<6x2x3x2xf16>) -> tensor<1x6x10x18xf16>
  return %y : tensor<1x6x10x18xf16>
}

// bf16, dynamic N/H/W, and a declared result less static than inferred.
// CHECK-LABEL: func.func @dynamic
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} {stride = array<i64: 2, 2>} : (tensor<?x3x?x?xbf16>, tensor<3x5x2x2xbf16>) -> tensor<?x5x?x?xbf16>
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} : (tensor<2x3x4x4xbf16>, tensor<3x5x2x2xbf16>) -> tensor<?x?x?x?xbf16>
func.func @dynamic(%x: tensor<?x3x?x?xbf16>, %w: tensor<3x5x2x2xbf16>, %x2: tensor<2x3x4x4xbf16>) -> (tensor<?x5x?x?xbf16>, tensor<?x?x?x?xbf16>) {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
       : (tensor<?x3x?x?xbf16>, tensor<3x5x2x2xbf16>) -> tensor<?x5x?x?xbf16>
  %z = flow.conv_transpose2d %x2, %w
       : (tensor<2x3x4x4xbf16>, tensor<3x5x2x2xbf16>) -> tensor<?x?x?x?xbf16>
  return %y, %z : tensor<?x5x?x?xbf16>, tensor<?x?x?x?xbf16>
}

// Zero batch is legal.
// CHECK-LABEL: func.func @zero_batch
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} : (tensor<0x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<0x1x3x3xf32>
func.func @zero_batch(%x: tensor<0x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<0x1x3x3xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<0x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<0x1x3x3xf32>
  return %y : tensor<0x1x3x3xf32>
}

// Discardable attributes with a dialect prefix stay allowed (unprefixed
// unknown ones are errors, see invalid.mlir).
// CHECK-LABEL: func.func @prefixed_attribute
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}} {my_compiler.tag = "layer1", stride = array<i64: 2, 2>}
func.func @prefixed_attribute(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x9x9xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, my_compiler.tag = "layer1"}
       : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x9x9xf32>
  return %y : tensor<1x3x9x9xf32>
}
