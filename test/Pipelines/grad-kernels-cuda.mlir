// REQUIRES: cuda-toolkit
// The gradient op of grad-kernels.mlir compiles for the GPU too: four
// kernels, each a gpu.binary with an sm_90 cubin.
// RUN: flow-opt %S/grad-kernels.mlir --flow-lower-to-cuda="toolkit=%cuda_toolkit" \
// RUN:   | %python %flow_src_root/test/lib/gpubin.py fatbin | FileCheck %s
// CHECK: == gpu.binary @main_kernel: elf sm_90
// CHECK: == gpu.binary @main_kernel_2: elf sm_90
// CHECK-NOT: gpu.binary
