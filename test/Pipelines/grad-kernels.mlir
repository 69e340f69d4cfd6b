// The gradient kernels of conv_transpose2d that flow_mlir's backward
// compiles (python/flow_mlir/nn/_grad_source.py; here grad_input of
// x 2x4x5x7, w 4x3x3x2, groups 2, stride (2, 3), padding (1, 0),
// output_padding (1, 0), dilation (1, 2)) lower through both pipelines.
// RUN: flow-opt %s --flow-lower-to-cpu | FileCheck %s
// CHECK-LABEL: llvm.func @main(
// CHECK-NOT:   linalg.
// CHECK-NOT:   tensor.
func.func @main(%go: tensor<2x6x10x21xf32>, %w: tensor<4x3x3x2xf32>) -> tensor<2x4x5x7xf32> {
  %zero = arith.constant 0.0 : f32
  %pad = tensor.pad %go low[0, 0, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<2x6x10x21xf32> to tensor<2x6x11x21xf32>
  %gp = tensor.expand_shape %pad [[0], [1, 2], [3], [4]] output_shape [2, 2, 3, 11, 21] : tensor<2x6x11x21xf32> into tensor<2x2x3x11x21xf32>
  %wg = tensor.expand_shape %w [[0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 2] : tensor<4x3x3x2xf32> into tensor<2x2x3x3x2xf32>
  %e = tensor.empty() : tensor<2x2x2x5x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2x2x5x7xf32>) -> tensor<2x2x2x5x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, g, i, h, v, o, a, b) -> (n, g, o, h * 2 + a * 1, v * 3 + b * 2)>, affine_map<(n, g, i, h, v, o, a, b) -> (g, i, o, a, b)>, affine_map<(n, g, i, h, v, o, a, b) -> (n, g, i, h, v)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%gp, %wg : tensor<2x2x3x11x21xf32>, tensor<2x2x3x3x2xf32>) outs(%init : tensor<2x2x2x5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x2x2x5x7xf32>
  %gi = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] : tensor<2x2x2x5x7xf32> into tensor<2x4x5x7xf32>
  return %gi : tensor<2x4x5x7xf32>
}

