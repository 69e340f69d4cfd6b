// REQUIRES: cuda-runtime
// flow-runner --target=cuda where no GPU can be used reports it before
// compiling: one "flow-runner: error:" line, exit code 1, nothing on stdout
// and no output file. The driver is forced (FLOW_CUDA_DRIVER) so that this
// holds on any machine: a missing libcuda.so.1, then the toolkit's stub.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env FLOW_CUDA_DRIVER=%t/nosuch/libcuda.so.1 flow-runner %s --target=cuda \
// RUN:   --random-inputs --print --output=%t/y.npy > %t/out 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=NODRIVER --input-file=%t/err
// RUN: count 1 < %t/err
// RUN: count 0 < %t/out
// RUN: not test -e %t/y.npy
// NODRIVER: flow-runner: error: no CUDA driver (cannot load {{.*}}nosuch/libcuda.so.1: {{.*}}No such file or directory)

// RUN: %if cuda-driver-stub %{ env FLOW_CUDA_DRIVER=%cuda_driver_stub flow-runner %s --target=cuda --random-inputs > %t/out 2> %t/err; test $? -eq 1 %}
// RUN: %if cuda-driver-stub %{ FileCheck %s --check-prefix=STUB --input-file=%t/err %}
// RUN: %if cuda-driver-stub %{ count 1 < %t/err %}
// STUB: flow-runner: error: no CUDA driver ({{.*}}libcuda.so is the CUDA toolkit's stub library, not a driver)

// A runtime library that is not there.
// RUN: env FLOW_CUDA_RUNTIME=%t/nosuch.so flow-runner %s --target=cuda --random-inputs 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=NORUNTIME --input-file=%t/err
// NORUNTIME: flow-runner: error: target 'cuda' is not available: the CUDA runtime library {{.*}}nosuch.so does not exist
func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w
       : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
