// IR that does not verify, or does not parse, gives the located error and
// exit code 1 from flow-runner.
// RUN: not flow-runner %s --random-inputs 2>&1 | FileCheck %s
// CHECK: flow-runner: error: {{.*}}invalid-ir.mlir:8:8: 'flow.conv_transpose2d' op input channels (3) must equal weight dimension 0 (2)
// CHECK-NOT: error

func.func @main(%x: tensor<1x3x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x3x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
