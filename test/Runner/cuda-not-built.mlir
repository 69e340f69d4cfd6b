// UNSUPPORTED: cuda-runtime
// A build without the CUDA toolkit has no libflow_cuda_runtime: flow-runner
// --target=cuda says so in one line and exits with code 1.
// RUN: flow-runner %s --target=cuda --random-inputs 2> %t.err; test $? -eq 1
// RUN: FileCheck %s --input-file=%t.err
// RUN: count 1 < %t.err
// CHECK: flow-runner: error: target 'cuda' is not available: this build has no CUDA back end (no CUDA toolkit was found when it was configured; set FLOW_CUDA_RUNTIME to a libflow_cuda_runtime.so)
func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w
       : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
