// REQUIRES: cuda-toolkit
// The fuzzer's regression inputs with a dynamic bias (issue 20) compile for
// the GPU down to fat binaries (running them: dynamic-operands.py on CPU).
// RUN: flow-opt %flow_src_root/fuzz/corpus/ir/regress-dynamic-bias.mlir --flow-lower-to-cuda \
// RUN:   | FileCheck %s
// RUN: flow-opt %flow_src_root/fuzz/corpus/ir/regress-dynamic-bias-chain.mlir --flow-lower-to-cuda \
// RUN:   | FileCheck %s
// RUN: flow-opt %s --flow-lower-to-cuda | FileCheck %s
// CHECK: llvm.func @main(
// CHECK: gpu.binary @main_kernel{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90"

// Channels from the bias and the input: every weight dim but the kernel's
// is dynamic.
func.func @main(%x: tensor<1x4x5x5xf32>, %w: tensor<?x?x3x3xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<?x?x3x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
