// RUN: flow-opt %s --convert-flow-to-linalg --canonicalize --cse --split-input-file | FileCheck %s

// The seed: stride (2, 1) gives two phases along H (taps k=0,2 and k=1) and
// one along W. Each phase is one correlation over the once-padded input,
// accumulated into a strided slice of the bias-initialised output. No buffer
// of zero-inserted input exists: the input is only padded (by 2 on W).
// Multiplies: 20*16*33*(47*100*2*5 + 46*100*1*5) = 739,200,000 for a useful
// N*Cin*Cout*H*W*kH*kW = 792,000,000 (fewer: padding 4 crops the border).

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 + 2, d4 - d7 + 4)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @seed
// CHECK-SAME: (%[[X:.*]]: tensor<20x16x50x100xf32>, %[[WT:.*]]: tensor<16x33x3x5xf32>, %[[B:.*]]: tensor<33xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 0, 2] high[0, 0, 0, 2]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], {{.*}}]{{.*}} ins(%[[B]] : tensor<33xf32>)
// Phase (0, 0): kernel rows 0 and 2.
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[INIT]][0, 0, 0, 0] [20, 33, 47, 100] [1, 1, 2, 1]
// CHECK: %[[W0:.*]] = tensor.extract_slice %[[WT]][0, 0, 0, 0] [16, 33, 2, 5] [1, 1, 2, 1]
// CHECK: %[[XIN:.*]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1, 2], [3], [4]] output_shape [20, 1, 16, 50, 104]
// CHECK: %[[G0:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XIN]], %{{.*}} : tensor<20x1x16x50x104xf32>, tensor<1x16x33x2x5xf32>) outs(%{{.*}} : tensor<20x1x33x47x100xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[C0:.*]] = tensor.collapse_shape %[[G0]]
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[C0]] into %[[INIT]][0, 0, 0, 0] [20, 33, 47, 100] [1, 1, 2, 1]
// Phase (1, 0): kernel row 1.
// CHECK: tensor.extract_slice %[[R0]][0, 0, 1, 0] [20, 33, 46, 100] [1, 1, 2, 1]
// CHECK: tensor.extract_slice %[[WT]][0, 0, 1, 0] [16, 33, 1, 5] [1, 1, 2, 1]
// CHECK: linalg.generic {{.*}} ins(%[[XIN]], %{{.*}} : tensor<20x1x16x50x104xf32>, tensor<1x16x33x1x5xf32>) outs(%{{.*}} : tensor<20x1x33x46x100xf32>)
// CHECK: %[[R1:.*]] = tensor.insert_slice %{{.*}} into %[[R0]][0, 0, 1, 0] [20, 33, 46, 100] [1, 1, 2, 1]
// CHECK-NOT: linalg.generic
// CHECK: return %[[R1]]
func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<20x33x93x100xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<20x33x93x100xf32>
  return %y : tensor<20x33x93x100xf32>
}

// -----

// Stride 2, dilation 4: every tap lands on odd outputs, so the three classes
// with an even coordinate get no correlation at all (only the zero fill, as
// there is no bias); phase (1, 1) uses all 3x3 taps, one input row apart
// (dilation / gcd = 2) and reversed (d3 - d6*2).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 * 2 + 4, d4 - d7 * 2 + 4)>
// CHECK-LABEL: func.func @dilated
// CHECK: tensor.pad %{{.*}} low[0, 0, 3, 3] high[0, 0, 4, 4]
// CHECK: %[[INIT:.*]] = linalg.fill
// CHECK: tensor.extract_slice %[[INIT]][0, 0, 1, 1] [1, 3, 7, 7] [1, 1, 2, 2]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} ins({{.*}} : tensor<1x1x2x11x11xf32>, tensor<1x2x3x3x3xf32>) outs({{.*}} : tensor<1x1x3x7x7xf32>)
// CHECK-NOT: linalg.generic
func.func @dilated(%x: tensor<1x2x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x14x14xf32> {
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 2>, dilation = array<i64: 4, 4>,
          padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>}
       : (tensor<1x2x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x14x14xf32>
  return %y : tensor<1x3x14x14xf32>
}

// -----

// Groups split the channel dims (2 groups of 2 input and 1 output channels);
// f16 accumulates in f32 and truncates at the end; dynamic N/H/W give run-time
// sizes: the output is max(0, 2*H) and each of the 4 phases has max(0, H) rows.
// CHECK-DAG: #[[OUTSZ:.*]] = affine_map<()[s0] -> (0, s0 * 2)>
// CHECK-DAG: #[[PHSZ:.*]] = affine_map<()[s0] -> (0, s0)>
// CHECK-LABEL: func.func @grouped_dynamic_f16
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?x?xf16>
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %c2
// CHECK: %[[HO:.*]] = affine.max #[[OUTSZ]]()[%[[H]]]
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x2x?x?xf32>)
// CHECK: %[[HQ:.*]] = affine.max #[[PHSZ]]()[%[[H]]]
// CHECK: tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%[[N]], 2, 2, %[[H]], %{{.*}}] : tensor<?x4x?x?xf16> into tensor<?x2x2x?x?xf16>
// CHECK-COUNT-4: linalg.generic {{.*}} ins({{.*}} : tensor<?x2x2x?x?xf16>, tensor<2x2x1x1x1xf16>) outs({{.*}} : tensor<?x2x1x?x?xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %{{.*}} : tensor<?x2x?x?xf16>
func.func @grouped_dynamic_f16(%x: tensor<?x4x?x?xf16>, %w: tensor<4x1x2x2xf16>) -> tensor<?x2x?x?xf16> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, groups = 2}
       : (tensor<?x4x?x?xf16>, tensor<4x1x2x2xf16>) -> tensor<?x2x?x?xf16>
  return %y : tensor<?x2x?x?xf16>
}

// -----

// Zero batch: nothing to multiply, the result is just the bias broadcast.
// CHECK-LABEL: func.func @zero_batch
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK-NOT: tensor.insert_slice
func.func @zero_batch(%x: tensor<0x2x3x3xf64>, %w: tensor<2x2x2x2xf64>, %b: tensor<2xf64>) -> tensor<0x2x4x4xf64> {
  %y = flow.conv_transpose2d %x, %w, %b : (tensor<0x2x3x3xf64>, tensor<2x2x2x2xf64>, tensor<2xf64>) -> tensor<0x2x4x4xf64>
  return %y : tensor<0x2x4x4xf64>
}
