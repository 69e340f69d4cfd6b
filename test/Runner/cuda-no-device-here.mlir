// REQUIRES: cuda-runtime
// UNSUPPORTED: cuda-device
// On this machine (no usable GPU, as the lit probe found): flow-runner
// --target=cuda says so in one line and exits with code 1.
// RUN: rm -rf %t && mkdir -p %t
// RUN: flow-runner %s --target=cuda --random-inputs --print --output=%t/y.npy \
// RUN:   > %t/out 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --input-file=%t/err
// RUN: count 1 < %t/err
// RUN: count 0 < %t/out
// RUN: not test -e %t/y.npy
// CHECK: flow-runner: error: no CUDA {{driver|device}}
func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w
       : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
